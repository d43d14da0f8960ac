import pytest
import torch
import torch.nn.functional as F
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


def _reference(x, convs, plan):
    """Run ``plan`` with torch.nn.functional: 'pool' is a 3x3/2 max pool
    (padding 1); ``(k, act)`` the next of ``convs`` ('same' padding) with or
    without ReLU."""
    convs = iter(convs)
    for step in plan:
        if step == 'pool':
            x = F.max_pool2d(x, 3, 2, 1)
            continue
        kernel, act = step
        conv = next(convs)
        assert conv.kernel_size == (kernel, kernel)
        x = F.conv2d(x, conv.weight, conv.bias, padding=kernel // 2)
        x = F.relu(x) if act else x
    return x


def test_cpm_values():
    # 0.14's two-stage CPM (without norm) written out with the model's own
    # seeded weights: stage 2 reads [stage-1 heatmaps, middle features].
    torch.manual_seed(0)
    model = CPM(3, 4, feat_channels=8, middle_channels=6, num_stages=2,
                norm_cfg=None).eval()
    x = torch.rand(1, 3, 32, 32)
    down = [(9, True), 'pool'] * 3
    stem = _reference(x, [m.conv for m in model.stem if hasattr(m, 'conv')],
                      down + [(5, True), (9, True), (1, True), (1, False)])
    middle = _reference(
        x, [m.conv for m in model.middle if hasattr(m, 'conv')], down)
    middle = _reference(middle, [model.middle_conv[0][0].conv], [(5, True)])
    feat = _reference(
        torch.cat([stem, middle], 1),
        [m.conv for m in model.cpm_stages[0].model] +
        [m.conv for m in model.out_convs[0]],
        [(11, True)] * 3 + [(1, True), (1, False)])
    with torch.no_grad():
        outs = model(x)
    torch.testing.assert_close(outs[0], stem)
    torch.testing.assert_close(outs[1], feat)
