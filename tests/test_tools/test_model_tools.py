import importlib.util
from pathlib import Path

import pytest
from mmcv import Config

REPO = Path(__file__).resolve().parents[2]

TINY_MODEL = dict(
    type='TopDown',
    pretrained=None,
    backbone=dict(type='ResNet', depth=18),
    keypoint_head=dict(
        type='TopDownSimpleHead',
        in_channels=512,
        out_channels=17,
        num_deconv_layers=1,
        num_deconv_filters=(32, ),
        num_deconv_kernels=(4, ),
        loss_keypoint=dict(type='JointsMSELoss', use_target_weight=True)),
    train_cfg=dict(),
    test_cfg=dict(
        flip_test=False, post_process='default', shift_heatmap=False,
        modulate_kernel=11))


def _load(rel_path):
    spec = importlib.util.spec_from_file_location(
        Path(rel_path).stem, REPO / rel_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cfg():
    return Config(
        dict(
            model=TINY_MODEL,
            data_cfg=dict(image_size=[64, 64], heatmap_size=[4, 4])))


def test_get_flops_of_tiny_model():
    tool = _load('tools/get_flops.py')
    input_shape, flops, params = tool.get_flops(_cfg())
    assert input_shape == (3, 64, 64)
    assert flops.endswith('FLOPs') and params.endswith('M')
    # ResNet-18 without its fc layer has 11.18 M parameters
    assert float(params.split()[0]) == pytest.approx(11.2 + 0.27, abs=0.3)
    assert tool.get_flops(_cfg(), [32, 48])[0] == (3, 32, 48)


def test_benchmark_inference_dummy_runs():
    tool = _load('tools/benchmark_inference.py')
    fps = tool.benchmark(
        _cfg(), batch_size=2, iters=2, warmup=1, log_interval=1, dummy=True)
    assert fps > 0


def test_pytorch2onnx_matches_pytorch(tmp_path):
    pytest.importorskip('onnx')
    pytest.importorskip('onnxruntime')
    from mmpose.models import build_posenet
    tool = _load('tools/pytorch2onnx.py')
    model = build_posenet(_cfg().model)
    out = tmp_path / 'tiny.onnx'
    max_diff = tool.pytorch2onnx(
        model, (1, 3, 64, 64), output_file=str(out), verify=True)
    assert out.is_file() and max_diff < 1e-4
