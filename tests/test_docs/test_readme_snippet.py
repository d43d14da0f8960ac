"""The README's Python snippet runs as written after ``make demo``.

The snippet names the config and checkpoint that ``make demo`` leaves in its
work dir and an image that ships in ``demo/resources/``. The fast test lays
out those files in a temporary folder (the synthetic config with random
weights) and runs the snippet there unchanged; the slow one trains the demo
model for one short epoch with ``tools/demo_first_run.py`` first.
"""
import re
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

REPO = Path(__file__).resolve().parents[2]
DEMO_CONFIG = (REPO / 'configs' / 'top_down' / 'synthetic' /
               'res18_synthetic_coco_128x96.py')
IMAGE = 'demo/resources/demo_coco.jpg'


def _snippet():
    """The README's Python block that calls the inference API."""
    blocks = re.findall(r'```python\n(.*?)```',
                        (REPO / 'README.md').read_text(), re.S)
    found = [b for b in blocks if 'init_pose_model(' in b]
    assert len(found) == 1, 'README.md needs one Python inference snippet'
    return found[0]


def _demo_dir():
    """``make demo``'s work dir, as the Makefile sets it."""
    match = re.search(r'^DEMO_DIR \?= (\S+)$',
                      (REPO / 'Makefile').read_text(), re.M)
    return match.group(1)


def _quoted(snippet, suffix):
    return re.findall(r"'([^']+\.%s)'" % suffix, snippet)


def test_snippet_names_what_make_demo_writes():
    snippet = _snippet()
    demo_dir = _demo_dir()
    assert _quoted(snippet, 'py') == [f'{demo_dir}/demo_config.py']
    assert _quoted(snippet, 'pth') == [f'{demo_dir}/latest.pth']
    # demo_first_run.py dumps the config it draws with under this name.
    assert "'demo_config.py'" in (REPO / 'tools' /
                                  'demo_first_run.py').read_text()
    assert set(_quoted(snippet, 'jpg')) >= {IMAGE}
    assert (REPO / IMAGE).is_file()


def _boxes(snippet):
    return [
        np.array(b.split(','), dtype=float)
        for b in re.findall(r'bbox=\[([^\]]+)\]', snippet)
    ]


def _crop_region(box, aspect):
    """The image region a top-down model sees for an (x, y, w, h) box:
    padded to the input aspect ratio, then by 1.25 (0.x's _box2cs)."""
    x, y, w, h = box
    if w > aspect * h:
        h = w / aspect
    else:
        w = h * aspect
    half = np.array([w, h]) * 1.25 / 2
    centre = np.array([x + box[2] / 2, y + box[3] / 2])
    return centre - half, centre + half


def _run_snippet(folder, monkeypatch):
    """Run the snippet unchanged in ``folder`` (which holds the demo work
    dir); returns its namespace and the drawn image."""
    image_dst = folder / IMAGE
    image_dst.parent.mkdir(parents=True)
    shutil.copy(REPO / IMAGE, image_dst)
    monkeypatch.chdir(folder)
    snippet = _snippet()
    namespace = {}
    exec(compile(snippet, 'README.md', 'exec'), namespace)
    outputs = [f for f in _quoted(snippet, 'jpg') if f != IMAGE]
    assert len(outputs) == 1
    drawn = cv2.imread(str(folder / outputs[0]))
    return namespace, drawn


def _check_results(namespace, drawn, capsys):
    snippet = _snippet()
    boxes = _boxes(snippet)
    pose_results = namespace['pose_results']
    assert len(pose_results) == len(boxes) == 2
    width, height = namespace['model'].cfg.data_cfg['image_size']
    for result, box in zip(pose_results, boxes):
        # returned as (x1, y1, x2, y2) with 0.x's inclusive corner
        x, y, w, h = box
        np.testing.assert_allclose(result['bbox'][:4],
                                   [x, y, x + w - 1, y + h - 1])
        kpts = result['keypoints']
        assert kpts.shape == (17, 3)
        assert np.isfinite(kpts).all()
        low, high = _crop_region(box, width / height)
        # Decoded peaks lie on the heatmap grid of the crop (DARK may move
        # them by less than one heatmap pixel).
        margin = (high - low) / np.array(
            namespace['model'].cfg.data_cfg['heatmap_size'])
        assert (kpts[:, :2] >= low - margin).all()
        assert (kpts[:, :2] <= high + margin).all()
    assert '(17, 3)' in capsys.readouterr().out
    original = cv2.imread(str(REPO / IMAGE))
    assert drawn is not None and drawn.shape == original.shape
    # the boxes at least are drawn
    assert np.abs(drawn.astype(int) - original).max() > 100


def test_readme_snippet_runs_as_written(tmp_path, monkeypatch, capsys):
    from mmcv import Config

    from mmpose.models import build_posenet

    work_dir = tmp_path / _demo_dir()
    work_dir.mkdir(parents=True)
    cfg = Config.fromfile(str(DEMO_CONFIG))
    cfg.dump(str(work_dir / 'demo_config.py'))
    torch.manual_seed(0)
    model = build_posenet(cfg.model)
    torch.save(dict(state_dict=model.state_dict(), meta=dict()),
               work_dir / 'epoch_1.pth')
    # as training leaves it: latest.pth links to the last epoch
    (work_dir / 'latest.pth').symlink_to('epoch_1.pth')
    namespace, drawn = _run_snippet(tmp_path, monkeypatch)
    _check_results(namespace, drawn, capsys)


@pytest.mark.slow
def test_readme_snippet_after_a_short_demo_run(tmp_path, monkeypatch,
                                               capsys):
    from tools import demo_first_run

    demo_first_run.main([
        '--work-dir',
        str(tmp_path / _demo_dir()), '--data-root',
        str(tmp_path / 'data'), '--num-train', '8', '--num-val', '2',
        '--num-vis', '1', '--cfg-options', 'total_epochs=1',
        'data.samples_per_gpu=4', 'data.workers_per_gpu=0'
    ])
    capsys.readouterr()
    namespace, drawn = _run_snippet(tmp_path, monkeypatch)
    _check_results(namespace, drawn, capsys)
