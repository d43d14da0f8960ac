import inspect

import pytest
import torch
from backbone_checks import (assert_init_from_checkpoint,
                             assert_with_cp_matches, output_shapes)

from mmpose.models import build_backbone
from mmpose.models.backbones import RSN, mspn
from mmpose.models.backbones.rsn import (RSB, Downsample_module, ResNet_top,
                                         Single_stage_RSN, Upsample_module,
                                         Upsample_unit)

TINY = dict(unit_channels=8, num_units=3, num_blocks=[1, 2, 1],
            res_top_channels=8, expand_times=4)


def test_rsb():
    block = RSB(8, 8, num_steps=3, expand_times=4, res_top_channels=8)
    # branch channels: in_channels * expand_times // res_top_channels
    assert block.branch_channels == 4
    assert block.conv_bn_relu1.conv.out_channels == 3 * 4
    steps = [n for n, _ in block.named_children()
             if n.startswith('conv_bn_relu2_')]
    assert len(steps) == 3 * 4 // 2
    x = torch.rand(1, 8, 6, 6)
    block.eval()
    assert block(x).shape == (1, 8, 6, 6)
    # with the block's last norm zeroed only the identity remains
    torch.nn.init.zeros_(block.conv_bn3.bn.weight)
    torch.nn.init.zeros_(block.conv_bn3.bn.bias)
    with torch.no_grad():
        torch.testing.assert_close(block(x), torch.relu(x))
    with pytest.raises(AssertionError, match='num_steps'):
        RSB(8, 8, num_steps=1)


@pytest.mark.parametrize('num_stages', [1, 2])
def test_rsn_forward(num_stages):
    model = build_backbone(
        dict(type='RSN', num_stages=num_stages, num_steps=2, **TINY))
    model.train()
    outs = model(torch.rand(2, 3, 64, 32))
    assert output_shapes(outs) == [[(2, 8, 4, 2), (2, 8, 8, 4),
                                    (2, 8, 16, 8)]] * num_stages
    down = model.multi_stage_rsn[0].downsample
    assert isinstance(down.layer2[1], RSB) and down.layer2[1].num_steps == 2
    # RSB does not expand: the upsample units read 8, 16, 32 channels
    assert model.multi_stage_rsn[0].upsample.in_channels == [32, 16, 8]


@pytest.mark.slow
def test_rsn_documented_example():
    model = RSN(num_stages=2, num_units=2, num_blocks=[2, 2])
    model.eval()
    with torch.no_grad():
        outs = model(torch.rand(1, 3, 511, 511))
    assert output_shapes(outs) == [[(1, 256, 64, 64), (1, 256, 128, 128)]] * 2


def test_rsn_building_errors():
    with pytest.raises(AssertionError, match='num_blocks'):
        RSN(num_units=3, num_blocks=[2, 2])
    with pytest.raises(AssertionError, match='num_stages'):
        RSN(num_stages=0)
    with pytest.raises(AssertionError, match='num_steps'):
        RSN(num_steps=1)


def test_rsn_init_weights(tmp_path):
    model = RSN(num_stages=2, **TINY)
    model.init_weights()
    bn = model.multi_stage_rsn[1].downsample.layer1[0].conv_bn3.bn
    assert torch.all(bn.weight == 1) and torch.all(bn.bias == 0)
    assert_init_from_checkpoint(lambda: RSN(num_stages=2, **TINY), tmp_path)


