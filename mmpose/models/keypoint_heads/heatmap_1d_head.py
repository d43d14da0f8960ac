import torch
import torch.nn.functional as F

from ..registry import HEADS
from .fc_vector_head import FcVectorHead


@HEADS.register_module()
class Heatmap1DHead(FcVectorHead):
    """Root depth head of paper ref: Gyeongsik Moon. "InterHand2.6M: A
    Dataset and Baseline for 3D Interacting Hand Pose Estimation from a
    Single RGB Image".

    An MLP predicts a 1D heatmap of ``heatmap_size`` bins; its soft-argmax
    (expected bin under the softmax) is the output value.

    Note:
        batch size: N
        in_channels: C

    Args:
        in_channels (int): Number of input channels.
        heatmap_size (int): Heatmap size.
        hidden_dims (list|tuple): Number of feature dimension of FC layers.
        loss_value (dict): Config for heatmap 1d loss. Default: None.
        train_cfg (dict | None): Config for training. Default: None.
        test_cfg (dict | None): Config for testing. Default: None.
    """

    loss_name = 'value_loss'
    result_key = 'values'

    def __init__(self,
                 in_channels=2048,
                 heatmap_size=64,
                 hidden_dims=(512, ),
                 loss_value=None,
                 train_cfg=None,
                 test_cfg=None):
        super().__init__(in_channels, heatmap_size, hidden_dims, loss_value,
                         train_cfg, test_cfg)
        self.heatmap_size = heatmap_size

    def soft_argmax_1d(self, heatmap1d):
        """Expected bin of the softmax of ``heatmap1d`` ([N, heatmap_size]),
        a tensor [N]."""
        prob = F.softmax(heatmap1d, 1)
        bins = torch.arange(
            self.heatmap_size, dtype=prob.dtype, device=prob.device)
        return (prob * bins[None, :]).sum(dim=1)

    def forward(self, x):
        """Forward function.

        Args:
            x (torch.Tensor[N, C]): Input feature vectors.

        Returns:
            torch.Tensor[N, 1]: The value (in heatmap bins).
        """
        return self.soft_argmax_1d(self.fc(x)).view(-1, 1)

    def inference_model(self, x, flip_pairs=None):
        """Inference function.

        The InterHand value is the depth of the left hand root relative to
        the right one, binned symmetrically around ``heatmap_size / 2``; a
        mirrored image swaps the hands, so a value from a flipped image is
        negated (``heatmap_size - value`` in bins).

        Args:
            x (torch.Tensor[N, C]): Input features vector.
            flip_pairs (None | list[tuple()]): Given when ``x`` comes from a
                flipped image.

        Returns:
            np.ndarray[N, 1]: Output values.
        """
        value = self.forward(x).detach().cpu().numpy()
        if flip_pairs is not None:
            value = self.heatmap_size - value
        return value
