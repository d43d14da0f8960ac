import math

import pytest
import torch

from mmpose.models import build_loss
from mmpose.models.losses.mesh_loss import perspective_projection

IMG_RES = 224


def _mesh_loss(**kwargs):
    cfg = dict(
        type='MeshLoss',
        joints_2d_loss_weight=100,
        joints_3d_loss_weight=1000,
        vertex_loss_weight=20,
        smpl_pose_loss_weight=30,
        smpl_beta_loss_weight=0.2,
        img_res=IMG_RES)
    cfg.update(kwargs)
    return build_loss(cfg)


def test_perspective_projection_by_hand():
    points = torch.tensor([[[1., 2, 10], [0, 0, 5]]])
    center = torch.tensor([[50., 60]])
    out = perspective_projection(points,
                                 torch.eye(3)[None], torch.zeros(1, 3), 100.,
                                 center)
    # f * x / z + c
    torch.testing.assert_close(out, torch.tensor([[[60., 80], [50, 60]]]))
    rz90 = torch.tensor([[[0., -1, 0], [1, 0, 0], [0, 0, 1]]])
    out = perspective_projection(points[:, :1], rz90,
                                 torch.tensor([[0., 0, 10]]),
                                 torch.tensor([200.]), center)
    # Rz90 (1, 2, 10) = (-2, 1, 10), moved to z = 20.
    torch.testing.assert_close(out, torch.tensor([[[30., 70]]]))


def test_project_points_is_weak_perspective_at_depth_zero():
    loss = _mesh_loss()
    points = torch.tensor([[[0.5, -0.25, 0.], [0, 0, 0]]])
    camera = torch.tensor([[2., 0.1, 0.2]])
    # s * img_res / 2 * (x + t) for points at depth 0.
    expected = 2 * IMG_RES / 2 * torch.tensor([[[0.6, -0.05], [0.1, 0.2]]])
    torch.testing.assert_close(loss.project_points(points, camera), expected)


def _exact_case(n=2, k=24, v=5):
    """Predictions and targets on which every term is zero."""
    torch.manual_seed(0)
    joints_3d = torch.randn(n, k, 3)
    joints_3d[..., 2] = 0
    camera = torch.tensor([[1., 0, 0]] * n)
    vertices = torch.randn(n, v, 3)
    output = dict(
        vertices=vertices.clone(),
        joints_3d=joints_3d.clone(),
        camera=camera,
        pose=torch.eye(3).repeat(n, 24, 1, 1),
        beta=torch.zeros(n, 10))
    target = dict(
        vertices=vertices.clone(),
        # The target is translated: the loss centres both on the pelvis.
        joints_3d=joints_3d + torch.tensor([0.3, -1, 2]),
        joints_3d_visible=torch.ones(n, k, 1),
        # Top-left origin: the image centre is (img_res - 1) / 2.
        joints_2d=joints_3d[..., :2] * IMG_RES / 2 + (IMG_RES - 1) / 2,
        joints_2d_visible=torch.ones(n, k, 1),
        pose=torch.zeros(n, 72),
        beta=torch.zeros(n, 10),
        has_smpl=torch.ones(n))
    return output, target


def test_mesh_loss_zero_on_exact_predictions():
    output, target = _exact_case()
    losses = _mesh_loss()(output, target)
    assert set(losses) == {
        'vertex_loss', 'smpl_pose_loss', 'smpl_beta_loss', 'joints_3d_loss',
        'joints_2d_loss'
    }
    for name, value in losses.items():
        assert value.item() == pytest.approx(0, abs=1e-6), name
    del output['pose']
    assert 'smpl_pose_loss' not in _mesh_loss()(output, target)


