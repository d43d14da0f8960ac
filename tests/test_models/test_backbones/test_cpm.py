import pytest
import torch
from backbone_checks import assert_init_from_checkpoint, output_shapes

from mmpose.models import build_backbone
from mmpose.models.backbones import CPM
from mmpose.models.backbones.cpm import CpmBlock


def test_cpm_block():
    block = CpmBlock(3, channels=[4, 5], kernels=[3, 5])
    assert [m.conv.kernel_size for m in block.model] == [(3, 3), (5, 5)]
    assert block(torch.rand(1, 3, 9, 9)).shape == (1, 5, 9, 9)
    with pytest.raises(AssertionError, match='kernels'):
        CpmBlock(3, channels=[4, 5], kernels=[3])


def test_cpm_forward():
    model = build_backbone(
        dict(type='CPM', in_channels=3, out_channels=5, feat_channels=8,
             middle_channels=4, num_stages=3))
    model.eval()
    with torch.no_grad():
        outs = model(torch.rand(2, 3, 48, 40))
    # every stage: out_channels maps at 1/8 resolution
    assert output_shapes(outs) == [(2, 5, 6, 5)] * 3
    assert len(model.cpm_stages) == len(model.middle_conv) == 2
    assert model.cpm_stages[0].model[0].conv.in_channels == 4 + 5
    # final convs predict heatmaps: no norm, no activation, with bias
    last = model.out_convs[1][-1]
    assert not last.with_norm and not last.with_activation
    assert last.conv.bias is not None

    one = CPM(3, 5, feat_channels=8, num_stages=1)
    assert len(one.cpm_stages) == 0
    assert output_shapes(one(torch.rand(1, 3, 16, 16))) == [(1, 5, 2, 2)]


@pytest.mark.slow
def test_cpm_documented_example():
    model = CPM(3, 17)
    model.eval()
    with torch.no_grad():
        outs = model(torch.rand(1, 3, 368, 368))
    assert output_shapes(outs) == [(1, 17, 46, 46)] * 6


def test_cpm_building_errors():
    with pytest.raises(AssertionError, match='in_channels'):
        CPM(1, 17)
    with pytest.raises(AssertionError, match='num_stages'):
        CPM(3, 17, num_stages=0)


def test_cpm_init_weights(tmp_path):
    model = CPM(3, 5, feat_channels=8, num_stages=2)
    model.init_weights()
    assert model.stem[0].conv.weight.std() < 0.01
    assert torch.all(model.stem[0].bn.weight == 1)
    assert_init_from_checkpoint(
        lambda: CPM(3, 5, feat_channels=8, num_stages=2), tmp_path)
