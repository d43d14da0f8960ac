import math
from pathlib import Path

import numpy as np
import pytest
import torch

from mmpose.models import build_loss

GOLDEN = Path(__file__).resolve().parents[3] / '..' / 'shared' / 'golden'
HEATMAP_LOSSES = ['JointsMSELoss', 'JointsOHKMMSELoss']
REG_LOSSES = ['SmoothL1Loss', 'WingLoss', 'MPJPELoss', 'L1Loss', 'MSELoss']


@pytest.mark.skipif(
    not (GOLDEN / 'losses.npz').exists(), reason='golden files absent')
@pytest.mark.parametrize('name', HEATMAP_LOSSES + REG_LOSSES)
def test_losses_golden(name):
    data = np.load(GOLDEN / 'losses.npz')
    kind = 'heatmap' if name in HEATMAP_LOSSES else 'reg'
    args = [
        torch.from_numpy(data[f'in_{kind}_{k}'])
        for k in ('output', 'target', 'weight')
    ]
    cfg = dict(type=name, use_target_weight=True)
    if name == 'JointsOHKMMSELoss':
        cfg['topk'] = 8
    loss = build_loss(cfg)(*args)
    np.testing.assert_allclose(
        loss.item(), data[f'out_{name}'], rtol=1e-5, atol=1e-5)


def test_joints_mse_loss():
    loss = build_loss(dict(type='JointsMSELoss'))
    fake_pred = torch.zeros((1, 3, 64, 64))
    fake_label = torch.zeros((1, 3, 64, 64))
    assert torch.allclose(loss(fake_pred, fake_label, None), torch.tensor(0.))
    fake_label = torch.ones((1, 3, 64, 64))
    assert torch.allclose(loss(fake_pred, fake_label, None), torch.tensor(1.))

    loss = build_loss(
        dict(type='JointsMSELoss', use_target_weight=True, loss_weight=2.))
    fake_pred = torch.zeros((2, 3, 4, 4))
    fake_label = torch.ones((2, 3, 4, 4))
    weight = torch.tensor([[[1.], [0.], [2.]], [[0.], [0.], [0.]]])
    # mean over (N, K) of w^2: (1 + 0 + 4) / 6, times loss_weight 2
    assert torch.allclose(
        loss(fake_pred, fake_label, weight), torch.tensor(10. / 6))


def test_joints_ohkm_mse_loss():
    with pytest.raises(AssertionError):
        build_loss(dict(type='JointsOHKMMSELoss', topk=0))
    loss = build_loss(dict(type='JointsOHKMMSELoss', topk=2))
    with pytest.raises(ValueError):
        loss(torch.zeros(1, 1, 2, 2), torch.zeros(1, 1, 2, 2), None)

    pred = torch.zeros((2, 3, 2, 2))
    # per joint errors 1, 4, 9 for sample 0 and 0, 1, 0 for sample 1
    target = torch.stack([
        torch.stack([torch.full((2, 2), v) for v in (1., 2., 3.)]),
        torch.stack([torch.full((2, 2), v) for v in (0., 1., 0.)])
    ])
    expected = ((4 + 9) / 2 + (1 + 0) / 2) / 2
    assert torch.allclose(loss(pred, target, None), torch.tensor(expected))

    loss = build_loss(
        dict(type='JointsOHKMMSELoss', topk=1, use_target_weight=True))
    weight = torch.tensor([[[1.], [1.], [0.]], [[1.], [1.], [1.]]])
    assert torch.allclose(loss(pred, target, weight), torch.tensor(2.5))


def test_smooth_l1_l1_mse_losses():
    pred = torch.tensor([[[0., 0.], [0., 0.]]])
    target = torch.tensor([[[0.5, 2.], [1., -3.]]])
    weight = torch.tensor([[[1., 1.], [0., 0.]]])
    smooth = build_loss(dict(type='SmoothL1Loss'))
    expected = (0.5 * 0.25 + 1.5 + 0.5 + 2.5) / 4
    assert torch.allclose(smooth(pred, target, None), torch.tensor(expected))
    smooth = build_loss(dict(type='SmoothL1Loss', use_target_weight=True))
    assert torch.allclose(
        smooth(pred, target, weight), torch.tensor((0.125 + 1.5) / 4))

    l1 = build_loss(dict(type='L1Loss', loss_weight=2.))
    assert torch.allclose(l1(pred, target, None), torch.tensor(6.5 / 4 * 2))
    mse = build_loss(dict(type='MSELoss', use_target_weight=True))
    assert torch.allclose(mse(pred, target, weight), torch.tensor(4.25 / 4))


