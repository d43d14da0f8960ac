import torch.nn as nn
from mmcv.cnn import ConvModule

from mmpose.utils import check
from ..registry import BACKBONES
from .base_mobile import CheckpointBlock, MobileBackbone, fill_arg_docs
from .utils import make_divisible


@fill_arg_docs
class InvertedResidual(CheckpointBlock):
    """InvertedResidual block for MobileNetV2.

    Args:
        in_channels (int): The input channels of the InvertedResidual block.
        out_channels (int): The output channels of the InvertedResidual block.
        stride (int): Stride of the middle (first) 3x3 convolution.
        expand_ratio (int): adjusts number of channels of the hidden layer
            in InvertedResidual by this amount.
        %(conv_cfg)s
        %(norm_cfg)s
        %(act_cfg_relu6)s
        %(with_cp)s
    """

    def __init__(self,
                 in_channels,
                 out_channels,
                 stride,
                 expand_ratio,
                 conv_cfg=None,
                 norm_cfg=dict(type='BN'),
                 act_cfg=dict(type='ReLU6'),
                 with_cp=False):
        super().__init__()
        self.stride = stride
        check(
            stride in [1, 2],
            f'InvertedResidual: stride must be in [1, 2]. But received '
            f'{stride}.')
        self.with_cp = with_cp
        self.use_res_connect = self.stride == 1 and in_channels == out_channels
        hidden_dim = int(round(in_channels * expand_ratio))
        conv_args = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg)

        layers = []
        if expand_ratio != 1:
            layers.append(
                ConvModule(
                    in_channels, hidden_dim, 1, act_cfg=act_cfg, **conv_args))
        layers.extend([
            ConvModule(
                hidden_dim,
                hidden_dim,
                3,
                stride=stride,
                padding=1,
                groups=hidden_dim,
                act_cfg=act_cfg,
                **conv_args),
            ConvModule(hidden_dim, out_channels, 1, act_cfg=None, **conv_args)
        ])
        self.conv = nn.Sequential(*layers)

    def _inner_forward(self, x):
        if self.use_res_connect:
            return x + self.conv(x)
        return self.conv(x)


@BACKBONES.register_module()
@fill_arg_docs
class MobileNetV2(MobileBackbone):
    """MobileNetV2 backbone.

    Args:
        widen_factor (float): Width multiplier, multiply number of
            channels in each layer by this amount. Default: 1.0.
        out_indices (None or Sequence[int]): Output from which stages.
            Default: (7, ).
        %(frozen_stages)s
        %(conv_cfg)s
        %(norm_cfg)s
        %(act_cfg_relu6)s
        %(norm_eval)s
        %(with_cp)s

    Example:
        >>> from mmpose.models import MobileNetV2
        >>> import torch
        >>> self = MobileNetV2(out_indices=(0, 7))
        >>> self.eval()
        >>> inputs = torch.rand(1, 3, 64, 64)
        >>> for out in self.forward(inputs):
        ...     print(tuple(out.shape))
        (1, 16, 32, 32)
        (1, 1280, 2, 2)
    """

    # Parameters to build layers. 4 parameters are needed to construct a
    # layer, from left to right: expand_ratio, channel, num_blocks, stride.
    arch_settings = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2],
                     [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2],
                     [6, 320, 1, 1]]

    def __init__(self,
                 widen_factor=1.,
                 out_indices=(7, ),
                 frozen_stages=-1,
                 conv_cfg=None,
                 norm_cfg=dict(type='BN'),
                 act_cfg=dict(type='ReLU6'),
                 norm_eval=False,
                 with_cp=False):
        super().__init__(out_indices, frozen_stages, 8, conv_cfg, norm_cfg,
                         act_cfg, norm_eval, with_cp)
        self.widen_factor = widen_factor

        self.in_channels = make_divisible(32 * widen_factor, 8)

        self.conv1 = self.conv_module(
            3, self.in_channels, 3, stride=2, padding=1)

        self.layers = []

        for i, layer_cfg in enumerate(self.arch_settings):
            expand_ratio, channel, num_blocks, stride = layer_cfg
            out_channels = make_divisible(channel * widen_factor, 8)
            inverted_res_layer = self.make_layer(
                out_channels=out_channels,
                num_blocks=num_blocks,
                stride=stride,
                expand_ratio=expand_ratio)
            layer_name = f'layer{i + 1}'
            self.add_module(layer_name, inverted_res_layer)
            self.layers.append(layer_name)

        # The last 1x1 conv only widens, it never narrows below 1280.
        if widen_factor > 1.0:
            self.out_channel = int(1280 * widen_factor)
        else:
            self.out_channel = 1280

        layer = self.conv_module(self.in_channels, self.out_channel, 1)
        self.add_module('conv2', layer)
        self.layers.append('conv2')

    def make_layer(self, out_channels, num_blocks, stride, expand_ratio):
        """Stack InvertedResidual blocks to build a layer for MobileNetV2.

        Args:
            out_channels (int): out_channels of block.
            num_blocks (int): number of blocks.
            stride (int): stride of the first block. Default: 1
            expand_ratio (int): Expand the number of channels of the
                hidden layer in InvertedResidual by this ratio. Default: 6.
        """
        layers = []
        for i in range(num_blocks):
            if i >= 1:
                stride = 1
            layers.append(
                InvertedResidual(
                    self.in_channels,
                    out_channels,
                    stride,
                    expand_ratio=expand_ratio,
                    conv_cfg=self.conv_cfg,
                    norm_cfg=self.norm_cfg,
                    act_cfg=self.act_cfg,
                    with_cp=self.with_cp))
            self.in_channels = out_channels

        return nn.Sequential(*layers)
