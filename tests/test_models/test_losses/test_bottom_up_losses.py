import math

import pytest
import torch

from mmpose.models import build_loss
from mmpose.utils import ArgumentError


def _reference_single_tag_loss(pred_tag, joints, loss_type):
    """0.14's per-person loop, written out."""
    tags, pull = [], 0
    for person in joints:
        tmp = [pred_tag[j[0]] for j in person if j[1] > 0]
        if not tmp:
            continue
        tmp = torch.stack(tmp)
        tags.append(tmp.mean(dim=0))
        pull = pull + torch.mean((tmp - tags[-1].expand_as(tmp))**2)
    n = len(tags)
    if n < 2:
        return 0., float(pull) if n else 0.
    tags = torch.stack(tags)
    a = tags.expand(n, n)
    diff = a - a.permute(1, 0)
    if loss_type == 'exp':
        push = torch.exp(-diff**2).sum() - n
    else:
        push = torch.clamp(1 - diff.abs(), min=0).sum() - n
    return float(push / ((n - 1) * n) * 0.5), float(pull / n)


def test_heatmap_loss_hand_computed():
    loss = build_loss(dict(type='HeatmapLoss'))
    pred = torch.zeros(2, 1, 2, 2)
    gt = torch.zeros(2, 1, 2, 2)
    gt[0, 0, 0, 0] = 2.  # squared error 4 where mask is 1
    gt[1, 0, 1, 1] = 3.  # masked out
    mask = torch.ones(2, 2, 2)
    mask[1, 1, 1] = 0
    out = loss(pred, gt, mask)
    assert out.shape == (2, )
    assert torch.allclose(out, torch.tensor([1.0, 0.0]))
    with pytest.raises(ArgumentError):
        loss(pred, gt[:, :, :1], mask)


def test_ae_loss_hand_computed():
    # Two people, tags 0 and 1 (+-0.5 spread for the first).
    pred_tag = torch.tensor([[-0.5], [0.5], [1.0], [9.0]])
    joints = torch.tensor([[[0, 1], [1, 1], [3, 0]], [[2, 1], [0, 0], [0, 0]],
                           [[0, 0], [0, 0], [0, 0]]])
    exp_loss = build_loss(dict(type='AELoss', loss_type='exp'))
    push, pull = exp_loss.singleTagLoss(pred_tag, joints)
    # mean tags 0 and 1: push = (2 exp(-1)) / 2 * 0.5, pull = (0.25 + 0) / 2
    assert float(push) == pytest.approx(0.5 * math.exp(-1))
    assert float(pull) == pytest.approx(0.125)
    max_loss = build_loss(dict(type='AELoss', loss_type='max'))
    push, _ = max_loss.singleTagLoss(pred_tag * 0.5, joints)
    # mean tags 0 and 0.5: 2 * (1 - 0.5) / 2 * 0.5
    assert float(push) == pytest.approx(0.25)
    with pytest.raises(ArgumentError):
        build_loss(dict(type='AELoss', loss_type='min'))


@pytest.mark.parametrize('loss_type', ['exp', 'max'])
def test_ae_loss_matches_reference_loop(loss_type):
    g = torch.Generator().manual_seed(3)
    loss = build_loss(dict(type='AELoss', loss_type=loss_type))
    tags = torch.randn(3, 4 * 8 * 8, 1, generator=g)
    joints = torch.randint(0, 4 * 8 * 8, (3, 6, 4, 2), generator=g)
    joints[..., 1] = (torch.rand(3, 6, 4, generator=g) > 0.4).int()
    joints[1] = 0  # no people: zero losses
    joints[2, 1:, :, 1] = 0  # one person: zero push
    push, pull = loss(tags, joints)
    for i in range(3):
        ref_push, ref_pull = _reference_single_tag_loss(
            tags[i], joints[i], loss_type)
        assert float(push[i]) == pytest.approx(ref_push, abs=1e-6)
        assert float(pull[i]) == pytest.approx(ref_pull, abs=1e-6)


def test_ae_loss_gradient():
    loss = build_loss(dict(type='AELoss', loss_type='exp'))
    tags = torch.zeros(1, 4, 1, requires_grad=True)
    joints = torch.tensor([[[[0, 1], [1, 1]], [[2, 1], [3, 1]]]])
    push, pull = loss(tags, joints)
    (push + pull).sum().backward()
    # Equal tags: the push gradient of exp(-d^2) is zero at d = 0.
    assert torch.equal(tags.grad, torch.zeros_like(tags))
    # (4 exp(0) - 2) / (1 * 2) * 0.5
    assert float(push[0].detach()) == pytest.approx(0.5)


def test_multi_loss_factory():
    cfg = dict(
        type='MultiLossFactory',
        num_joints=2,
        num_stages=2,
        ae_loss_type='exp',
        with_ae_loss=[True, False],
        push_loss_factor=[0.5, 0.5],
        pull_loss_factor=[0.25, 0.25],
        with_heatmaps_loss=[True, True],
        heatmaps_loss_factor=[2.0, 1.0])
    loss = build_loss(cfg)
    out0 = torch.zeros(1, 4, 2, 2)
    out0[0, 0] = 1.  # heatmap error 1 on one of two channels -> 0.5
    out0[0, 2, 0, 0] = -0.5  # tags of person 1: -0.5 (joint 0) and 0.5
    out0[0, 3, 0, 0] = 0.5
    out0[0, 3, 1, 1] = 1.0  # person 2 (joint 1 only) tag 1
    out1 = torch.ones(1, 2, 4, 4)
    targets = [torch.zeros(1, 2, 2, 2), torch.zeros(1, 2, 4, 4)]
    masks = [torch.ones(1, 2, 2), torch.ones(1, 4, 4)]
    joints = [
        torch.tensor([[[[0, 1], [4, 1]], [[0, 0], [7, 1]]]]),
        torch.zeros(1, 2, 2, 2, dtype=torch.int32)
    ]
    hm, push, pull = loss([out0, out1], targets, masks, joints)
    assert float(hm[0][0]) == pytest.approx(2.0 * 0.5)
    assert float(hm[1][0]) == pytest.approx(1.0)
    # mean tags 0 and 1: push exp(-1)/2, pull 0.25/2
    assert float(push[0][0]) == pytest.approx(0.5 * 0.5 * math.exp(-1))
    assert float(pull[0][0]) == pytest.approx(0.25 * 0.125)
    assert push[1] is None and pull[1] is None
    with pytest.raises(ArgumentError):
        build_loss(dict(cfg, with_ae_loss=True))
