import torch.nn as nn

from mmpose.utils import check
from ..registry import LOSSES


def _joint_squared_errors(output, target, target_weight, use_target_weight):
    """Mean squared error of each heatmap.

    Args:
        output (torch.Tensor[N, K, H, W]): Output heatmaps.
        target (torch.Tensor[N, K, H, W]): Target heatmaps.
        target_weight (torch.Tensor[N, K, 1]): Weights across different
            joint types.
        use_target_weight (bool): Whether to weight each heatmap.

    Returns:
        torch.Tensor[N, K]: Per-heatmap MSE, with weighted pred and target
            (i.e. ``w^2 * (pred - gt)^2``) as in 0.x.
    """
    batch_size, num_joints = output.shape[:2]
    diff = (
        output.reshape(batch_size, num_joints, -1) -
        target.reshape(batch_size, num_joints, -1))
    if use_target_weight:
        diff = diff * target_weight.reshape(batch_size, num_joints, 1)
    return diff.pow(2).mean(dim=2)


@LOSSES.register_module()
class JointsMSELoss(nn.Module):
    """MSE loss for heatmaps.

    Args:
        use_target_weight (bool): Option to use weighted MSE loss.
            Different joint types may have different target weights.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def __init__(self, use_target_weight=False, loss_weight=1.):
        super().__init__()
        self.use_target_weight = use_target_weight
        self.loss_weight = loss_weight

    def _reduce(self, errors):
        """Reduce per-joint errors (torch.Tensor[N, K]) to the loss."""
        return errors.mean()

    def forward(self, output, target, target_weight):
        """Forward function.

        Note:
            batch_size: N
            num_keypoints: K
            heatmaps height: H
            heatmaps weight: W

        Args:
            output (torch.Tensor[N, K, H, W]): Output heatmaps.
            target (torch.Tensor[N, K, H, W]): Target heatmaps.
            target_weight (torch.Tensor[N, K, 1]): Weights across different
                joint types.

        Returns:
            torch.Tensor: The scalar loss.
        """
        errors = _joint_squared_errors(output, target, target_weight,
                                       self.use_target_weight)
        return self._reduce(errors) * self.loss_weight


@LOSSES.register_module()
class JointsOHKMMSELoss(JointsMSELoss):
    """MSE loss with online hard keypoint mining.

    Args:
        use_target_weight (bool): Option to use weighted MSE loss.
            Different joint types may have different target weights.
        topk (int): Only top k joint losses are kept.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def __init__(self, use_target_weight=False, topk=8, loss_weight=1.):
        super().__init__(use_target_weight, loss_weight)
        check(topk > 0, f'JointsOHKMMSELoss: topk must be > 0, got {topk}')
        self.topk = topk

    def _ohkm(self, loss):
        """Average of the ``topk`` largest joint losses of each sample.

        Args:
            loss (torch.Tensor[N, K]): Per-joint losses.

        Returns:
            torch.Tensor: The scalar loss.
        """
        topk_loss, _ = loss.topk(k=self.topk, dim=1, sorted=False)
        return topk_loss.mean()

    def _reduce(self, errors):
        num_joints = errors.size(1)
        check(
            num_joints >= self.topk,
            f'JointsOHKMMSELoss: topk ({self.topk}) should not be larger '
            f'than num_joints ({num_joints}).')
        return self._ohkm(errors)


@LOSSES.register_module()
class CombinedTargetMSELoss(nn.Module):
    """MSE loss for combined target.

    CombinedTarget: The combination of classification target
    (response map) and regression target (offset map).
    Paper ref: Huang et al. The Devil is in the Details: Delving into
    Unbiased Data Processing for Human Pose Estimation (CVPR 2020).

    Args:
        use_target_weight (bool): Option to use weighted MSE loss.
            Different joint types may have different target weights.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def __init__(self, use_target_weight, loss_weight=1.):
        super().__init__()
        self.use_target_weight = use_target_weight
        self.loss_weight = loss_weight

    def forward(self, output, target, target_weight):
        """Forward function.

        Note:
            batch_size: N
            num_keypoints: K
            heatmaps height: H
            heatmaps weight: W

        Args:
            output (torch.Tensor[N, 3K, H, W]): Output maps, channels
                [heatmap, x-offset, y-offset] per keypoint.
            target (torch.Tensor[N, 3K, H, W]): Target maps.
            target_weight (torch.Tensor[N, K, 1]): Weights across different
                joint types.

        Returns:
            torch.Tensor: The scalar loss.
        """
        batch_size, num_channels = output.shape[:2]
        num_joints = num_channels // 3
        output = output.reshape(batch_size, num_joints, 3, -1)
        target = target.reshape(batch_size, num_joints, 3, -1)
        heatmap_pred, heatmap_gt = output[:, :, 0], target[:, :, 0]
        if self.use_target_weight:
            weight = target_weight.reshape(batch_size, num_joints, 1)
            heatmap_pred = heatmap_pred * weight
            heatmap_gt = heatmap_gt * weight
        # Offsets only count where the (weighted) target heatmap responds.
        offset_diff = heatmap_gt[:, :, None] * (
            output[:, :, 1:] - target[:, :, 1:])
        loss = 0.5 * ((heatmap_pred - heatmap_gt).pow(2).mean() +
                      offset_diff.pow(2).mean(dim=(0, 1, 3)).sum())
        return loss * self.loss_weight
