import copy

import pytest
import torch
import torch.nn as nn
from backbone_checks import (assert_init_from_checkpoint,
                             assert_with_cp_matches, norms_in_eval,
                             output_shapes)

from mmpose.models import build_backbone
from mmpose.models.backbones import HRNet
from mmpose.models.backbones.hrnet import HRModule
from mmpose.models.backbones.resnet import BasicBlock, Bottleneck

def make_extra(channels, num_blocks, stage1_channels, num_modules,
               multiscale_output=None, upsample=None):
    """An HRNet ``extra``: branch i of stages 2-4 has ``channels[i]``."""
    extra = dict(
        stage1=dict(
            num_modules=1,
            num_branches=1,
            block='BOTTLENECK',
            num_blocks=(num_blocks, ),
            num_channels=(stage1_channels, )))
    for idx, modules in zip((2, 3, 4), num_modules):
        extra[f'stage{idx}'] = dict(
            num_modules=modules,
            num_branches=idx,
            block='BASIC',
            num_blocks=(num_blocks, ) * idx,
            num_channels=tuple(channels[:idx]))
    if multiscale_output is not None:
        extra['stage4']['multiscale_output'] = multiscale_output
    if upsample is not None:
        extra['upsample'] = upsample
    return extra


# the HRNet-W32 settings of the documented example
W32_EXTRA = make_extra((32, 64, 128, 256), 4, 64, (1, 4, 3))


def tiny_extra(multiscale_output=None, upsample=None):
    """A small HRNet: one block per branch, few channels."""
    return make_extra((4, 8, 16, 32), 1, 8, (1, 2, 2), multiscale_output,
                      upsample)


def test_hrnet_documented_example():
    # The 0.14 docstring lists four outputs; 0.14 returns them only with
    # stage4 multiscale_output=True (the default fuses into one output).
    extra = copy.deepcopy(W32_EXTRA)
    extra['stage4']['multiscale_output'] = True
    model = HRNet(extra, in_channels=1)
    model.eval()
    with torch.no_grad():
        outs = model(torch.rand(1, 1, 32, 32))
    assert output_shapes(outs) == [(1, 32, 8, 8), (1, 64, 4, 4),
                                   (1, 128, 2, 2), (1, 256, 1, 1)]

    model = HRNet(copy.deepcopy(W32_EXTRA), in_channels=1)
    model.eval()
    with torch.no_grad():
        outs = model(torch.rand(1, 1, 32, 32))
    assert output_shapes(outs) == [(1, 32, 8, 8)]
    # the last module only fuses into the highest-resolution branch
    assert len(model.stage4[-1].fuse_layers) == 1
    assert len(model.stage4[0].fuse_layers) == 4


def test_hrnet_structure():
    model = build_backbone(dict(type='HRNet', extra=tiny_extra()))
    assert model.conv1.stride == (2, 2) and model.conv2.stride == (2, 2)
    assert model.norm1 is model.bn1 and model.norm2 is model.bn2
    assert isinstance(model.layer1[0], Bottleneck)
    assert model.layer1[0].conv3.out_channels == 32
    assert isinstance(model.stage2[0].branches[0][0], BasicBlock)
    # channel change 32 -> 4 and a new stride-2 branch 32 -> 8
    assert model.transition1[0][0].weight.shape == (4, 32, 3, 3)
    assert model.transition1[1][0][0].stride == (2, 2)
    # unchanged branches pass through
    assert model.transition2[0] is None and model.transition2[1] is None
    assert model.transition3[3][0][0].weight.shape == (32, 16, 3, 3)
    # stage1_cfg .. stage4_cfg are kept as in 0.14
    assert model.stage4_cfg['num_branches'] == 4


@pytest.mark.parametrize('multiscale', [False, True])
def test_hrnet_forward_shapes(multiscale):
    model = HRNet(tiny_extra(multiscale_output=multiscale), in_channels=3)
    model.train()
    outs = model(torch.rand(2, 3, 64, 32))
    expected = [(2, 4, 16, 8), (2, 8, 8, 4), (2, 16, 4, 2), (2, 32, 2, 1)]
    assert output_shapes(outs) == (expected if multiscale else expected[:1])


