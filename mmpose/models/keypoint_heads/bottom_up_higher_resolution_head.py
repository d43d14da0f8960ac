import torch
import torch.nn as nn

from mmpose.utils import check
from ..backbones.resnet import BasicBlock
from ..registry import HEADS
from .bottom_up_base_head import BottomUpBaseHead
from .head_layers import make_deconv_layers


@HEADS.register_module()
class BottomUpHigherResolutionHead(BottomUpBaseHead):
    """Bottom-up head for Higher Resolution.

    HigherHRNet: an output at the input features' resolution, then per
    deconv layer (optionally fed the previous output, ``cat_output``) a
    2x upsampling with BasicBlocks and another output.

    Args:
        in_channels (int): Number of input channels.
        num_joints (int): Number of joints
        tag_per_joint (bool): One tag map per joint (else one for all).
        extra (dict | None): ``final_conv_kernel`` (1 or 3).
        num_deconv_layers (int): Upsampling steps (>= 0), each adding an
            output at twice the resolution.
        num_deconv_filters (list|tuple): Channels of each step.
        num_deconv_kernels (list|tuple): Deconv kernel of each step.
        num_basic_blocks (int): BasicBlocks after each deconv.
        cat_output (list[bool]): Option to concat outputs.
        with_ae_loss (list[bool]): Option to use ae loss.
        loss_keypoint (dict): Config for loss. Default: None.
    """

    def __init__(self,
                 in_channels,
                 num_joints,
                 tag_per_joint=True,
                 extra=None,
                 num_deconv_layers=1,
                 num_deconv_filters=(32, ),
                 num_deconv_kernels=(4, ),
                 num_basic_blocks=4,
                 cat_output=None,
                 with_ae_loss=None,
                 loss_keypoint=None):
        super().__init__()
        self._init_loss(loss_keypoint)
        check(
            isinstance(with_ae_loss, (list, tuple))
            and len(with_ae_loss) > num_deconv_layers,
            f'with_ae_loss needs {num_deconv_layers + 1} entries (one per '
            f'output), got {with_ae_loss!r}')
        check(
            num_deconv_layers == 0 or (isinstance(cat_output, (list, tuple))
                                       and len(cat_output) >= num_deconv_layers),
            f'cat_output needs {num_deconv_layers} entries (one per deconv '
            f'layer), got {cat_output!r}')
        self.num_deconvs = num_deconv_layers
        self.cat_output = cat_output

        # output i has the AE loss if with_ae_loss[i]
        output_channels = [
            self._output_channels(num_joints, tag_per_joint, with_ae)
            for with_ae in with_ae_loss[:num_deconv_layers + 1]
        ]
        self.final_layers = nn.ModuleList([
            self._final_conv(channels, out, extra) for channels, out in zip(
                [in_channels] + list(num_deconv_filters[:num_deconv_layers]),
                output_channels)
        ])
        self.deconv_layers = self._make_deconv_layers(
            in_channels, output_channels[:-1], num_deconv_layers,
            num_deconv_filters, num_deconv_kernels, num_basic_blocks,
            cat_output)

    @staticmethod
    def _make_deconv_layers(in_channels, deconv_layer_output_channels,
                            num_deconv_layers, num_deconv_filters,
                            num_deconv_kernels, num_basic_blocks, cat_output):
        """Deconv layers: ConvTranspose2d + BN + ReLU, then BasicBlocks
        (0.14's module nesting, for its state_dict keys)."""
        deconv_layers = []
        for i in range(num_deconv_layers):
            if cat_output[i]:
                in_channels += deconv_layer_output_channels[i]
            planes = num_deconv_filters[i]
            # deconv + BN + ReLU: 0.14's first sub-module
            layers = [
                make_deconv_layers(in_channels, 1, [planes],
                                   [num_deconv_kernels[i]])
            ]
            layers += [
                nn.Sequential(BasicBlock(planes, planes))
                for _ in range(num_basic_blocks)
            ]
            deconv_layers.append(nn.Sequential(*layers))
            in_channels = planes
        return nn.ModuleList(deconv_layers)

    def forward(self, x):
        """Forward function.

        Returns:
            list[torch.Tensor[N, C, H, W]]: One output per resolution,
                lowest first.
        """
        if isinstance(x, list):
            x = x[0]
        final_outputs = []
        y = self.final_layers[0](x)
        final_outputs.append(y)
        for i in range(self.num_deconvs):
            if self.cat_output[i]:
                x = torch.cat((x, y), 1)
            x = self.deconv_layers[i](x)
            y = self.final_layers[i + 1](x)
            final_outputs.append(y)
        return final_outputs

    def _final_modules(self):
        return self.final_layers
