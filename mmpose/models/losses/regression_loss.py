import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from ..registry import LOSSES


class _WeightedRegressionLoss(nn.Module):
    """A criterion on (optionally) target-weighted predictions and targets.

    As in 0.x, ``target_weight`` multiplies both the output and the target
    before ``criterion`` is applied. A subclass defines ``criterion``.

    Args:
        use_target_weight (bool): Option to use weighted loss.
            Different joint types may have different target weights.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def __init__(self, use_target_weight=False, loss_weight=1.):
        super().__init__()
        self.use_target_weight = use_target_weight
        self.loss_weight = loss_weight

    def forward(self, output, target, target_weight):
        """Forward function.

        Note:
            batch_size: N
            num_keypoints: K
            dimension of keypoints: D (D=2 or D=3)

        Args:
            output (torch.Tensor[N, K, D]): Output regression.
            target (torch.Tensor[N, K, D]): Target regression.
            target_weight (torch.Tensor[N, K, D]): Weights across
                different joint types.

        Returns:
            torch.Tensor: The scalar loss.
        """
        if self.use_target_weight:
            loss = self.criterion(output * target_weight,
                                  target * target_weight)
        else:
            loss = self.criterion(output, target)
        return loss * self.loss_weight


@LOSSES.register_module()
class SmoothL1Loss(_WeightedRegressionLoss):
    """SmoothL1Loss loss.

    Args:
        use_target_weight (bool): Option to use weighted MSE loss.
            Different joint types may have different target weights.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    criterion = staticmethod(F.smooth_l1_loss)


@LOSSES.register_module()
class L1Loss(_WeightedRegressionLoss):
    """L1Loss loss.

    Args:
        use_target_weight (bool): Option to use weighted loss.
            Different joint types may have different target weights.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    criterion = staticmethod(F.l1_loss)


@LOSSES.register_module()
class MSELoss(_WeightedRegressionLoss):
    """MSE loss for coordinate regression.

    Args:
        use_target_weight (bool): Option to use weighted loss.
            Different joint types may have different target weights.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    criterion = staticmethod(F.mse_loss)


@LOSSES.register_module()
class WingLoss(_WeightedRegressionLoss):
    """Wing Loss. paper ref: 'Wing Loss for Robust Facial Landmark Localisation
    with Convolutional Neural Networks' Feng et al. CVPR'2018.

    Args:
        omega (float): Also referred to as width. Default: 10.0.
        epsilon (float): Also referred to as curvature. Default: 2.0.
        use_target_weight (bool): Option to use weighted loss.
            Different joint types may have different target weights.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def __init__(self,
                 omega=10.0,
                 epsilon=2.0,
                 use_target_weight=False,
                 loss_weight=1.):
        super().__init__(use_target_weight, loss_weight)
        self.omega = omega
        self.epsilon = epsilon
        # Joins the log part and the linear part continuously at |x| = omega.
        self.C = self.omega * (1.0 - math.log(1.0 + self.omega / self.epsilon))

    def criterion(self, pred, target):
        """Criterion of wingloss.

        Note:
            batch_size: N
            num_keypoints: K
            dimension of keypoints: D (D=2 or D=3)

        Args:
            pred (torch.Tensor[N, K, D]): Output regression.
            target (torch.Tensor[N, K, D]): Target regression.

        Returns:
            torch.Tensor: Loss summed over keypoints and averaged over N.
        """
        delta = (target - pred).abs()
        losses = torch.where(
            delta < self.omega,
            self.omega * torch.log(1.0 + delta / self.epsilon), delta - self.C)
        return torch.mean(torch.sum(losses, dim=[1, 2]), dim=0)


@LOSSES.register_module()
class MPJPELoss(_WeightedRegressionLoss):
    """MPJPE (Mean Per Joint Position Error) loss.

    Args:
        use_target_weight (bool): Option to use weighted MSE loss.
            Different joint types may have different target weights.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def criterion(self, pred, target):
        """Mean Euclidean distance between predicted and target joints.

        Args:
            pred (torch.Tensor[N, K, D]): Output regression.
            target (torch.Tensor[N, K, D]): Target regression.

        Returns:
            torch.Tensor: The scalar loss.
        """
        return torch.mean(torch.norm(pred - target, dim=-1))
