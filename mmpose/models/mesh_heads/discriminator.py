"""Discriminators of SMPL parameters for HMR's adversarial prior.

``SMPLDiscriminator`` judges a (camera, pose, shape) triple with one score
per body joint (``PoseDiscriminator``), one for the whole pose
(``FullPoseDiscriminator``) and one for the shape (``ShapeDiscriminator``).
Module and parameter names are 0.14's, so its checkpoints load strictly.
"""
import torch
import torch.nn as nn
from mmcv.cnn import normal_init, xavier_init

from mmpose.utils import check
from .geometric_layers import batch_rodrigues


def _check_last_is_one(channels, name):
    # 0.14 raised ValueError here; ArgumentError is one.
    check(
        channels[-1] == 1, f'the neuron count of the last layer of {name} '
        f'must be 1, but got {channels[-1]}')


class BaseDiscriminator(nn.Module):
    """A stack of fully connected layers, each optionally followed by a ReLU
    and a dropout.

    Note:
        batch size: N

    Args:
        fc_layers (Sequence[int]): Sizes of the layers, input first; at
            least 2.
        use_dropout (Sequence[bool]): Per linear layer, whether a dropout
            follows it (at most ``len(fc_layers) - 1`` entries).
        drop_prob (Sequence[float]): Dropout probabilities, as many as
            ``use_dropout``.
        use_activation (Sequence[bool]): Per linear layer, whether a ReLU
            follows it (at most ``len(fc_layers) - 1`` entries).
    """

    def __init__(self, fc_layers, use_dropout, drop_prob, use_activation):
        super().__init__()
        self.fc_layers = fc_layers
        self.use_dropout = use_dropout
        self.drop_prob = drop_prob
        self.use_activation = use_activation
        self._check()
        self.create_layers()

    def _check(self):
        num_fc = len(self.fc_layers)
        check(
            num_fc >= 2 and len(self.use_dropout) < num_fc
            and len(self.drop_prob) < num_fc
            and len(self.use_activation) < num_fc
            and len(self.drop_prob) == len(self.use_dropout),
            'Wrong BaseDiscriminator parameters: fc_layers needs at least 2 '
            'sizes, use_dropout, drop_prob and use_activation at most one '
            'entry per linear layer and drop_prob as many as use_dropout; '
            f'got fc_layers={self.fc_layers}, use_dropout={self.use_dropout}'
            f', drop_prob={self.drop_prob}, '
            f'use_activation={self.use_activation}')

    def create_layers(self):
        """Create ``fc_blocks`` with 0.14's layer names."""
        self.fc_blocks = nn.Sequential()
        for i in range(len(self.fc_layers) - 1):
            self.fc_blocks.add_module(
                f'regressor_fc_{i}',
                nn.Linear(self.fc_layers[i], self.fc_layers[i + 1]))
            if i < len(self.use_activation) and self.use_activation[i]:
                self.fc_blocks.add_module(f'regressor_af_{i}', nn.ReLU())
            if i < len(self.use_dropout) and self.use_dropout[i]:
                self.fc_blocks.add_module(f'regressor_fc_dropout_{i}',
                                          nn.Dropout(p=self.drop_prob[i]))

    def forward(self, inputs):
        """Forward function.

        Args:
            inputs (torch.Tensor[N, C]): C is ``fc_layers[0]``.

        Returns:
            torch.Tensor[N, C']: C' is ``fc_layers[-1]``.
        """
        return self.fc_blocks(inputs)


class ShapeDiscriminator(BaseDiscriminator):
    """Discriminator of SMPL shape parameters: a ``BaseDiscriminator`` with
    one output.

    Args:
        fc_layers (Sequence[int]): Layer sizes, the last must be 1.
        use_dropout (Sequence[bool]): See ``BaseDiscriminator``.
        drop_prob (Sequence[float]): See ``BaseDiscriminator``.
        use_activation (Sequence[bool]): See ``BaseDiscriminator``.
    """

    def _check(self):
        super()._check()
        _check_last_is_one(self.fc_layers, type(self).__name__)


class FullPoseDiscriminator(ShapeDiscriminator):
    """Discriminator of the whole pose, fed with the per-joint features of
    ``PoseDiscriminator``: a ``BaseDiscriminator`` with one output.

    Args:
        fc_layers (Sequence[int]): Layer sizes, the last must be 1.
        use_dropout (Sequence[bool]): See ``BaseDiscriminator``.
        drop_prob (Sequence[float]): See ``BaseDiscriminator``.
        use_activation (Sequence[bool]): See ``BaseDiscriminator``.
    """


