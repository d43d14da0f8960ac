import pytest
import torch
import torch.nn as nn
from backbone_checks import assert_init_from_checkpoint, output_shapes

import mmpose.core.utils as core_utils
from mmpose.models import build_backbone
from mmpose.models.backbones import TCN
from mmpose.models.backbones.tcn import BasicTemporalBlock


def tiny_tcn(**kwargs):
    kwargs.setdefault('stem_channels', 8)
    return TCN(in_channels=6, **kwargs)


def randomize_bn(model):
    """Non-trivial running statistics, so eval-mode BN is not the identity."""
    torch.manual_seed(3)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm1d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)


def test_tcn_documented_example():
    model = TCN(in_channels=34)
    model.eval()
    with torch.no_grad():
        outs = model(torch.rand(1, 34, 243))
    assert output_shapes(outs) == [(1, 1024, 235), (1, 1024, 217)]


def test_tcn_structure():
    model = build_backbone(
        dict(type='TCN', in_channels=6, stem_channels=8, num_blocks=3,
             kernel_sizes=(3, 5, 3, 1)))
    assert [b.dilation for b in model.tcn_blocks] == [3, 15, 45]
    assert [b.pad for b in model.tcn_blocks] == [6, 15, 0]
    assert model.expand_conv.conv.kernel_size == (3, )
    assert isinstance(model.expand_conv.bn, nn.BatchNorm1d)
    # BN follows every conv: no conv bias
    assert model.expand_conv.conv.bias is None
    outs = model.eval()(torch.rand(2, 6, 100))
    assert output_shapes(outs) == [(2, 8, 86), (2, 8, 56), (2, 8, 56)]


def test_tcn_block_shortcut_and_errors():
    block = BasicTemporalBlock(4, 6, mid_channels=5, dilation=1)
    assert isinstance(block.short_cut, nn.Conv1d)
    assert block(torch.rand(1, 4, 5)).shape == (1, 6, 3)
    assert BasicTemporalBlock(4, 6, residual=False).short_cut is None
    with pytest.raises(AssertionError, match='input length'):
        block(torch.rand(1, 4, 2))
    strided = BasicTemporalBlock(4, 4, mid_channels=5, use_stride_conv=True)
    assert strided.conv1[0].conv.stride == (3, )
    assert strided.conv1[0].conv.dilation == (1, )
    with pytest.raises(AssertionError, match='input length'):
        strided(torch.rand(1, 4, 1))


@pytest.mark.parametrize('causal', [False, True])
def test_tcn_residual_alignment(causal):
    # with the residual branch zeroed, a block returns the residual slice:
    # centred frames (symmetric) or the latest frames (causal)
    block = BasicTemporalBlock(4, 4, mid_channels=5, dilation=2,
                               causal=causal)
    block.eval()
    nn.init.zeros_(block.conv2[0].bn.weight)
    nn.init.zeros_(block.conv2[0].bn.bias)
    x = torch.rand(1, 4, 10)
    with torch.no_grad():
        out = block(x)
    expected = x[:, :, 4:] if causal else x[:, :, 2:8]
    torch.testing.assert_close(out, expected)

    no_res = BasicTemporalBlock(4, 4, mid_channels=5, dilation=2,
                                residual=False)
    no_res.eval()
    nn.init.zeros_(no_res.conv2[0].bn.weight)
    nn.init.zeros_(no_res.conv2[0].bn.bias)
    with torch.no_grad():
        assert torch.all(no_res(x) == 0)


@pytest.mark.parametrize('causal', [False, True])
def test_tcn_stride_conv_interchangeable(causal):
    # the strided model computes, for each receptive-field window, exactly
    # the output the dilated model gives for that window's position
    dilated = tiny_tcn(causal=causal)
    randomize_bn(dilated)
    strided = tiny_tcn(causal=causal, use_stride_conv=True)
    strided.load_state_dict(dilated.state_dict())
    dilated.eval()
    strided.eval()
    x = torch.rand(2, 6, 31)
    with torch.no_grad():
        dense = dilated(x)[-1]
        windows = x.unfold(2, 27, 1)  # N, C, 5, 27
        per_window = [
            strided(windows[:, :, i])[-1] for i in range(windows.shape[2])
        ]
    assert dense.shape == (2, 8, 5)
    assert all(out.shape == (2, 8, 1) for out in per_window)
    torch.testing.assert_close(torch.cat(per_window, 2), dense)


def test_tcn_causal_uses_past_frames_only():
    model = tiny_tcn(causal=True)
    randomize_bn(model)
    model.eval()
    x = torch.rand(1, 6, 40)
    y = x.clone()
    y[:, :, 30] += 1.0
    with torch.no_grad():
        a, b = model(x)[-1], model(y)[-1]
    # output j sees frames j .. j + 26: frame 30 reaches outputs 4 .. 13
    changed = (a - b).abs().amax(1)[0] > 1e-6
    assert changed.nonzero().flatten().tolist() == list(range(4, 14))


def test_tcn_building_errors():
    with pytest.raises(AssertionError, match='kernel_sizes'):
        TCN(in_channels=6, num_blocks=3, kernel_sizes=(3, 3, 3))
    with pytest.raises(AssertionError, match='odd'):
        TCN(in_channels=6, kernel_sizes=(3, 2, 3))


def test_tcn_dropout():
    assert tiny_tcn(dropout=0).dropout is None
    model = tiny_tcn(dropout=0.5)
    assert model.dropout.p == 0.5
    assert all(b.dropout.p == 0.5 for b in model.tcn_blocks)


@pytest.mark.skipif(
    not hasattr(core_utils, 'WeightNormClipHook'),
    reason='mmpose.core.utils.WeightNormClipHook is not written yet')
def test_tcn_max_norm():
    model = tiny_tcn(max_norm=0.5)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Conv1d):
                m.weight.mul_(100)
    model(torch.rand(1, 6, 30))
    convs = [m for m in model.modules() if isinstance(m, nn.Conv1d)]
    assert convs and all(m.weight.norm() <= 0.5 + 1e-4 for m in convs)


def test_tcn_init_weights(tmp_path):
    model = tiny_tcn()
    model.init_weights()
    weight = model.expand_conv.conv.weight
    # kaiming normal, fan_in = 6 * 3
    assert 0.5 * (2 / 18)**0.5 < weight.std() < 1.5 * (2 / 18)**0.5
    assert torch.all(model.expand_conv.bn.weight == 1)
    assert_init_from_checkpoint(tiny_tcn, tmp_path)