def test_wing_loss():
    loss = build_loss(dict(type='WingLoss'))
    pred = torch.zeros((1, 2, 2))
    target = torch.tensor([[[1., 0.], [12., 0.]]])
    c = 10. * (1 - math.log(1 + 10. / 2.))
    expected = 10. * math.log(1 + 1. / 2.) + (12. - c)
    assert torch.allclose(loss(pred, target, None), torch.tensor(expected))
    # the piecewise function is continuous at |x| = omega
    near = torch.tensor([[[10. - 1e-4]]])
    far = torch.tensor([[[10. + 1e-4]]])
    assert abs(
        loss.criterion(torch.zeros(1, 1, 1), near) -
        loss.criterion(torch.zeros(1, 1, 1), far)) < 1e-3


def test_mpjpe_loss():
    loss = build_loss(dict(type='MPJPELoss'))
    pred = torch.zeros((1, 2, 3))
    target = torch.tensor([[[3., 4., 0.], [0., 0., 1.]]])
    assert torch.allclose(loss(pred, target, None), torch.tensor(3.))
    loss = build_loss(dict(type='MPJPELoss', use_target_weight=True))
    weight = torch.tensor([[[1., 1., 1.], [0., 0., 0.]]])
    assert torch.allclose(loss(pred, target, weight), torch.tensor(2.5))


def test_bce_loss():
    loss = build_loss(dict(type='BCELoss'))
    output = torch.tensor([[0.5, 0.25]])
    target = torch.tensor([[1., 0.]])
    expected = (-math.log(0.5) - math.log(0.75)) / 2
    assert torch.allclose(loss(output, target, None), torch.tensor(expected))
    loss = build_loss(dict(type='BCELoss', use_target_weight=True))
    weight_1d = torch.tensor([2.])
    assert torch.allclose(
        loss(output, target, weight_1d), torch.tensor(2 * expected))
    weight_2d = torch.tensor([[1., 0.]])
    assert torch.allclose(
        loss(output, target, weight_2d), torch.tensor(-math.log(0.5) / 2))


def test_combined_target_mse_loss():
    loss = build_loss(
        dict(type='CombinedTargetMSELoss', use_target_weight=True))
    # one keypoint, one sample, two pixels:
    # heatmaps pred (1, 0) gt (0.5, 1); x-offsets pred (2, 2) gt (0, 1);
    # y-offsets pred (0, 0) gt (0, 0)
    output = torch.tensor([[[[1., 0.]], [[2., 2.]], [[0., 0.]]]])
    target = torch.tensor([[[[0.5, 1.]], [[0., 1.]], [[0., 0.]]]])
    weight = torch.ones(1, 1, 1)
    heatmap = (0.25 + 1.) / 2
    offset_x = ((0.5 * 2)**2 + (1. * 1)**2) / 2
    expected = 0.5 * (heatmap + offset_x)
    assert torch.allclose(loss(output, target, weight), torch.tensor(expected))

    # weights scale the heatmaps, and the offsets through the gt heatmap
    weight = torch.full((1, 1, 1), 2.)
    expected = 0.5 * (4 * heatmap + 4 * offset_x)
    assert torch.allclose(loss(output, target, weight), torch.tensor(expected))

    # per-keypoint terms are averaged over keypoints
    loss = build_loss(
        dict(
            type='CombinedTargetMSELoss',
            use_target_weight=False,
            loss_weight=2.))
    output2 = torch.cat([output, torch.zeros_like(output)], dim=1)
    target2 = torch.cat([target, torch.zeros_like(target)], dim=1)
    assert torch.allclose(
        loss(output2, target2, None), torch.tensor(expected / 4 / 2 * 2))
