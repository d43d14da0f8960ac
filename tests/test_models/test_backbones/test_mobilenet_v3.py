import pytest
import torch
import torch.nn.functional as F

from mmpose.models.backbones import MobileNetV3
from mmpose.models.backbones.utils import InvertedResidual, SELayer


def test_mobilenetv3_arch_error():
    with pytest.raises(
            AssertionError, match=r"arch 'tiny'.*\['big', 'small'\]"):
        MobileNetV3(arch='tiny')


def test_mobilenetv3_small_shapes():
    model = MobileNetV3('small', out_indices=range(0, 11))
    model.init_weights()
    model.eval()
    outs = model(torch.rand(1, 3, 64, 64))
    assert [tuple(o.shape)[1:] for o in outs] == [(16, 16, 16), (24, 8, 8),
                                                  (24, 8, 8), (40, 4, 4),
                                                  (40, 4, 4), (40, 4, 4),
                                                  (48, 4, 4), (48, 4, 4),
                                                  (96, 2, 2), (96, 2, 2),
                                                  (96, 2, 2)]
    assert model.feat_dim == 96
    # default: the last stage only
    out = MobileNetV3().eval()(torch.rand(1, 3, 64, 64))
    assert out.shape == (1, 96, 2, 2)


def test_mobilenetv3_big_and_negative_indices():
    model = MobileNetV3('big', out_indices=(-1, 5)).eval()
    assert len(model.layers) == 15
    outs = model(torch.rand(1, 3, 64, 64))
    assert [tuple(o.shape) for o in outs] == [(1, 40, 8, 8), (1, 160, 2, 2)]
    assert model.feat_dim == 160
    with pytest.raises(ValueError, match='out_indices'):
        MobileNetV3('big', out_indices=(-16, ))


def test_mobilenetv3_blocks():
    model = MobileNetV3('small')
    layer1 = model.layer1
    assert isinstance(layer1, InvertedResidual)
    # every block has the expansion conv; SE squeezes mid channels by 4
    assert layer1.with_expand_conv and layer1.with_se
    assert isinstance(layer1.se, SELayer)
    assert layer1.se.conv1.conv.out_channels == 4
    assert not model.layer2.with_se
    assert type(model.conv1.activate).__name__ in ('HSwish', 'Hardswish')
    assert type(model.layer4.depthwise_conv.activate).__name__ in ('HSwish',
                                                                   'Hardswish')
    assert model.layer4.depthwise_conv.conv.kernel_size == (5, 5)


def test_inverted_residual_with_se_values():
    # MobileNetV3's block written out with torch.nn.functional and the
    # block's own seeded weights; BN in eval mode at its initial statistics
    # only divides by sqrt(1 + eps).
    torch.manual_seed(0)
    bn = (1 + 1e-5)**-0.5
    block = InvertedResidual(
        4, 4, 8, kernel_size=3, se_cfg=dict(channels=8, ratio=4)).eval()
    x = torch.randn(2, 4, 5, 5)
    y = F.relu(F.conv2d(x, block.expand_conv.conv.weight) * bn)
    y = F.relu(
        F.conv2d(y, block.depthwise_conv.conv.weight, padding=1, groups=8) *
        bn)
    se1, se2 = block.se.conv1.conv, block.se.conv2.conv
    squeeze = F.relu(F.conv2d(y.mean((2, 3), keepdim=True), se1.weight,
                              se1.bias))
    y = y * torch.sigmoid(F.conv2d(squeeze, se2.weight, se2.bias))
    expected = x + F.conv2d(y, block.linear_conv.conv.weight) * bn
    with torch.no_grad():
        out = block(x)
    torch.testing.assert_close(out, expected)
