import pytest
import torch
from backbone_checks import assert_init_from_checkpoint, output_shapes

from mmpose.models import build_backbone
from mmpose.models.backbones import HourglassNet
from mmpose.models.backbones.hourglass import HourglassModule

TINY = dict(
    downsample_times=2,
    stage_channels=(256, 8, 16),
    stage_blocks=(1, 1, 1),
    feat_channel=6)


def test_hourglass_module():
    module = HourglassModule(2, [4, 8, 16], [1, 1, 2])
    assert isinstance(module.low2, HourglassModule)
    assert len(module.low2.low2) == 2
    x = torch.rand(1, 4, 8, 8)
    assert module(x).shape == (1, 4, 8, 8)
    # low3 goes back to the outer channels at its last block
    assert module.low3[-1].conv2.out_channels == 4
    # the skip branch plus the nearest-upsampled (2x) low-resolution branch
    module.eval()
    with torch.no_grad():
        low = module.low3(module.low2(module.low1(x)))
        assert low.shape == (1, 4, 4, 4)
        expected = module.up1(x) + low.repeat_interleave(
            2, dim=2).repeat_interleave(2, dim=3)
        torch.testing.assert_close(module(x), expected)


@pytest.mark.parametrize('num_stacks', [1, 2])
def test_hourglass_forward(num_stacks):
    model = build_backbone(
        dict(type='HourglassNet', num_stacks=num_stacks, **TINY))
    model.eval()
    with torch.no_grad():
        outs = model(torch.rand(1, 3, 64, 32))
    assert output_shapes(outs) == [(1, 6, 16, 8)] * num_stacks
    assert len(model.hourglass_modules) == num_stacks
    assert len(model.remap_convs) == len(model.conv1x1s) == num_stacks - 1
    # 0.14 keeps one inter block even for a single stack (checkpoint keys)
    assert len(model.inters) == max(1, num_stacks - 1)


@pytest.mark.slow
def test_hourglass_documented_example():
    model = HourglassNet()
    model.eval()
    with torch.no_grad():
        outs = model(torch.rand(1, 3, 511, 511))
    assert output_shapes(outs) == [(1, 256, 128, 128)] * 2


def test_hourglass_building_errors():
    with pytest.raises(AssertionError, match='num_stacks'):
        HourglassNet(num_stacks=0)
    with pytest.raises(AssertionError, match='stage_blocks'):
        HourglassNet(stage_channels=(256, 256), stage_blocks=(1, ))
    with pytest.raises(AssertionError, match='downsample_times'):
        HourglassNet(downsample_times=3, stage_channels=(256, 8, 8),
                     stage_blocks=(1, 1, 1))


def test_hourglass_init_weights(tmp_path):
    model = HourglassNet(**TINY)
    model.init_weights()
    assert model.stem[0].conv.weight.std() < 0.01
    assert torch.all(model.stem[0].bn.weight == 1)
    assert_init_from_checkpoint(lambda: HourglassNet(**TINY), tmp_path)
