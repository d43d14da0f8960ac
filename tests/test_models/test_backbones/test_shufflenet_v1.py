import pytest
import torch

from mmpose.models.backbones import ShuffleNetV1
from mmpose.models.backbones.shufflenet_v1 import ShuffleUnit


def test_shuffle_unit():
    with pytest.raises(ValueError, match='combine'):
        ShuffleUnit(24, 24, combine='sum')
    with pytest.raises(AssertionError, match='in_channels must be equal'):
        ShuffleUnit(24, 48, combine='add')

    unit = ShuffleUnit(24, 24, groups=3, first_block=False, combine='add')
    assert unit.g_conv_1x1_compress.conv.groups == 3
    x = torch.randn(2, 24, 8, 8)
    assert unit(x).shape == (2, 24, 8, 8)

    # concat: the branch makes out - in channels at half resolution
    unit = ShuffleUnit(24, 240, groups=3, first_block=True, combine='concat')
    assert unit.g_conv_1x1_compress.conv.groups == 1
    assert unit.g_conv_1x1_expand.conv.out_channels == 216
    out = unit(x)
    assert out.shape == (2, 240, 4, 4)
    torch.testing.assert_close(out[:, :24], unit.avgpool(x))


@pytest.mark.parametrize('groups,channels', [(1, (144, 288, 576)),
                                             (2, (200, 400, 800)),
                                             (3, (240, 480, 960)),
                                             (4, (272, 544, 1088)),
                                             (8, (384, 768, 1536))])
def test_shufflenetv1_groups(groups, channels):
    model = ShuffleNetV1(groups=groups, out_indices=(0, 1, 2))
    model.init_weights()
    model.eval()
    outs = model(torch.rand(1, 3, 64, 64))
    assert [tuple(o.shape) for o in outs] == [(1, channels[0], 8, 8),
                                              (1, channels[1], 4, 4),
                                              (1, channels[2], 2, 2)]


def test_shufflenetv1_args():
    with pytest.raises(ValueError, match=r'groups=5.*\[1, 2, 3, 4, 8\]'):
        ShuffleNetV1(groups=5)
    model = ShuffleNetV1(groups=3, widen_factor=0.5).eval()
    assert model.conv1.conv.out_channels == 12
    assert model(torch.rand(1, 3, 32, 32)).shape == (1, 480, 1, 1)
    assert [len(layer) for layer in model.layers] == [4, 8, 4]


def test_shufflenetv1_init():
    model = ShuffleNetV1(groups=3)
    model.init_weights()
    # the stem conv has std 0.01, the others 1 / fan_in
    assert model.conv1.conv.weight.std().item() < 0.02
    bn = model.layers[0][0].g_conv_1x1_compress.bn
    assert torch.all(bn.weight == 1) and torch.allclose(
        bn.bias, torch.full_like(bn.bias, 1e-4))