def test_hrnet_upsample_cfg():
    model = HRNet(
        tiny_extra(upsample=dict(mode='bilinear', align_corners=False)))
    upsample = model.stage2[0].fuse_layers[0][1][2]
    assert isinstance(upsample, nn.Upsample)
    assert upsample.mode == 'bilinear' and upsample.align_corners is False
    assert upsample.scale_factor == 2
    default = HRNet(tiny_extra()).stage4[0].fuse_layers[0][3][2]
    assert default.mode == 'nearest' and default.scale_factor == 8


def test_hrmodule_fuse():
    in_channels = [4, 8]
    module = HRModule(2, BasicBlock, (1, 1), in_channels, (4, 8),
                      multiscale_output=True)
    module.eval()
    # fuse_layers[i][j]: j > i upsamples, j < i downsamples, j == i is None
    assert module.fuse_layers[0][0] is None
    assert module.fuse_layers[1][0][0][0].stride == (2, 2)
    x = [torch.rand(1, 4, 8, 8), torch.rand(1, 8, 4, 4)]
    with torch.no_grad():
        b0 = module.branches[0](x[0].clone())
        b1 = module.branches[1](x[1].clone())
        expected0 = torch.relu(b0 + module.fuse_layers[0][1](b1))
        expected1 = torch.relu(module.fuse_layers[1][0](b0) + b1)
        out = module([x[0].clone(), x[1].clone()])
    torch.testing.assert_close(out[0], expected0)
    torch.testing.assert_close(out[1], expected1)

    # one branch: no fusion at all
    single = HRModule(1, BasicBlock, (1, ), [4], (4, ))
    assert single.fuse_layers is None
    assert len(single([torch.rand(1, 4, 4, 4)])) == 1


def test_hrmodule_checks_branches():
    with pytest.raises(ValueError, match='num_blocks'):
        HRModule(2, BasicBlock, (1, ), [4, 8], (4, 8))
    with pytest.raises(ValueError, match='num_channels'):
        HRModule(2, BasicBlock, (1, 1), [4, 8], (4, ))
    with pytest.raises(ValueError, match='in_channels'):
        HRModule(2, BasicBlock, (1, 1), [4], (4, 8))


def test_hrnet_bad_extra():
    extra = tiny_extra()
    extra['stage2']['block'] = 'BASICC'
    with pytest.raises(KeyError, match='block'):
        HRNet(extra)
    extra = tiny_extra()
    del extra['stage3']
    with pytest.raises(KeyError, match='stage3'):
        HRNet(extra)
    extra = tiny_extra()
    del extra['stage4']['num_channels']
    with pytest.raises(KeyError, match='num_channels'):
        HRNet(extra)
    extra = tiny_extra()
    extra['stage3']['num_blocks'] = (1, 1)
    with pytest.raises(ValueError, match='num_blocks'):
        HRNet(extra)


def test_hrnet_norm_eval():
    model = HRNet(tiny_extra(), norm_eval=True)
    model.train()
    assert model.training
    assert norms_in_eval(model)
    model = HRNet(tiny_extra(), norm_eval=False)
    model.train()
    assert not norms_in_eval(model)


def test_hrnet_with_cp():
    model = HRNet(tiny_extra(), with_cp=True)
    assert all(m.with_cp for m in model.modules()
               if isinstance(m, (BasicBlock, Bottleneck)))
    assert_with_cp_matches(
        lambda with_cp: HRNet(
            tiny_extra(multiscale_output=True), with_cp=with_cp),
        torch.rand(2, 3, 32, 32))


def test_hrnet_init_weights(tmp_path):
    model = HRNet(tiny_extra(), zero_init_residual=True)
    model.init_weights()
    assert model.conv1.weight.std() < 0.01
    assert torch.all(model.bn1.weight == 1)
    assert torch.all(model.layer1[0].norm3.weight == 0)
    assert torch.all(model.stage2[0].branches[0][0].norm2.weight == 0)

    model = HRNet(tiny_extra())
    model.init_weights()
    assert torch.all(model.layer1[0].norm3.weight == 1)

    assert_init_from_checkpoint(lambda: HRNet(tiny_extra()), tmp_path)
    with pytest.raises(TypeError):
        model.init_weights(pretrained=1)