def test_mesh_loss_terms_by_hand():
    n, k, v = 2, 24, 5
    output, target = _exact_case(n, k, v)
    # Vertex: L1 0.5 on one coordinate of sample 0; sample 1 has no SMPL,
    # so its (large) error is ignored.
    target['has_smpl'] = torch.tensor([1., 0])
    output['vertices'][0, 1, 2] += 0.5
    output['vertices'][1] += 7
    # Beta: squared error 0.2^2 on one entry of sample 0.
    output['beta'][0, 3] = 0.2
    # Pose: joint 5 of sample 0 turned 90 degrees about z: the rotation
    # matrices differ in 4 entries by 1 each (cos 90 - 1, sin 90).
    output['pose'][0, 5] = torch.tensor([[0., -1, 0], [1, 0, 0], [0, 0, 1]])
    # 3D: joint 7 off by 0.5 in x (smooth L1: 0.5 * 0.5^2), joint 8 off but
    # invisible.
    output['joints_3d'][1, 7, 0] += 0.5
    output['joints_3d'][0, 8] += 5
    target['joints_3d_visible'][0, 8] = 0
    # 2D: the ground truth of joint 9 moved by d pixels; the 3D offsets of
    # joints 7 and 8 reach their projections, so hide those in 2D.
    d = 11.15
    target['joints_2d'][1, 9, 1] += d
    target['joints_2d_visible'][0, 8] = 0
    target['joints_2d_visible'][1, 7] = 0
    losses = _mesh_loss()(output, target)

    expected = dict(
        vertex_loss=20 * 0.5 / (n * v * 3),
        smpl_beta_loss=0.2 * 0.2**2 / (n * 10),
        smpl_pose_loss=30 * 4 / (n * 24 * 9),
        joints_3d_loss=1000 * 0.5 * 0.5**2 / (n * k * 3),
        joints_2d_loss=100 * 0.5 * (2 * d / (IMG_RES - 1))**2 / (n * k * 2))
    for name, value in expected.items():
        assert losses[name].item() == pytest.approx(value, rel=1e-4), name


def test_mesh_loss_pelvis_is_the_mean_of_joints_2_and_3():
    output, target = _exact_case()
    # Moving the hips moves the pelvis, so every other joint is off.
    output['joints_3d'][:, 2:4, 0] += 1.
    losses = _mesh_loss(joints_3d_loss_weight=1)(output, target)
    # Pelvis moves by 1: in both samples 22 joints are off by -1 (smooth L1
    # 0.5), the hips by 0.
    assert losses['joints_3d_loss'].item() == pytest.approx(
        2 * 22 * 0.5 / (2 * 24 * 3), rel=1e-5)


@pytest.mark.parametrize('gan_type, x, real, disc, expected', [
    ('vanilla', [0., 0.], True, False, math.log(2) * 2.),
    ('vanilla', [0., 0.], False, True, math.log(2)),
    ('lsgan', [0.5, 2.], True, False, (0.25 + 1) / 2 * 2.),
    ('lsgan', [0.5, 2.], False, True, (0.25 + 4) / 2),
    ('wgan', [1., 3.], True, True, -2.),
    ('wgan', [1., 3.], False, False, 2. * 2.),
    ('hinge', [0.5, 2.], True, True, (0.5 + 0) / 2),
    ('hinge', [0.5, 2.], False, True, (1.5 + 3) / 2),
    ('hinge', [0.5, 2.], True, False, -1.25 * 2.),
])
def test_gan_loss_by_hand(gan_type, x, real, disc, expected):
    # loss_weight=2 applies to generators only.
    loss = build_loss(dict(type='GANLoss', gan_type=gan_type, loss_weight=2.))
    value = loss(torch.tensor(x), target_is_real=real, is_disc=disc)
    assert value.item() == pytest.approx(expected, rel=1e-6)


def test_gan_loss_label_values_and_unknown_type():
    loss = build_loss(
        dict(
            type='GANLoss',
            gan_type='lsgan',
            real_label_val=0.9,
            fake_label_val=0.1))
    x = torch.tensor([0.5, 1.])
    assert loss(x, True).item() == pytest.approx((0.16 + 0.01) / 2)
    assert loss(x, False).item() == pytest.approx((0.16 + 0.81) / 2)
    torch.testing.assert_close(
        loss.get_target_label(x, False), torch.tensor([0.1, 0.1]))
    with pytest.raises(NotImplementedError, match='wasserstein'):
        build_loss(dict(type='GANLoss', gan_type='wasserstein'))
