import torch.nn as nn

from mmpose.utils import check
from ..registry import HEADS
from .bottom_up_base_head import BottomUpBaseHead
from .head_layers import make_deconv_layers


@HEADS.register_module()
class BottomUpSimpleHead(BottomUpBaseHead):
    """Bottom-up simple head.

    Deconv layers (as the simple baselines), then one conv giving K
    heatmaps and, with the AE loss, the tag maps.

    Args:
        in_channels (int): Number of input channels.
        num_joints (int): Number of joints.
        num_deconv_layers (int): Deconv layers (>= 0; 0: none).
        num_deconv_filters (list|tuple): Channels of each deconv layer.
        num_deconv_kernels (list|tuple): Kernel of each deconv layer.
        tag_per_joint (bool): One tag map per joint (else one for all).
        with_ae_loss (list[bool]): Whether the output has tags (AE loss).
        extra (dict | None): ``final_conv_kernel`` (1 or 3).
        loss_keypoint (dict | None): The ``MultiLossFactory`` config.
    """

    def __init__(self, in_channels, num_joints, num_deconv_layers=3,
                 num_deconv_filters=(256, 256, 256),
                 num_deconv_kernels=(4, 4, 4), tag_per_joint=True,
                 with_ae_loss=None, extra=None, loss_keypoint=None):
        super().__init__()
        self._init_loss(loss_keypoint)
        self.in_channels = in_channels
        check(
            isinstance(with_ae_loss, (list, tuple)) and len(with_ae_loss) > 0,
            f'with_ae_loss must be a non-empty list, got {with_ae_loss!r}')
        out_channels = self._output_channels(num_joints, tag_per_joint,
                                             with_ae_loss[0])
        if extra is not None and not isinstance(extra, dict):
            raise TypeError('extra should be dict or None.')

        if num_deconv_layers > 0:
            self.deconv_layers = make_deconv_layers(in_channels,
                                                    num_deconv_layers,
                                                    num_deconv_filters,
                                                    num_deconv_kernels)
            in_channels = num_deconv_filters[num_deconv_layers - 1]
        elif num_deconv_layers == 0:
            self.deconv_layers = nn.Identity()
        else:
            raise ValueError(
                f'num_deconv_layers ({num_deconv_layers}) should >= 0.')

        self.final_layer = self._final_conv(in_channels, out_channels, extra)

    def forward(self, x):
        """Forward function.

        Returns:
            list[torch.Tensor[N, C, H, W]]: The single output.
        """
        if isinstance(x, list):
            x = x[0]
        return [self.final_layer(self.deconv_layers(x))]

    def _final_modules(self):
        return self.final_layer
