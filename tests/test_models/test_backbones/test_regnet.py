import pytest
import torch
from backbone_checks import (assert_init_from_checkpoint,
                             assert_resnet_style_freezing,
                             assert_with_cp_matches, output_shapes)

from mmpose.models import build_backbone
from mmpose.models.backbones import RegNet

# stage widths and depths of the RegNetX models (Radosavovic et al. 2020,
# pycls model zoo)
PUBLISHED = {
    'regnetx_400mf': ([32, 64, 160, 384], [1, 2, 7, 12]),
    'regnetx_800mf': ([64, 128, 288, 672], [1, 3, 7, 5]),
    'regnetx_1.6gf': ([72, 168, 408, 912], [2, 4, 10, 2]),
    'regnetx_3.2gf': ([96, 192, 432, 1008], [2, 6, 15, 2]),
    'regnetx_4.0gf': ([80, 240, 560, 1360], [2, 5, 14, 2]),
    'regnetx_6.4gf': ([168, 392, 784, 1624], [2, 4, 10, 1]),
    'regnetx_8.0gf': ([80, 240, 720, 1920], [2, 5, 15, 1]),
    'regnetx_12gf': ([224, 448, 896, 2240], [2, 5, 11, 1]),
}

TINY_ARCH = dict(w0=8, wa=8.0, wm=2.0, group_w=4, depth=8, bot_mul=1.0)


def tiny_regnet(**kwargs):
    kwargs.setdefault('stem_channels', 8)
    return RegNet(TINY_ARCH, **kwargs)


def test_regnet_helpers():
    # 3.2GF: w_j = 88 + 26.31 j quantised to 88 * 2.25**k, k = 0..3
    widths, num_stages = RegNet.generate_regnet(88, 26.31, 2.25, 25)
    assert num_stages == 4
    assert widths == [88] * 2 + [200] * 6 + [448] * 15 + [1000] * 2
    assert RegNet.generate_regnet(88, 26.31, 2.25, 25, divisor=4)[0][2] == 200

    assert RegNet.quantize_float(13.3, 4) == 12
    assert RegNet.quantize_float(14.1, 4) == 16
    assert RegNet.quantize_float(200, 48) == 192

    model = tiny_regnet()
    assert model.get_stages_from_blocks(widths) == ([88, 200, 448, 1000],
                                                    [2, 6, 15, 2])
    assert model.adjust_width_group([88, 200, 448, 1000], [1.0] * 4,
                                    [48] * 4) == ([96, 192, 432, 1008],
                                                  [48] * 4)
    # groups never exceed the bottleneck width
    assert model.adjust_width_group([32], [1.0], [48]) == ([32], [32])
    assert model.adjust_width_group([64], [0.5], [16]) == ([64], [16])

    with pytest.raises(AssertionError, match='wm'):
        RegNet.generate_regnet(88, 26.31, 1.0, 25)
    with pytest.raises(AssertionError, match='w0'):
        RegNet.generate_regnet(90, 26.31, 2.25, 25)


@pytest.mark.parametrize('arch', sorted(PUBLISHED))
def test_regnet_arch_settings(arch):
    model = RegNet(arch)
    widths, depths = PUBLISHED[arch]
    assert model.stage_widths == widths
    assert model.stage_blocks == depths
    assert [len(getattr(model, f'layer{i + 1}')) for i in range(4)] == depths
    group_w = RegNet.arch_settings[arch]['group_w']
    assert model.layer4[0].conv2.groups == widths[3] // group_w
    assert model.feat_dim == widths[3]


def test_regnet_documented_example():
    model = build_backbone(
        dict(
            type='RegNet',
            arch=dict(
                w0=88, wa=26.31, wm=2.25, group_w=48, depth=25, bot_mul=1.0),
            out_indices=(0, 1, 2, 3)))
    model.eval()
    with torch.no_grad():
        outs = model(torch.rand(1, 3, 32, 32))
    assert output_shapes(outs) == [(1, 96, 8, 8), (1, 192, 4, 4),
                                   (1, 432, 2, 2), (1, 1008, 1, 1)]
    # a single output index gives a tensor
    model = RegNet('regnetx_400mf')
    model.eval()
    with torch.no_grad():
        assert model(torch.rand(1, 3, 32, 32)).shape == (1, 384, 1, 1)


def test_regnet_building_errors():
    with pytest.raises(AssertionError, match='arch'):
        RegNet('regnetx_1gf')
    with pytest.raises(TypeError, match='arch'):
        RegNet(['regnetx_400mf'])
    with pytest.raises(KeyError, match='group_w'):
        RegNet(dict(w0=8, wa=8.0, wm=2.0, depth=4, bot_mul=1.0))
    with pytest.raises(NotImplementedError, match='deep_stem'):
        tiny_regnet(deep_stem=True)
    with pytest.raises(AssertionError, match='out_indices'):
        tiny_regnet(out_indices=(4, ))
    with pytest.raises(AssertionError, match='strides'):
        tiny_regnet(strides=(2, 2))


def test_regnet_forward_tiny():
    model = tiny_regnet(out_indices=(0, 1, 2))
    assert model.stage_widths == [8, 16, 32, 64]
    assert model.stage_blocks == [1, 1, 3, 3]
    model.train()
    outs = model(torch.rand(2, 3, 32, 32))
    assert output_shapes(outs) == [(2, 8, 8, 8), (2, 16, 4, 4),
                                   (2, 32, 2, 2)]


def test_regnet_frozen_and_norm_eval():
    assert_resnet_style_freezing(tiny_regnet)


def test_regnet_with_cp():
    assert_with_cp_matches(lambda with_cp: tiny_regnet(with_cp=with_cp),
                           torch.rand(2, 3, 32, 32))


def test_regnet_init_weights(tmp_path):
    model = tiny_regnet()
    model.init_weights()
    assert torch.all(model.layer1[0].norm3.weight == 0)
    model = tiny_regnet(zero_init_residual=False)
    model.init_weights()
    assert torch.all(model.layer1[0].norm3.weight == 1)
    assert_init_from_checkpoint(tiny_regnet, tmp_path)
