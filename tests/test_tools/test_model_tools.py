import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmcv import Config

REPO = Path(__file__).resolve().parents[2]
# 0.14's tests import the tools as ``tools.<name>`` from the repository root.
sys.path.insert(0, str(REPO))

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
    tool = _load('tools/analysis/get_flops.py')
    input_shape, flops, params = tool.get_flops(_cfg())
    assert input_shape == (3, 64, 64)
    assert flops.endswith('FLOPs') and params.endswith('M')
    # ResNet-18 without its fc layer has 11.18 M parameters, the head's
    # deconv (512 -> 32, 4x4) + BN + 1x1 conv (32 -> 17) 0.263 M.
    assert float(params.split()[0]) == pytest.approx(11.18 + 0.263, abs=0.01)
    assert tool.get_flops(_cfg(), [32, 48])[0] == (3, 32, 48)


def test_old_get_flops_path_forwards_with_a_warning():
    with pytest.warns(FutureWarning, match='tools/analysis/get_flops.py'):
        old = _load('tools/get_flops.py')
    new_path = str(REPO / 'tools' / 'analysis' / 'get_flops.py')
    for name in ('get_flops', 'input_shape_from', 'parse_args', 'main'):
        assert getattr(old, name).__code__.co_filename == new_path
    assert old.parse_args(['cfg.py', '--shape', '32']).shape == [32]


def test_benchmark_inference_dummy_runs():
    tool = _load('tools/benchmark_inference.py')
    fps = tool.benchmark(
        _cfg(), batch_size=2, iters=2, warmup=1, log_interval=1, dummy=True)
    assert fps > 0


class SyncBNModel(nn.Module):
    """0.14's ONNX test model: a 3-D conv followed by SyncBN."""

    def __init__(self, conv=nn.Conv3d):
        super().__init__()
        self.conv = conv(1, 2, 1)
        self.bn = nn.SyncBatchNorm(2)

    def forward(self, x):
        return self.bn(self.conv(x))

    def forward_dummy(self, x):
        return (self.forward(x), )


def _onnx_run(path, array):
    ort = pytest.importorskip('onnxruntime')
    session = ort.InferenceSession(
        str(path), providers=['CPUExecutionProvider'])
    feed = [i.name for i in session.get_inputs()]
    return session.run(None, {feed[0]: array})[0]


def test_convert_batchnorm_and_export_as_014(tmp_path):
    pytest.importorskip('onnx')
    from tools.pytorch2onnx import _convert_batchnorm, pytorch2onnx
    model = SyncBNModel()
    with torch.no_grad():
        model.bn.weight.copy_(torch.tensor([2., 3.]))
        model.bn.running_mean.copy_(torch.tensor([0.5, -1.]))
        model.bn.running_var.copy_(torch.tensor([4., 0.25]))
    model.bn.bias.requires_grad = False
    model = _convert_batchnorm(model)
    assert isinstance(model.bn, nn.BatchNorm3d)
    assert not isinstance(model.bn, nn.SyncBatchNorm)
    assert model.bn.weight.tolist() == [2., 3.]
    assert model.bn.running_var.tolist() == [4., 0.25]
    assert model.bn.weight.requires_grad and not model.bn.bias.requires_grad
    out_file = tmp_path / 'tmp.onnx'
    # 0.14's call: the model as given (here its forward), 5-D input.
    assert pytorch2onnx(
        model, (1, 1, 1, 1, 1), output_file=str(out_file)) is None
    assert out_file.is_file()

    # The converted BN also serves 2-D models (0.14's BatchNorm3d did not).
    model = _convert_batchnorm(SyncBNModel(conv=nn.Conv2d)).eval()
    x = np.arange(18, dtype=np.float32).reshape(1, 1, 3, 6) / 9
    # Eval-mode BN with fresh statistics (mean 0, var 1) is (y - 0) /
    # sqrt(1 + eps) * 1 + 0: the ONNX model computes the conv alone.
    conv = (x * model.conv.weight.detach().numpy()[:, 0, 0, 0].reshape(
        1, 2, 1, 1) + model.conv.bias.detach().numpy().reshape(1, 2, 1, 1))
    pytorch2onnx(model, (1, 1, 3, 6), output_file=str(out_file), verify=True)
    np.testing.assert_allclose(
        _onnx_run(out_file, x), conv / np.sqrt(1 + 1e-5), rtol=1e-5,
        atol=1e-6)


def test_pytorch2onnx_of_a_topdown_model_matches_pytorch(tmp_path):
    pytest.importorskip('onnx')
    from tools.pytorch2onnx import pytorch2onnx
    from mmpose.models import build_posenet
    model = build_posenet(_cfg().model)
    model.forward = model.forward_dummy
    out = tmp_path / 'tiny.onnx'
    max_diff = pytorch2onnx(
        model, (1, 3, 64, 64), output_file=str(out), verify=True)
    assert out.is_file() and max_diff < 1e-4
    x = np.random.default_rng(0).standard_normal((1, 3, 64, 64)).astype(
        np.float32)
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy()
    assert expected.shape == (1, 17, 4, 4)  # stride 32, one 2x deconv
    np.testing.assert_allclose(
        _onnx_run(out, x), expected, rtol=1e-4, atol=1e-4)


def test_pytorch2onnx_command_line(tmp_path):
    pytest.importorskip('onnx')
    from tools.pytorch2onnx import main
    from mmpose.models import build_posenet
    config = tmp_path / 'tiny.py'
    _cfg().dump(str(config))
    model = build_posenet(_cfg().model)
    torch.save(dict(state_dict=model.state_dict()), tmp_path / 'tiny.pth')
    out = tmp_path / 'cli.onnx'
    main([
        str(config),
        str(tmp_path / 'tiny.pth'), '--output-file',
        str(out), '--shape', '1', '3', '64', '64'
    ])
    x = np.ones((1, 3, 64, 64), np.float32)
    with torch.no_grad():
        expected = model.eval().forward_dummy(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(
        _onnx_run(out, x), expected, rtol=1e-4, atol=1e-4)


def test_missing_onnx_names_the_package(monkeypatch):
    from tools.pytorch2onnx import pytorch2onnx
    monkeypatch.setitem(sys.modules, 'onnx', None)
    with pytest.raises(ImportError, match='optional package "onnx"'):
        pytorch2onnx(SyncBNModel(), (1, 1, 1, 1, 1))
