"""TemporalRegressionHead: shapes, loss, accuracy and decoding against
values derived by hand."""
import numpy as np
import pytest
import torch

from mmpose.models import build_head
from mmpose.utils import ArgumentError


def _head(**kwargs):
    cfg = dict(
        type='TemporalRegressionHead',
        in_channels=8,
        num_joints=3,
        loss_keypoint=dict(type='MSELoss'))
    cfg.update(kwargs)
    return build_head(cfg)


def test_forward_shape_and_inputs():
    head = _head()
    head.init_weights()
    x = torch.randn(2, 8, 1)
    out = head(x)
    assert out.shape == (2, 3, 3)
    # a feature pyramid: its last level is used
    torch.testing.assert_close(head([torch.randn(2, 8, 5), x]), out)
    # the conv is linear in x: row j * 3 + c of its output is joint j, dim c
    expected = (head.conv.weight[:, :, 0] @ x[0, :, 0] + head.conv.bias)
    torch.testing.assert_close(out[0].reshape(-1), expected)
    with pytest.raises(ArgumentError, match=r'\[N, C, 1\]'):
        head(torch.randn(2, 8, 3))


def test_loss_is_mse():
    head = _head()
    output = torch.zeros(2, 3, 3)
    target = torch.ones(2, 3, 3) * 2
    losses = head.get_loss(output, target, None)
    assert set(losses) == {'reg_loss'}
    torch.testing.assert_close(losses['reg_loss'], torch.tensor(4.))


def test_trajectory_loss_weighs_by_inverse_depth():
    head = _head(num_joints=1, is_trajectory=True,
                 loss_keypoint=dict(type='MSELoss', use_target_weight=True))
    output = torch.zeros(2, 1, 3)
    target = torch.tensor([[1., 1., 2.], [1., 1., 4.]])
    losses = head.get_loss(output, target, None)
    # weights 1/z: rows (0.5, 0.5, 1) and (0.25, 0.25, 1), mean of squares
    expected = ((0.5**2) * 2 + 1 + (0.25**2) * 2 + 1) / 6
    torch.testing.assert_close(losses['traj_loss'], torch.tensor(expected))
    with pytest.raises(ArgumentError, match='1 joint'):
        _head(num_joints=2, is_trajectory=True)


def test_accuracy_by_hand():
    head = _head()
    target = torch.tensor([[[0., 0., 0.], [1., 0., 0.], [0., 2., 0.]]] * 2)
    # frame 0: shifted by (3, 4, 0); frame 1: scaled by 2 (about the origin)
    output = torch.stack([target[0] + torch.tensor([3., 4., 0.]),
                          target[1] * 2])
    acc = head.get_accuracy(output, target, None, [{}, {}])
    # per-joint errors: 5, 5, 5 and 0, 1, 2
    np.testing.assert_allclose(acc['mpjpe'].item(), 18 / 6, rtol=1e-6)
    # Procrustes removes translation and scale: exact fit
    np.testing.assert_allclose(acc['p_mpjpe'].item(), 0, atol=1e-5)
    # scale alignment fixes frame 1 only; frame 0: s = <p, g> / <p, p>
    p = output[0].numpy().astype(np.float64)
    g = target[0].numpy().astype(np.float64)
    s = (p * g).sum() / (p * p).sum()
    frame0 = np.linalg.norm(s * p - g, axis=-1).sum()
    np.testing.assert_allclose(acc['n_mpjpe'].item(), frame0 / 6, rtol=1e-5)


def test_accuracy_masks_zero_weight_joints():
    head = _head()
    target = torch.zeros(1, 3, 3)
    output = torch.tensor([[[1., 0., 0.], [0., 2., 0.], [0., 0., 100.]]])
    weight = torch.tensor([[[1.], [1.], [0.]]])
    acc = head.get_accuracy(output, target, weight, [{}])
    np.testing.assert_allclose(acc['mpjpe'].item(), 1.5)


def test_decode_denormalizes_and_restores_root():
    head = _head(test_cfg=dict(restore_global_position=True))
    output = np.ones((1, 3, 3), np.float32)
    metas = [
        dict(
            target_mean=np.full((3, 3), 1., np.float32),
            target_std=np.full((3, 3), 2., np.float32),
            root_position=np.array([[10., 20., 30.]]),
            root_position_index=0,
            target_image_path='a.jpg')
    ]
    result = head.decode(metas, output)
    assert result['target_image_paths'] == ['a.jpg']
    # 1 * 2 + 1 = 3 relative, plus the root, with the root re-inserted first
    np.testing.assert_allclose(
        result['preds'][0],
        [[10, 20, 30], [13, 23, 33], [13, 23, 33], [13, 23, 33]])


def test_accuracy_with_restored_root_uses_root_weight():
    head = _head(test_cfg=dict(restore_global_position=True))
    target = torch.zeros(1, 3, 3)
    output = torch.tensor([[[3., 4., 0.], [0., 0., 0.], [0., 0., 0.]]])
    metas = [dict(root_position=np.zeros((1, 3)), root_position_index=0)]
    acc = head.get_accuracy(output, target, torch.ones(1, 3, 1), metas)
    # 4 joints (root inserted, error 0), one with error 5
    np.testing.assert_allclose(acc['mpjpe'].item(), 5 / 4, rtol=1e-6)


def test_inference_flip_mirrors_about_zero():
    head = _head()
    x = torch.randn(1, 8, 1)
    plain = head.inference_model(x)
    flipped = head.inference_model(x, flip_pairs=[[1, 2]])
    np.testing.assert_allclose(flipped[:, [0, 2, 1], 0], -plain[:, :, 0])
    np.testing.assert_allclose(flipped[:, [0, 2, 1], 1:], plain[:, :, 1:])


def test_max_norm_clips_conv_weight():
    head = _head(max_norm=0.5)
    with torch.no_grad():
        head.conv.weight.mul_(100)
    head(torch.randn(1, 8, 1))
    assert head.conv.weight.norm().item() <= 0.5 + 1e-4
