import importlib.util
import json
import sys
from pathlib import Path

import pytest

_REPO = Path(__file__).resolve().parents[2]


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_demo_first_run_end_to_end(tmp_path):
    """Generate, train one short epoch, test and draw (not the AP target:
    that needs the full schedule of ``make demo``)."""
    demo = _load(_REPO / 'tools' / 'demo_first_run.py', 'demo_first_run')
    work_dir = tmp_path / 'work'
    summary = demo.main([
        '--work-dir', str(work_dir), '--data-root',
        str(tmp_path / 'data'), '--num-train', '12', '--num-val', '4',
        '--num-vis', '2', '--cfg-options', 'total_epochs=1',
        'evaluation.interval=1', 'checkpoint_config.interval=1',
        'data.samples_per_gpu=8', 'data.workers_per_gpu=0'
    ])
    assert (tmp_path / 'data' / 'annotations' /
            'person_keypoints_val.json').exists()
    assert Path(summary['checkpoint']).exists()
    assert 0.0 <= summary['AP'] <= 1.0
    assert summary['vis_dir'] == str(work_dir / 'vis')
    assert len(summary['drawn']) == 2
    assert all(Path(f).exists() for f in summary['drawn'])
    saved = json.loads((work_dir / 'demo_summary.json').read_text())
    assert saved['AP'] == summary['AP']


def test_demo_config_is_offline_and_flip_free():
    from mmcv import Config
    cfg = Config.fromfile(
        str(_REPO / 'configs' / 'top_down' / 'synthetic' /
            'res18_synthetic_coco_128x96.py'))
    assert cfg.model.pretrained is None
    assert cfg.model.backbone.type == 'ResNet'
    assert cfg.model.backbone.depth == 18
    # Limb colours encode left/right on the synthetic data.
    assert cfg.model.test_cfg.flip_test is False
    assert all(step['type'] != 'TopDownRandomFlip'
               for step in cfg.train_pipeline)
    assert cfg.data.test.data_cfg.use_gt_bbox is True
