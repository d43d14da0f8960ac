import pytest
import torch
from backbone_checks import assert_init_from_checkpoint, output_shapes

from mmpose.models import build_backbone
from mmpose.models.backbones import RSN
from mmpose.models.backbones.rsn import RSB

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
    with pytest.raises(ValueError, match='num_steps'):
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
    with pytest.raises(ValueError, match='num_blocks'):
        RSN(num_units=3, num_blocks=[2, 2])
    with pytest.raises(ValueError, match='num_stages'):
        RSN(num_stages=0)
    with pytest.raises(ValueError, match='num_steps'):
        RSN(num_steps=1)


def test_rsn_init_weights(tmp_path):
    model = RSN(num_stages=2, **TINY)
    model.init_weights()
    bn = model.multi_stage_rsn[1].downsample.layer1[0].conv_bn3.bn
    assert torch.all(bn.weight == 1) and torch.all(bn.bias == 0)
    assert_init_from_checkpoint(lambda: RSN(num_stages=2, **TINY), tmp_path)
