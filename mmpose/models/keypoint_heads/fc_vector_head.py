"""What the InterHand vector heads (root depth, handedness) share: an MLP
on a pooled feature vector, a loss on ``[N, L]`` targets, and decoding into
one result key alongside the image paths and box ids."""
import torch.nn as nn
from mmcv.cnn import normal_init

from mmpose.utils import check
from ..builder import build_loss


class FcVectorHead(nn.Module):
    """Base of heads mapping a feature vector to ``L`` values through
    ``fc`` (Linear-ReLU-...-Linear, 0.14's layer indices).

    A subclass sets ``loss_name`` (the key of :meth:`get_loss`) and
    ``result_key`` (the key of :meth:`decode`) and defines ``forward``.

    Args:
        in_channels (int): Number of input channels.
        out_channels (int): Number of output values of ``fc``.
        hidden_dims (list|tuple): Feature dimensions of the hidden layers.
        loss (dict | None): Config for the loss. None builds a head for
            inference only.
        train_cfg (dict | None): Config for training. Default: None.
        test_cfg (dict | None): Config for testing. Default: None.
    """

    loss_name = 'loss'
    result_key = 'values'

    def __init__(self, in_channels, out_channels, hidden_dims, loss,
                 train_cfg=None, test_cfg=None):
        super().__init__()
        self.in_channels = in_channels
        self.loss = None if loss is None else build_loss(loss)
        self.train_cfg = {} if train_cfg is None else train_cfg
        self.test_cfg = {} if test_cfg is None else test_cfg
        self.fc = self._make_linear_layers(
            [in_channels, *hidden_dims, out_channels])

    @staticmethod
    def _make_linear_layers(feat_dims, relu_final=False):
        """Linear layers with ReLU between them (and after the last one if
        ``relu_final``)."""
        layers = []
        for i, (dim_in, dim_out) in enumerate(zip(feat_dims, feat_dims[1:])):
            layers.append(nn.Linear(dim_in, dim_out))
            if i < len(feat_dims) - 2 or relu_final:
                layers.append(nn.ReLU(inplace=True))
        return nn.Sequential(*layers)

    def get_loss(self, output, target, target_weight):
        """Calculate the loss.

        Note:
            batch size: N
            number of values: L

        Args:
            output (torch.Tensor[N, L]): Output values.
            target (torch.Tensor[N, L]): Target values.
            target_weight (torch.Tensor[N, L] | torch.Tensor[N]): Weights
                across different data (one per sample, e.g. InterHand's
                ``hand_type_valid``, applies to all its values).

        Returns:
            dict: The loss under ``loss_name``.
        """
        if self.loss is None:
            raise RuntimeError(f'{type(self).__name__} was built without a '
                               'loss config, so it cannot compute losses')
        check(not isinstance(self.loss, nn.Sequential),
              'a single loss is expected, got a list of losses')
        target_weight = self._weight_columns(target_weight)
        check(
            target.dim() == 2 and target_weight.dim() == 2,
            'target and target_weight must be [N, L], got '
            f'{tuple(target.shape)} and {tuple(target_weight.shape)}')
        return {self.loss_name: self.loss(output, target, target_weight)}

    @staticmethod
    def _weight_columns(target_weight):
        """Per-sample weights [N] as a column [N, 1] (broadcast over the
        values); [N, L] as is."""
        return target_weight[:, None] if target_weight.dim() == 1 \
            else target_weight

    def decode(self, img_metas, output, **kwargs):
        """Pass the predicted values on with the image paths and box ids.

        Args:
            img_metas (list(dict)): Information about data augmentation;
                ``image_file`` and (optional) ``bbox_id`` are read.
            output (np.ndarray[N, L]): Model predicted values.

        Returns:
            dict: The output under ``result_key``, ``image_paths`` and
                ``bbox_ids`` (None without ``bbox_id`` in the metas).
        """
        bbox_ids = ([meta['bbox_id'] for meta in img_metas]
                    if 'bbox_id' in img_metas[0] else None)
        return {
            self.result_key: output,
            'image_paths': [meta['image_file'] for meta in img_metas],
            'bbox_ids': bbox_ids
        }

    def init_weights(self):
        """Initialize model weights."""
        for m in self.fc.modules():
            if isinstance(m, nn.Linear):
                normal_init(m, mean=0, std=0.01, bias=0)
