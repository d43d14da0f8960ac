import pytest
import torch
from backbone_checks import assert_init_from_checkpoint, output_shapes

from mmpose.models import build_backbone
from mmpose.models.backbones import MSPN, ResNet
from mmpose.models.backbones.mspn import (Bottleneck, DownsampleModule,
                                          UpsampleModule)

TINY = dict(unit_channels=8, num_units=3, num_blocks=[1, 2, 1],
            res_top_channels=8)


def test_mspn_bottleneck():
    block = Bottleneck(16, 8)
    assert block.conv3.out_channels == 32 and block.conv1.out_channels == 8
    assert Bottleneck(32, 8)(torch.rand(1, 32, 4, 4)).shape == (1, 32, 4, 4)


def test_mspn_modules():
    down = DownsampleModule(Bottleneck, [1, 1], num_units=2, in_channels=8)
    outs = down(torch.rand(1, 8, 8, 8), None, None)
    # lowest resolution first
    assert output_shapes(outs) == [(1, 64, 4, 4), (1, 32, 8, 8)]
    up = UpsampleModule(unit_channels=6, num_units=2, gen_skip=True,
                        gen_cross_conv=True, out_channels=8)
    out, skip1, skip2, cross = up(outs)
    assert output_shapes(out) == [(1, 6, 4, 4), (1, 6, 8, 8)]
    # skips follow the downsample order (highest resolution first)
    assert output_shapes(skip1) == [(1, 32, 8, 8), (1, 64, 4, 4)]
    assert output_shapes(skip2) == [(1, 32, 8, 8), (1, 64, 4, 4)]
    assert cross.shape == (1, 8, 8, 8)
    with pytest.raises(AssertionError, match='num_blocks'):
        DownsampleModule(Bottleneck, [1, 1, 1], num_units=2)


@pytest.mark.parametrize('num_stages', [1, 2])
def test_mspn_forward(num_stages):
    model = build_backbone(dict(type='MSPN', num_stages=num_stages, **TINY))
    model.train()
    outs = model(torch.rand(2, 3, 64, 32))
    assert output_shapes(outs) == [[(2, 8, 4, 2), (2, 8, 8, 4),
                                    (2, 8, 16, 8)]] * num_stages
    stages = model.multi_stage_mspn
    assert not stages[0].downsample.has_skip
    assert all(s.downsample.has_skip for s in stages[1:])
    # only the last stage makes no skips and no cross conv
    assert not hasattr(stages[-1].upsample.up3, 'cross_conv')
    assert not stages[-1].upsample.gen_skip
    if num_stages > 1:
        assert stages[0].upsample.up3.cross_conv.conv.out_channels == 8


@pytest.mark.slow
def test_mspn_documented_example():
    model = MSPN(num_stages=2, num_units=2, num_blocks=[2, 2])
    model.eval()
    with torch.no_grad():
        outs = model(torch.rand(1, 3, 511, 511))
    assert output_shapes(outs) == [[(1, 256, 64, 64), (1, 256, 128, 128)]] * 2


def test_mspn_building_errors():
    with pytest.raises(AssertionError, match='num_blocks'):
        MSPN(num_units=3, num_blocks=[2, 2])
    with pytest.raises(AssertionError, match='num_stages'):
        MSPN(num_stages=0)
    with pytest.raises(AssertionError, match='num_units'):
        MSPN(num_units=1, num_blocks=[2])


def test_mspn_init_weights(tmp_path):
    model = MSPN(num_stages=2, **TINY)
    model.init_weights()
    assert torch.all(
        model.multi_stage_mspn[0].downsample.layer1[0].bn1.weight == 1)
    assert_init_from_checkpoint(lambda: MSPN(num_stages=2, **TINY), tmp_path)


def test_mspn_init_from_resnet(tmp_path):
    # a ResNet checkpoint initialises the stem and every stage's downsample
    resnet = ResNet(50, stem_channels=8, base_channels=8, num_stages=2,
                    strides=(1, 2), dilations=(1, 1), out_indices=(1, ))
    with torch.no_grad():
        for param in resnet.parameters():
            param.uniform_(-1, 1)
    path = tmp_path / 'resnet.pth'
    torch.save({'state_dict': resnet.state_dict()}, str(path))

    model = MSPN(unit_channels=8, num_stages=2, num_units=2,
                 num_blocks=[3, 4], res_top_channels=8)
    model.init_weights(pretrained=str(path))
    assert torch.equal(model.top.top[0].conv.weight, resnet.conv1.weight)
    assert torch.equal(model.top.top[0].bn.bias, resnet.bn1.bias)
    for stage in model.multi_stage_mspn:
        down = stage.downsample
        assert torch.equal(down.layer2[3].conv2.weight,
                           resnet.layer2[3].conv2.weight)
        assert torch.equal(down.layer2[0].downsample.conv.weight,
                           resnet.layer2[0].downsample[0].weight)
        assert torch.equal(down.layer1[0].downsample.bn.weight,
                           resnet.layer1[0].downsample[1].weight)