class PoseDiscriminator(nn.Module):
    """Discriminator of the rotation of each joint: shared 1x1 convolutions
    extract a feature per joint and one linear layer per joint scores it.

    Note:
        batch size: N
        joint count: J

    Args:
        channels (Sequence[int]): Channels of the convolutions, input (9, a
            flattened rotation matrix) first; the last entry (the per-joint
            score) must be 1.
        joint_count (int): Number of joints J.
    """

    def __init__(self, channels, joint_count):
        super().__init__()
        _check_last_is_one(channels, type(self).__name__)
        self.joint_count = joint_count
        self.conv_blocks = nn.Sequential()
        for idx in range(len(channels) - 2):
            self.conv_blocks.add_module(
                f'conv_{idx}',
                nn.Conv2d(channels[idx], channels[idx + 1], kernel_size=1))
        self.fc_layer = nn.ModuleList(
            nn.Linear(channels[-2], 1) for _ in range(joint_count))

    def forward(self, inputs):
        """Forward function.

        Args:
            inputs (torch.Tensor[N, J, 9]): Flattened rotation matrices.

        Returns:
            tuple[torch.Tensor[N, J], torch.Tensor[N, C, 1, J]]: The score
            of each joint and the per-joint features (C is
            ``channels[-2]``).
        """
        features = self.conv_blocks(inputs.transpose(1, 2).unsqueeze(2))
        # All J linear layers at once: each joint's feature meets its own
        # layer's weights.
        weight = torch.cat([fc.weight for fc in self.fc_layer])
        bias = torch.cat([fc.bias for fc in self.fc_layer])
        scores = torch.einsum('ncj,jc->nj', features[:, :, 0], weight) + bias
        return scores, features


class SMPLDiscriminator(nn.Module):
    """Discriminator of SMPL parameters (camera, pose, shape).

    Note:
        batch size: N

    Args:
        beta_channel (Sequence[int]): Layer sizes of the shape
            discriminator; the first must be 10 (SMPL's shape parameters).
        per_joint_channel (Sequence[int]): Channels of the per-joint pose
            discriminator; the first must be 9 (a flattened rotation).
        full_pose_channel (Sequence[int]): Layer sizes of the full-pose
            discriminator; the first must be 23 (joints without the global
            rotation) times ``per_joint_channel[-2]``.
    """

    def __init__(self,
                 beta_channel=(10, 10, 5, 1),
                 per_joint_channel=(9, 32, 32, 1),
                 full_pose_channel=(32 * 23, 1024, 1024, 1)):
        super().__init__()
        self.joint_count = 23
        check(beta_channel[0] == 10,
              f'beta_channel[0] must be 10, got {beta_channel[0]}')
        check(per_joint_channel[0] == 9,
              f'per_joint_channel[0] must be 9, got {per_joint_channel[0]}')
        check(
            self.joint_count * per_joint_channel[-2] == full_pose_channel[0],
            'full_pose_channel[0] must be 23 * per_joint_channel[-2] = '
            f'{self.joint_count * per_joint_channel[-2]}, '
            f'got {full_pose_channel[0]}')
        self.beta_channel = beta_channel
        self.per_joint_channel = per_joint_channel
        self.full_pose_channel = full_pose_channel
        self._create_sub_modules()

    @staticmethod
    def _fc_args(fc_layers):
        """Arguments of a fully connected discriminator: ReLU after every
        layer but the last, no dropout."""
        num_linear = len(fc_layers) - 1
        return dict(
            fc_layers=fc_layers,
            use_dropout=[False] * num_linear,
            drop_prob=[0.5] * num_linear,
            use_activation=[True] * (num_linear - 1) + [False])

    def _create_sub_modules(self):
        """Create the pose, full-pose and shape discriminators."""
        self.pose_discriminator = PoseDiscriminator(self.per_joint_channel,
                                                    self.joint_count)
        self.full_pose_discriminator = FullPoseDiscriminator(
            **self._fc_args(self.full_pose_channel))
        self.shape_discriminator = ShapeDiscriminator(
            **self._fc_args(self.beta_channel))

    def forward(self, thetas):
        """Forward function.

        Args:
            thetas (tuple[torch.Tensor]): (camera [N, 3], pose, shape
                [N, 10]); the pose is axis-angle [N, 72] or rotation
                matrices [N, 24, 3, 3].

        Returns:
            torch.Tensor[N, 25]: 23 per-joint scores, the full-pose score
            and the shape score.
        """
        _, poses, shapes = thetas
        batch_size = poses.shape[0]
        shape_disc_value = self.shape_discriminator(shapes)
        if poses.dim() == 2:
            rotmats = batch_rodrigues(poses.reshape(-1, 3))
        else:
            rotmats = poses
        # The global rotation (joint 0) says nothing about plausibility.
        rotmats = rotmats.reshape(batch_size, 24, 9)[:, 1:, :]
        pose_disc_value, pose_features = self.pose_discriminator(rotmats)
        full_pose_disc_value = self.full_pose_discriminator(
            pose_features.reshape(batch_size, -1))
        return torch.cat(
            (pose_disc_value, full_pose_disc_value, shape_disc_value), 1)

    def init_weights(self):
        """Initialize model weights: convolutions with a normal of std 0.001,
        linear layers with Xavier (gain 0.01)."""
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                normal_init(m, std=0.001)
            elif isinstance(m, nn.Linear):
                xavier_init(m, gain=0.01)
