import pytest
import torch

from mmpose.models import build_backbone
from mmpose.models.backbones import MobileNetV2
from mmpose.models.backbones.mobilenet_v2 import InvertedResidual


def test_inverted_residual():
    with pytest.raises(AssertionError, match='stride'):
        InvertedResidual(16, 16, stride=3, expand_ratio=6)

    # expand_ratio 1 has no expansion conv
    block = InvertedResidual(16, 16, stride=1, expand_ratio=1)
    assert len(block.conv) == 2
    assert block.use_res_connect
    x = torch.randn(1, 16, 8, 8)
    assert block(x).shape == (1, 16, 8, 8)

    block = InvertedResidual(16, 24, stride=2, expand_ratio=6)
    assert len(block.conv) == 3
    assert block.conv[0].conv.out_channels == 96
    assert block.conv[1].conv.groups == 96
    assert block.conv[2].activate is None if hasattr(
        block.conv[2], 'activate') else not block.conv[2].with_activation
    assert not block.use_res_connect
    assert block(x).shape == (1, 24, 4, 4)

    # the residual path adds the input
    block = InvertedResidual(8, 8, stride=1, expand_ratio=2).eval()
    x = torch.randn(1, 8, 4, 4)
    assert torch.allclose(block(x), x + block.conv(x))


def test_mobilenetv2_shapes():
    model = MobileNetV2(out_indices=range(0, 8))
    model.init_weights()
    model.eval()
    outs = model(torch.rand(1, 3, 64, 64))
    assert [tuple(o.shape) for o in outs] == [(1, 16, 32, 32), (1, 24, 16, 16),
                                              (1, 32, 8, 8), (1, 64, 4, 4),
                                              (1, 96, 4, 4), (1, 160, 2, 2),
                                              (1, 320, 2, 2), (1, 1280, 2, 2)]
    # the documented default: the last 1x1 conv only
    out = build_backbone(dict(type='MobileNetV2')).eval()(
        torch.rand(1, 3, 32, 32))
    assert out.shape == (1, 1280, 1, 1)


@pytest.mark.parametrize('widen_factor,channels,last', [
    (0.5, [8, 16, 16, 32, 48, 80, 160], 1280),
    (1.5, [24, 40, 48, 96, 144, 240, 480], 1920),
])
def test_mobilenetv2_widen_factor(widen_factor, channels, last):
    model = MobileNetV2(
        widen_factor=widen_factor, out_indices=range(0, 8)).eval()
    outs = model(torch.rand(1, 3, 32, 32))
    assert [o.shape[1] for o in outs] == channels + [last]
    assert model.conv1.conv.out_channels == (16 if widen_factor == 0.5 else 48)


def test_mobilenetv2_act_and_norm_cfg():
    model = MobileNetV2(
        widen_factor=0.25,
        act_cfg=dict(type='ReLU'),
        norm_cfg=dict(type='GN', num_groups=2, requires_grad=True))
    assert isinstance(model.conv1.activate, torch.nn.ReLU)
    assert isinstance(model.conv1.gn, torch.nn.GroupNorm)
    assert model.eval()(torch.rand(1, 3, 32, 32)).shape == (1, 1280, 1, 1)
