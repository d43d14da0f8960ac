import pytest
import torch
from backbone_checks import (assert_init_from_checkpoint,
                             assert_resnet_style_freezing,
                             assert_with_cp_matches, output_shapes)

from mmpose.models import build_backbone
from mmpose.models.backbones import SCNet
from mmpose.models.backbones.scnet import SCBottleneck, SCConv


def tiny_scnet(**kwargs):
    return SCNet(
        50,
        stem_channels=8,
        base_channels=8,
        num_stages=2,
        strides=(1, 2),
        dilations=(1, 1),
        out_indices=(0, 1),
        **kwargs)


def test_scconv():
    conv = SCConv(8, 8, stride=2, pooling_r=4)
    assert conv.k2[0].kernel_size == 4
    assert conv(torch.rand(1, 8, 8, 8)).shape == (1, 8, 4, 4)
    with pytest.raises(ValueError, match='out_channels'):
        SCConv(8, 4, 1, 4)


def test_scbottleneck():
    block = SCBottleneck(16, 32)
    # two half-width branches
    assert block.mid_channels == 4
    assert block.conv1.out_channels == block.conv2.out_channels == 4
    assert block.conv3.in_channels == 8 and block.norm3.num_features == 32
    downsample = torch.nn.Sequential(
        torch.nn.Conv2d(16, 32, 1, stride=2, bias=False),
        torch.nn.BatchNorm2d(32))
    block = SCBottleneck(16, 32, stride=2, downsample=downsample)
    assert block.k1[0].stride == (2, 2)
    assert block(torch.rand(2, 16, 8, 8)).shape == (2, 32, 4, 4)


def test_scnet_documented_depths():
    model = build_backbone(dict(type='SCNet', depth=50,
                                out_indices=(0, 1, 2, 3)))
    assert isinstance(model.layer1[0], SCBottleneck)
    assert [len(getattr(model, f'layer{i}')) for i in (1, 2, 3, 4)] == [
        3, 4, 6, 3
    ]
    model.eval()
    with torch.no_grad():
        outs = model(torch.rand(1, 3, 128, 128))
    assert output_shapes(outs) == [(1, 256, 32, 32), (1, 512, 16, 16),
                                   (1, 1024, 8, 8), (1, 2048, 4, 4)]
    assert SCNet.arch_settings[101][1] == [3, 4, 23, 3]
    with pytest.raises(KeyError, match='depth'):
        SCNet(18)


def test_scnet_frozen_and_norm_eval():
    assert_resnet_style_freezing(tiny_scnet)


def test_scnet_with_cp():
    assert all(m.with_cp for m in tiny_scnet(with_cp=True).modules()
               if isinstance(m, SCBottleneck))
    assert_with_cp_matches(lambda with_cp: tiny_scnet(with_cp=with_cp),
                           torch.rand(2, 3, 32, 32))


def test_scnet_init_weights(tmp_path):
    model = tiny_scnet()
    model.init_weights()
    # zero_init_residual: every block starts as the identity
    assert torch.all(model.layer1[0].norm3.weight == 0)
    assert torch.all(model.layer2[0].scconv.k4[1].weight == 1)
    assert_init_from_checkpoint(tiny_scnet, tmp_path)