# 0.14's constructor parameters of the RSN modules, in order.
RSN_SIGNATURES = {
    RSB: ('in_channels', 'out_channels', 'num_steps', 'stride', 'downsample',
          'with_cp', 'norm_cfg', 'expand_times', 'res_top_channels'),
    Downsample_module: ('block', 'num_blocks', 'num_steps', 'num_units',
                        'has_skip', 'norm_cfg', 'in_channels',
                        'expand_times'),
    Upsample_unit: ('ind', 'num_units', 'in_channels', 'unit_channels',
                    'gen_skip', 'gen_cross_conv', 'norm_cfg', 'out_channels'),
    Upsample_module: ('unit_channels', 'num_units', 'gen_skip',
                      'gen_cross_conv', 'norm_cfg', 'out_channels'),
    Single_stage_RSN: ('has_skip', 'gen_skip', 'gen_cross_conv',
                       'unit_channels', 'num_units', 'num_steps',
                       'num_blocks', 'norm_cfg', 'in_channels',
                       'expand_times'),
    ResNet_top: ('norm_cfg', 'channels'),
}


@pytest.mark.parametrize('cls', list(RSN_SIGNATURES),
                         ids=lambda cls: cls.__name__)
def test_rsn_module_signatures(cls):
    params = tuple(inspect.signature(cls).parameters)
    assert params == RSN_SIGNATURES[cls]


def test_rsn_modules_share_mspn_code():
    # same logic as MSPN's modules: subclasses, not copies
    for rsn_cls, mspn_cls in [(Downsample_module, mspn.DownsampleModule),
                              (Upsample_unit, mspn.UpsampleUnit),
                              (Upsample_module, mspn.UpsampleModule),
                              (Single_stage_RSN, mspn.SingleStageNetwork),
                              (ResNet_top, mspn.ResNetTop)]:
        assert issubclass(rsn_cls, mspn_cls)
    model = RSN(num_stages=2, **TINY)
    assert type(model.top) is ResNet_top
    for stage in model.multi_stage_rsn:
        assert type(stage) is Single_stage_RSN
        assert type(stage.downsample) is Downsample_module
        assert type(stage.upsample) is Upsample_module
        assert type(stage.upsample.up1) is Upsample_unit


def test_single_stage_rsn():
    stage = Single_stage_RSN(gen_skip=True, gen_cross_conv=True,
                             unit_channels=6, num_units=2, num_steps=3,
                             num_blocks=[1, 2], in_channels=8,
                             expand_times=4).eval()
    rsb = stage.downsample.layer2[1]
    assert isinstance(rsb, RSB) and rsb.num_steps == 3
    # branch channels: 16 * expand_times // in_channels (the stem width)
    assert rsb.branch_channels == 16 * 4 // 8
    with torch.no_grad():
        out, skip1, skip2, cross = stage(torch.rand(1, 8, 8, 8), None, None)
    assert output_shapes(out) == [(1, 6, 4, 4), (1, 6, 8, 8)]
    # skips match the downsample units, highest resolution first
    assert output_shapes(skip1) == [(1, 8, 8, 8), (1, 16, 4, 4)]
    assert output_shapes(skip2) == output_shapes(skip1)
    assert cross.shape == (1, 8, 8, 8)


def test_upsample_unit_values():
    # 1x1 convs set to the identity and BN in eval mode at its initial
    # statistics (x / sqrt(1 + eps)): the unit adds the upsampled (here
    # constant, from a 1x1 map) lower level to the skip, then a ReLU.
    unit = Upsample_unit(1, 2, in_channels=2, unit_channels=2).eval()
    for conv in (unit.in_skip.conv, unit.up_conv.conv):
        with torch.no_grad():
            conv.weight.copy_(torch.eye(2)[:, :, None, None])
    x = torch.tensor([[[[1., -2.], [3., 0.]], [[-1., 2.], [0.5, -4.]]]])
    up_x = torch.tensor([[[[0.5]], [[1.5]]]])
    with torch.no_grad():
        out, skip1, skip2, cross = unit(x, up_x)
    expected = torch.relu(x + up_x) / (1 + 1e-5)**0.5
    torch.testing.assert_close(out, expected)
    assert skip1 is None and skip2 is None and cross is None


def test_rsb_with_cp():
    assert_with_cp_matches(
        lambda with_cp: RSB(
            8, 8, num_steps=2, with_cp=with_cp, expand_times=4,
            res_top_channels=8), torch.rand(1, 8, 4, 4))
