import importlib.util
import sys
from pathlib import Path

import numpy as np

TOOL = (Path(__file__).resolve().parents[2] / 'tools' /
        'benchmark_processing.py')


def _load_tool():
    spec = importlib.util.spec_from_file_location('benchmark_processing',
                                                  TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_processing_runs_default_config(monkeypatch, capsys):
    tool = _load_tool()
    monkeypatch.setattr(sys, 'argv', [
        str(TOOL), '--num-images', '1', '--image-size', '96', '72',
        '--samples', '3', '--warmup', '1'
    ])
    tool.main()
    out = capsys.readouterr().out
    assert 'res50_coco_256x192.py' in out
    # one block per clock, each naming every step and the ratio
    assert out.count('ratio') == 2
    for step in ('LoadImageFromFile', 'TopDownAffine',
                 'TopDownGenerateTarget', 'Collect'):
        assert out.count(step) == 2


def test_generated_sample_is_consistent():
    tool = _load_tool()
    pipeline, data_cfg, dataset_type = tool.load_settings(tool.DEFAULT_CONFIG)
    ann_info = tool.build_ann_info(data_cfg, dataset_type)
    assert ann_info['num_joints'] == 17 and len(ann_info['flip_pairs']) == 8
    sample = tool.make_sample(
        np.random.default_rng(0), 'x.jpg', 640, 480, ann_info)
    # the scale keeps the 3:4 network input aspect ratio
    assert np.isclose(sample['scale'][0] / sample['scale'][1], 0.75)
    visible = sample['joints_3d_visible'][:, 0] > 0
    # invisible joints are zeroed, as datasets store them
    assert not sample['joints_3d'][~visible].any()
