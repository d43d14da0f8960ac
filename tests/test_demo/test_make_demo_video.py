"""The video part of ``make demo``: a generated clip of walking figures, the
tracking demo run on it with the generator's boxes."""
import json
import shutil
import subprocess
import sys

import mmcv
import numpy as np
import pytest

from mmpose.apis import inference_tracking, vis_pose_tracking_result
from tools.dataset import make_synthetic_video

from demo_fixtures import REPO, load_demo


def test_tracking_demo_on_generated_clip(tmp_path, pose_files, monkeypatch,
                                         capsys):
    video, boxes_file, keypoints_file = make_synthetic_video.main([
        '--out-dir', str(tmp_path), '--num-frames', '6', '--num-persons',
        '2', '--size', '96', '128'
    ])
    drawn = []

    def record(model, img, result, **kwargs):
        drawn.append({r['track_id']: r['bbox'][:4] for r in result})
        return vis_pose_tracking_result(model, img, result, **kwargs)

    monkeypatch.setattr(inference_tracking, 'vis_pose_tracking_result',
                        record)
    out_file = load_demo('top_down_pose_tracking_demo_with_mmdet').main([
        'hog', 'none', *pose_files, '--video-path', video, '--det-file',
        boxes_file, '--out-video-root', str(tmp_path / 'vis'), '--device',
        'cpu'
    ])
    assert out_file == str(tmp_path / 'vis' / 'vis_synthetic_clip.mp4')
    assert f'Output video: {out_file}' in capsys.readouterr().out
    assert len(list(mmcv.VideoReader(out_file))) == 6
    # Every frame, the tracker gives each figure the id the generator
    # walked it under (both number figures 0, 1 in order of first sight).
    truth = json.loads(open(keypoints_file).read())
    assert len(drawn) == len(truth)
    for ids, figures in zip(drawn, truth):
        assert sorted(ids) == [0, 1]
        for figure in figures:
            x, y, w, h = figure['bbox']
            np.testing.assert_allclose(ids[figure['track_id']],
                                       [x, y, x + w, y + h])


@pytest.mark.slow
@pytest.mark.skipif(shutil.which('make') is None, reason='needs make')
def test_make_demo_recipe_draws_the_video(tmp_path, pose_files):
    """The recipe's own commands after the first run, with the trained
    model stood in by a random one written where the first run puts it."""
    work_dir = tmp_path / 'demo'
    work_dir.mkdir()
    shutil.copy(pose_files[0], work_dir / 'demo_config.py')
    (work_dir / 'demo_summary.json').write_text(
        json.dumps(dict(checkpoint=pose_files[1])))
    dry_run = subprocess.run(
        ['make', '-n', '-s', 'demo', 'STAMP=', f'DEMO_DIR={work_dir}',
         f'PY={sys.executable}'], cwd=REPO, check=True, capture_output=True,
        text=True).stdout
    first_run, video_part = dry_run.split('\n', 1)
    assert 'tools/demo_first_run.py' in first_run
    result = subprocess.run(['bash', '-ec', video_part], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    out_file = work_dir / 'vis_video' / 'vis_synthetic_clip.mp4'
    assert f'Output video: {out_file}' in result.stdout
    clip = mmcv.VideoReader(str(out_file))
    assert (len(clip), clip.height, clip.width) == (40, 240, 320)
