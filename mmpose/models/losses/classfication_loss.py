"""Classification losses (0.14's module name, spelling included)."""
import torch.nn.functional as F

from ..registry import LOSSES
from .regression_loss import _WeightedRegressionLoss


@LOSSES.register_module()
class BCELoss(_WeightedRegressionLoss):
    """Binary Cross Entropy loss.

    It takes the arguments of the weighted regression losses, but weights
    scale the per-element loss, not the inputs (probabilities).

    Args:
        use_target_weight (bool): Option to use weighted loss.
            Different labels may have different target weights.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    criterion = staticmethod(F.binary_cross_entropy)

    def forward(self, output, target, target_weight):
        """Forward function.

        Note:
            batch_size: N
            num_labels: K

        Args:
            output (torch.Tensor[N, K]): Output classification.
            target (torch.Tensor[N, K]): Target classification.
            target_weight (torch.Tensor[N, K] or torch.Tensor[N]):
                Weights across different labels.

        Returns:
            torch.Tensor: The scalar loss.
        """
        if self.use_target_weight:
            loss = self.criterion(output, target, reduction='none')
            if target_weight.dim() == 1:
                target_weight = target_weight[:, None]
            loss = (loss * target_weight).mean()
        else:
            loss = self.criterion(output, target)
        return loss * self.loss_weight
