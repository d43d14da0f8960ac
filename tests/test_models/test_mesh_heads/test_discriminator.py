import pytest
import torch
import torch.nn.functional as F

from mmpose.models.mesh_heads.discriminator import (BaseDiscriminator,
                                                    FullPoseDiscriminator,
                                                    PoseDiscriminator,
                                                    SMPLDiscriminator,
                                                    ShapeDiscriminator)
from mmpose.utils import ArgumentError


def _reference_fc(state, prefix, x, num_layers):
    """The fc stack written out: ReLU after every layer but the last."""
    for i in range(num_layers):
        x = F.linear(x, state[f'{prefix}.regressor_fc_{i}.weight'],
                     state[f'{prefix}.regressor_fc_{i}.bias'])
        if i < num_layers - 1:
            x = F.relu(x)
    return x


def test_smpl_discriminator_keys_and_layers():
    disc = SMPLDiscriminator()
    shapes = {k: tuple(v.shape) for k, v in disc.state_dict().items()}
    assert len(shapes) == 4 + 2 * 23 + 6 + 6
    assert shapes['pose_discriminator.conv_blocks.conv_0.weight'] == (32, 9, 1,
                                                                      1)
    assert shapes['pose_discriminator.conv_blocks.conv_1.weight'] == (32, 32,
                                                                      1, 1)
    assert shapes['pose_discriminator.fc_layer.22.weight'] == (1, 32)
    assert shapes[
        'full_pose_discriminator.fc_blocks.regressor_fc_0.weight'] == (1024,
                                                                       736)
    assert shapes[
        'full_pose_discriminator.fc_blocks.regressor_fc_2.weight'] == (1, 1024)
    assert shapes['shape_discriminator.fc_blocks.regressor_fc_0.weight'] == (
        10, 10)
    assert shapes['shape_discriminator.fc_blocks.regressor_fc_2.weight'] == (1,
                                                                             5)
    assert [
        name
        for name, _ in disc.shape_discriminator.fc_blocks.named_children()
    ] == [
        'regressor_fc_0', 'regressor_af_0', 'regressor_fc_1', 'regressor_af_1',
        'regressor_fc_2'
    ]


def test_base_discriminator_dropout_and_activation_flags():
    disc = BaseDiscriminator([4, 3, 2], [True, False], [0.3, 0.5], [False])
    layers = dict(disc.fc_blocks.named_children())
    assert list(layers) == [
        'regressor_fc_0', 'regressor_fc_dropout_0', 'regressor_fc_1'
    ]
    assert layers['regressor_fc_dropout_0'].p == 0.3
    assert disc(torch.zeros(5, 4)).shape == (5, 2)


def test_pose_discriminator_matches_a_per_joint_loop():
    torch.manual_seed(0)
    disc = PoseDiscriminator([9, 16, 8, 1], joint_count=5)
    x = torch.randn(3, 5, 9)
    scores, features = disc(x)
    assert scores.shape == (3, 5) and features.shape == (3, 8, 1, 5)
    state = disc.state_dict()
    for j in range(5):
        h = x[:, j]
        for i in range(2):
            h = F.linear(h, state[f'conv_blocks.conv_{i}.weight'][:, :, 0, 0],
                         state[f'conv_blocks.conv_{i}.bias'])
        torch.testing.assert_close(features[:, :, 0, j], h)
        torch.testing.assert_close(
            scores[:, j],
            F.linear(h, state[f'fc_layer.{j}.weight'],
                     state[f'fc_layer.{j}.bias'])[:, 0])


def test_smpl_discriminator_forward_written_out():
    torch.manual_seed(1)
    disc = SMPLDiscriminator(
        beta_channel=(10, 4, 1),
        per_joint_channel=(9, 6, 1),
        full_pose_channel=(6 * 23, 7, 1))
    disc.init_weights()
    for p in disc.parameters():  # init_weights leaves tiny values
        p.data.normal_()
    rotmats = torch.linalg.qr(torch.randn(2, 24, 3, 3))[0]
    shapes = torch.randn(2, 10)
    out = disc((None, rotmats, shapes))
    assert out.shape == (2, 23 + 1 + 1)

    state = disc.state_dict()
    # Joint 0 (global rotation) is left out; joint j + 1 feeds layer j.
    per_joint = F.linear(
        rotmats[:, 1:].reshape(2, 23, 9),
        state['pose_discriminator.conv_blocks.conv_0.weight'][:, :, 0, 0],
        state['pose_discriminator.conv_blocks.conv_0.bias'])  # [2, 23, 6]
    joint_scores = torch.stack([
        F.linear(per_joint[:, j],
                 state[f'pose_discriminator.fc_layer.{j}.weight'],
                 state[f'pose_discriminator.fc_layer.{j}.bias'])[:, 0]
        for j in range(23)
    ], 1)
    # The full-pose input is channel-major: all joints of channel 0 first.
    full = _reference_fc(state, 'full_pose_discriminator.fc_blocks',
                         per_joint.transpose(1, 2).reshape(2, -1), 2)
    shape = _reference_fc(state, 'shape_discriminator.fc_blocks', shapes, 2)
    torch.testing.assert_close(out, torch.cat([joint_scores, full, shape], 1))


def test_axis_angle_pose_is_turned_into_rotations():
    disc = SMPLDiscriminator()
    zero_pose = torch.zeros(3, 72)
    identity = torch.eye(3).repeat(3, 24, 1, 1)
    shapes = torch.randn(3, 10)
    torch.testing.assert_close(
        disc((None, zero_pose, shapes)), disc((None, identity, shapes)))
    # A quarter turn about z of joint 1 is the matrix written by hand.
    pose = torch.zeros(1, 72)
    pose[0, 5] = torch.pi / 2
    rot = torch.eye(3).repeat(1, 24, 1, 1)
    rot[0, 1] = torch.tensor([[0., -1, 0], [1, 0, 0], [0, 0, 1]])
    torch.testing.assert_close(
        disc((None, pose, shapes[:1])),
        disc((None, rot, shapes[:1])),
        atol=1e-6,
        rtol=0)


@pytest.mark.parametrize('build', [
    lambda: ShapeDiscriminator([10, 5, 2], [False, False], [0.5, 0.5],
                               [True, False]),
    lambda: FullPoseDiscriminator([8, 2], [False], [0.5], [False]),
    lambda: PoseDiscriminator([9, 32, 2], 23),
    lambda: BaseDiscriminator([4], [], [], []),
    lambda: BaseDiscriminator([4, 1], [False, False], [0.5, 0.5], [False]),
    lambda: BaseDiscriminator([4, 1], [False], [], [False]),
    lambda: SMPLDiscriminator(beta_channel=(9, 5, 1)),
    lambda: SMPLDiscriminator(per_joint_channel=(3, 32, 1)),
    lambda: SMPLDiscriminator(full_pose_channel=(32, 1024, 1)),
])
def test_bad_arguments(build):
    # 0.14 raised ValueError for the first six, AssertionError for the rest.
    with pytest.raises(ArgumentError):
        build()
    assert issubclass(ArgumentError, ValueError)
