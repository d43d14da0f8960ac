import pytest
import torch
from backbone_checks import (all_frozen, assert_init_from_checkpoint,
                             assert_with_cp_matches, norms_in_eval)

from mmpose.models import build_backbone
from mmpose.models.backbones import ResNeXt
from mmpose.models.backbones.resnet import Bottleneck as ResNetBottleneck
from mmpose.models.backbones.resnext import Bottleneck


def test_resnext_bottleneck():
    with pytest.raises(AssertionError, match='style'):
        Bottleneck(64, 64, groups=32, width_per_group=4, style='tensorflow')

    # defaults: 32 groups of width 4 at the first stage
    block = Bottleneck(64, 256, base_channels=64)
    assert isinstance(block, ResNetBottleneck)
    assert block.conv2.groups == 32
    assert block.conv2.out_channels == 128
    assert block.conv2.weight.shape == (128, 4, 3, 3)

    # later stages scale mid channels with out_channels / base_channels
    block = Bottleneck(512, 1024, groups=64, width_per_group=4, stride=2)
    assert block.mid_channels == 1024
    assert block.conv2.stride == (2, 2)
    downsample = torch.nn.Conv2d(64, 256, 1)
    block = Bottleneck(
        64, 256, groups=8, width_per_group=8, downsample=downsample)
    x = torch.randn(1, 64, 8, 8)
    assert block(x).shape == (1, 256, 8, 8)


def test_resnext_errors():
    with pytest.raises(KeyError, match=r'18.*\[50, 101, 152\]'):
        ResNeXt(depth=18)


def test_resnext_forward():
    model = ResNeXt(
        depth=50, groups=32, width_per_group=4, out_indices=(0, 1, 2, 3))
    model.init_weights()
    model.eval()
    outs = model(torch.rand(1, 3, 32, 32))
    assert [tuple(o.shape) for o in outs] == [(1, 256, 8, 8), (1, 512, 4, 4),
                                              (1, 1024, 2, 2), (1, 2048, 1, 1)]
    for m in model.modules():
        if isinstance(m, Bottleneck):
            assert m.conv2.groups == 32
    # zero_init_residual: the last norm of each block starts at 0
    assert torch.all(model.layer1[0].norm3.weight == 0)

    model = build_backbone(
        dict(
            type='ResNeXt',
            depth=50,
            groups=16,
            width_per_group=2,
            num_stages=2,
            strides=(1, 2),
            dilations=(1, 1),
            out_indices=(1, ))).eval()
    assert model.layer2[0].conv2.weight.shape == (64, 4, 3, 3)
    assert model(torch.rand(1, 3, 32, 32)).shape == (1, 512, 4, 4)


def test_resnext_frozen_norm_eval_cp(tmp_path):
    model = ResNeXt(depth=50, frozen_stages=1, norm_eval=True)
    model.train()
    assert all_frozen(model.conv1) and all_frozen(model.layer1)
    assert all(p.requires_grad for p in model.layer2.parameters())
    assert norms_in_eval(model)

    small = dict(
        depth=50,
        groups=4,
        width_per_group=4,
        num_stages=1,
        strides=(1, ),
        dilations=(1, ),
        out_indices=(0, ))
    assert_with_cp_matches(lambda with_cp: ResNeXt(with_cp=with_cp, **small),
                           torch.randn(2, 3, 16, 16))
    assert_init_from_checkpoint(lambda: ResNeXt(**small), tmp_path)
