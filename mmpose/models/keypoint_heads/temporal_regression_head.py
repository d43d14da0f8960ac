import numpy as np
import torch
import torch.nn as nn
from mmcv.cnn import build_conv_layer, normal_init

from mmpose.core import WeightNormClipHook
from mmpose.core.evaluation import keypoint_mpjpe
from mmpose.core.post_processing import fliplr_regression
from mmpose.utils import check
from ..builder import build_loss
from ..registry import HEADS


@HEADS.register_module()
class TemporalRegressionHead(nn.Module):
    """Regression head of VideoPose3D.

    Paper ref: Dario Pavllo. ``3D human pose estimation in video with
    temporal convolutions and semi-supervised training``

    A 1x1 temporal convolution turns the features of the (single) output
    frame into K 3D joint positions.

    Note:
        batch_size: N
        num_keypoints: K
        in_channels: C

    Args:
        in_channels (int): Number of input channels.
        num_joints (int): Number of joints.
        max_norm (float | None): If not None, the weight of convolution
            layers will be clipped to have a maximum norm of max_norm.
        loss_keypoint (dict): Config for keypoint loss. Default: None.
        train_cfg (dict | None): Config for training. Default: None.
        test_cfg (dict | None): Config for testing; with
            ``restore_global_position=True`` the root position of the metas
            is added back (and the removed root joint re-inserted).
        is_trajectory (bool): The head predicts the root trajectory (one
            joint) instead of a root-relative pose; the loss is then
            ``traj_loss``, weighted by 1 / depth when no weight is given,
            and the accuracy only MPJPE. Default: False.
    """

    def __init__(self,
                 in_channels,
                 num_joints,
                 max_norm=None,
                 loss_keypoint=None,
                 train_cfg=None,
                 test_cfg=None,
                 is_trajectory=False):
        super().__init__()
        self.in_channels = in_channels
        self.num_joints = num_joints
        self.max_norm = max_norm
        self.loss = None if loss_keypoint is None else build_loss(
            loss_keypoint)
        self.is_trajectory = is_trajectory
        if is_trajectory:
            check(num_joints == 1, 'TemporalRegressionHead: a trajectory '
                  f'head predicts 1 joint, got num_joints={num_joints}')
        self.train_cfg = {} if train_cfg is None else train_cfg
        self.test_cfg = {} if test_cfg is None else test_cfg

        self.conv = build_conv_layer(
            dict(type='Conv1d'), in_channels, num_joints * 3, 1)

        if self.max_norm is not None:
            weight_clip = WeightNormClipHook(self.max_norm)
            for module in self.modules():
                if isinstance(module, nn.modules.conv._ConvNd):
                    weight_clip.register(module)

    @staticmethod
    def _transform_inputs(x):
        """The top-level feature of a 1D feature pyramid (or ``x``)."""
        if not isinstance(x, (list, tuple)):
            return x
        check(len(x) > 0, 'TemporalRegressionHead: got no input features')
        return x[-1]

    def forward(self, x):
        """Forward function.

        Args:
            x (torch.Tensor[N, C, 1] | list[torch.Tensor]): Features of the
                output frame (the last of a list is used).

        Returns:
            torch.Tensor[N, K, 3]: Joint positions.
        """
        x = self._transform_inputs(x)
        check(x.ndim == 3 and x.shape[2] == 1,
              'TemporalRegressionHead: input must be [N, C, 1] (one output '
              f'frame), got {tuple(x.shape)}')
        output = self.conv(x)
        return output.reshape(output.shape[0], self.num_joints, 3)

    def get_loss(self, output, target, target_weight):
        """Calculate keypoint loss.

        Args:
            output (torch.Tensor[N, K, 3]): Output keypoints.
            target (torch.Tensor[N, K, 3] | torch.Tensor[N, 3]): Target
                keypoints ([N, 3] only for a trajectory).
            target_weight (torch.Tensor[N, K, 3] | None): Weights across
                different joint types; None weighs every joint 1 (a
                trajectory: 1 / depth of the target).

        Returns:
            dict: ``reg_loss`` (``traj_loss`` for a trajectory head).
        """
        if self.loss is None:
            raise RuntimeError(f'{type(self).__name__} was built without '
                               'loss_keypoint, so it cannot compute losses')
        check(not isinstance(self.loss, nn.Sequential),
              'TemporalRegressionHead has one output: loss_keypoint must be '
              'one loss config')
        if self.is_trajectory:
            if target.dim() == 2:
                target = target.unsqueeze(1)
            if target_weight is None:
                # far roots move less on screen, so their errors weigh less
                target_weight = (1 / target[:, :, 2:]).expand(target.shape)
            name = 'traj_loss'
        else:
            if target_weight is None:
                target_weight = torch.ones_like(target)
            name = 'reg_loss'
        check(
            target.dim() == 3 and target_weight.dim() == 3,
            'target and target_weight must be [N, K, 3], got '
            f'{tuple(target.shape)} and {tuple(target_weight.shape)}')
        return {name: self.loss(output, target, target_weight)}

    def get_accuracy(self, output, target, target_weight, metas):
        """Calculate accuracy for keypoint loss.

        MPJPE, P-MPJPE (Procrustes-aligned) and N-MPJPE (scale-aligned) of
        the denormalised poses, with the global position restored when
        ``test_cfg['restore_global_position']``. Joints whose weight is 0
        are left out of the means (0.14 averaged them in as zero errors);
        a trajectory head reports MPJPE only.

        Args:
            output (torch.Tensor[N, K, 3]): Output keypoints.
            target (torch.Tensor[N, K, 3]): Target keypoints.
            target_weight (torch.Tensor[N, K, 3] | None): Weights across
                different joint types.
            metas (list(dict)): Information about data augmentation,
                optionally ``target_mean``, ``target_std`` (np.ndarray[K,
                3]), ``root_position`` (np.ndarray[1, 3]),
                ``root_position_index`` and ``root_joint_weight``.

        Returns:
            dict: ``mpjpe`` and, for a pose head, ``p_mpjpe`` and
            ``n_mpjpe`` (0-d tensors).
        """
        output_ = self._to_global(output.detach().cpu().numpy(), metas)
        target_ = target.detach().cpu().numpy()
        if target_.ndim == 2:
            target_ = target_[:, None]
        target_ = self._to_global(target_, metas)
        if target_weight is None:
            mask = np.ones(target_.shape[:2], dtype=bool)
        else:
            weight = target_weight.detach().cpu().numpy()[..., 0]
            if self.test_cfg.get('restore_global_position', False):
                weight = self._restore_root_target_weight(
                    weight[..., None], metas[0].get('root_joint_weight', 1.0),
                    metas[0].get('root_position_index', None))[..., 0]
            mask = weight > 0
        accuracy = dict(mpjpe=keypoint_mpjpe(output_, target_, mask))
        if not self.is_trajectory:
            accuracy['p_mpjpe'] = keypoint_mpjpe(output_, target_, mask,
                                                 'procrustes')
            accuracy['n_mpjpe'] = keypoint_mpjpe(output_, target_, mask,
                                                 'scale')
        return {k: output.new_tensor(v) for k, v in accuracy.items()}

    def inference_model(self, x, flip_pairs=None):
        """Inference function.

        Args:
            x (torch.Tensor[N, C, 1]): Input features.
            flip_pairs (None | list[tuple()]): Pairs of keypoints which are
                mirrored; given for a flipped input, whose predictions are
                then flipped back around x = 0.

        Returns:
            np.ndarray[N, K, 3]: Output regression.
        """
        output = self.forward(x).detach().cpu().numpy()
        if flip_pairs is not None:
            output = fliplr_regression(
                output, flip_pairs, center_mode='static', center_x=0)
        return output

    def decode(self, metas, output):
        """Decode the keypoints from output regression.

        Args:
            metas (list(dict)): Information about data augmentation.
                By default this includes:
                - "target_image_path": path to the image file
                - "target_mean" (np.ndarray[K, 3]): Optional, normalization
                  parameter of the target pose.
                - "target_std" (np.ndarray[K, 3]): Optional, normalization
                  parameter of the target pose.
                - "root_position" (np.ndarray[1, 3]): Optional, global
                  position of the root joint.
                - "root_position_index" (int): Optional, original index of
                  the root joint before root-centering.
            output (np.ndarray[N, K, 3]): predicted regression vector.

        Returns:
            dict: ``preds`` (np.ndarray[N, K', 3], K' = K + 1 when the root
            joint is re-inserted) and ``target_image_paths`` (list).
        """
        return dict(
            preds=self._to_global(output, metas),
            target_image_paths=[m.get('target_image_path') for m in metas])

    def _to_global(self, x, metas):
        """Denormalise ``x`` with the metas' ``target_mean`` /
        ``target_std`` and restore the global position when
        ``test_cfg['restore_global_position']``."""
        if 'target_mean' in metas[0] and 'target_std' in metas[0]:
            target_mean = np.stack([m['target_mean'] for m in metas])
            target_std = np.stack([m['target_std'] for m in metas])
            x = self._denormalize_joints(x, target_mean, target_std)
        if self.test_cfg.get('restore_global_position', False):
            root_pos = np.stack([m['root_position'] for m in metas])
            root_idx = metas[0].get('root_position_index', None)
            x = self._restore_global_position(x, root_pos, root_idx)
        return x

    @staticmethod
    def _denormalize_joints(x, mean, std):
        """Undo the joint normalisation: ``x * std + mean``.

        Args:
            x (np.ndarray[N, K, 3]): Normalised joints.
            mean (np.ndarray[N, K, 3]): Mean.
            std (np.ndarray[N, K, 3]): Standard deviation.

        Returns:
            np.ndarray[N, K, 3]: Denormalised joints.
        """
        check(x.ndim == 3 and x.shape == mean.shape == std.shape,
              'x, mean and std must have the same [N, K, C] shape, got '
              f'{x.shape}, {mean.shape} and {std.shape}')
        return x * std + mean

    @staticmethod
    def _restore_global_position(x, root_pos, root_idx=None):
        """Add the root position back to root-relative joints.

        Args:
            x (np.ndarray[N, K, 3]): Root-relative joints.
            root_pos (np.ndarray[N, 1, 3]): Global root positions.
            root_idx (int | None): When given, the root joint was removed
                at this index and is inserted back.

        Returns:
            np.ndarray[N, K, 3] | np.ndarray[N, K + 1, 3]: Global joints.
        """
        x = x + root_pos
        if root_idx is not None:
            x = np.insert(x, root_idx, root_pos.squeeze(1), axis=1)
        return x

    @staticmethod
    def _restore_root_target_weight(target_weight, root_weight, root_idx=None):
        """Insert the root joint's weight back at ``root_idx``.

        Args:
            target_weight (np.ndarray[N, K, 1]): Joint weights.
            root_weight (float): Weight of the root joint.
            root_idx (int | None): Index the root joint was removed at.

        Returns:
            np.ndarray[N, K(+1), 1]: Joint weights.
        """
        if root_idx is not None:
            root_weight = np.full(
                target_weight.shape[0], root_weight, dtype=target_weight.dtype)
            target_weight = np.insert(
                target_weight, root_idx, root_weight[:, None], axis=1)
        return target_weight

    def init_weights(self):
        """Initialize the weights."""
        normal_init(self.conv, mean=0, std=0.01, bias=0)
