from functools import partial

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule, build_activation_layer

from mmpose.utils import ArgumentError, check
from ..registry import BACKBONES
from .base_mobile import (CheckpointBlock, MobileBackbone, fill_arg_docs,
                          init_shufflenet_weights)
from .utils import channel_shuffle, make_divisible


@fill_arg_docs
class ShuffleUnit(CheckpointBlock):
    """ShuffleUnit block.

    ShuffleNet unit with pointwise group convolution (GConv) and channel
    shuffle.

    Args:
        in_channels (int): The input channels of the ShuffleUnit.
        out_channels (int): The output channels of the ShuffleUnit.
        groups (int, optional): The number of groups to be used in grouped 1x1
            convolutions in each ShuffleUnit. Default: 3
        first_block (bool, optional): Whether it is the first ShuffleUnit of a
            sequential ShuffleUnits. Default: True, which means not using the
            grouped 1x1 convolution.
        combine (str, optional): The ways to combine the input and output
            branches. Default: 'add'.
        %(conv_cfg)s
        %(norm_cfg)s
        %(act_cfg_relu)s
        %(with_cp)s

    Returns:
        Tensor: The output tensor.
    """

    def __init__(self,
                 in_channels,
                 out_channels,
                 groups=3,
                 first_block=True,
                 combine='add',
                 conv_cfg=None,
                 norm_cfg=dict(type='BN'),
                 act_cfg=dict(type='ReLU'),
                 with_cp=False):
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.first_block = first_block
        self.combine = combine
        self.groups = groups
        self.bottleneck_channels = self.out_channels // 4
        self.with_cp = with_cp

        if self.combine == 'add':
            self.depthwise_stride = 1
            check(
                in_channels == out_channels,
                'ShuffleUnit: in_channels must be equal to out_channels when '
                f'combine is add, got {in_channels} and {out_channels}')
        elif self.combine == 'concat':
            self.depthwise_stride = 2
            # The input is concatenated to the output, so the branch only
            # produces the remaining channels.
            self.out_channels -= self.in_channels
            self.avgpool = nn.AvgPool2d(kernel_size=3, stride=2, padding=1)
        else:
            raise ArgumentError(f'ShuffleUnit: cannot combine tensors with '
                                f'combine={self.combine!r}. Only "add" and '
                                '"concat" are supported')

        self.first_1x1_groups = 1 if first_block else self.groups
        conv = partial(ConvModule, conv_cfg=conv_cfg, norm_cfg=norm_cfg)
        self.g_conv_1x1_compress = conv(
            self.in_channels,
            self.bottleneck_channels,
            1,
            groups=self.first_1x1_groups,
            act_cfg=act_cfg)
        self.depthwise_conv3x3_bn = conv(
            self.bottleneck_channels,
            self.bottleneck_channels,
            3,
            stride=self.depthwise_stride,
            padding=1,
            groups=self.bottleneck_channels,
            act_cfg=None)
        self.g_conv_1x1_expand = conv(
            self.bottleneck_channels,
            self.out_channels,
            1,
            groups=self.groups,
            act_cfg=None)

        self.act = build_activation_layer(act_cfg)

    def _inner_forward(self, x):
        residual = x

        out = self.g_conv_1x1_compress(x)
        out = self.depthwise_conv3x3_bn(out)

        if self.groups > 1:
            out = channel_shuffle(out, self.groups)

        out = self.g_conv_1x1_expand(out)

        if self.combine == 'concat':
            residual = self.avgpool(residual)
            out = self.act(out)
            return torch.cat((residual, out), 1)
        return self.act(residual + out)


@BACKBONES.register_module()
@fill_arg_docs
class ShuffleNetV1(MobileBackbone):
    """ShuffleNetV1 backbone.

    Args:
        groups (int, optional): The number of groups to be used in grouped 1x1
            convolutions in each ShuffleUnit. Default: 3.
        widen_factor (float, optional): Width multiplier - adjusts the number
            of channels in each layer by this amount. Default: 1.0.
        out_indices (Sequence[int]): Output from which stages.
            Default: (2, )
        %(frozen_stages)s
        %(conv_cfg)s
        %(norm_cfg)s
        %(act_cfg_relu)s
        %(norm_eval)s
        %(with_cp)s

    Example:
        >>> from mmpose.models import ShuffleNetV1
        >>> import torch
        >>> self = ShuffleNetV1(groups=3, out_indices=(0, 1, 2))
        >>> self.eval()
        >>> inputs = torch.rand(1, 3, 64, 64)
        >>> for out in self.forward(inputs):
        ...     print(tuple(out.shape))
        (1, 240, 8, 8)
        (1, 480, 4, 4)
        (1, 960, 2, 2)
    """

    # Output channels of the three stages for each number of groups.
    group_channels = {
        1: (144, 288, 576),
        2: (200, 400, 800),
        3: (240, 480, 960),
        4: (272, 544, 1088),
        8: (384, 768, 1536)
    }

    def __init__(self,
                 groups=3,
                 widen_factor=1.0,
                 out_indices=(2, ),
                 frozen_stages=-1,
                 conv_cfg=None,
                 norm_cfg=dict(type='BN'),
                 act_cfg=dict(type='ReLU'),
                 norm_eval=False,
                 with_cp=False):
        check(
            groups in self.group_channels,
            f'ShuffleNetV1: groups={groups} is not supported for 1x1 Grouped '
            f'Convolutions, use one of {sorted(self.group_channels)}')
        super().__init__(out_indices, frozen_stages, 3, conv_cfg, norm_cfg,
                         act_cfg, norm_eval, with_cp)
        self.stage_blocks = [4, 8, 4]
        self.groups = groups

        channels = [
            make_divisible(ch * widen_factor, 8)
            for ch in self.group_channels[groups]
        ]

        self.in_channels = int(24 * widen_factor)

        self.conv1 = self.conv_module(
            3, self.in_channels, 3, stride=2, padding=1)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)

        self.layers = nn.ModuleList()
        for i, num_blocks in enumerate(self.stage_blocks):
            first_block = (i == 0)
            layer = self.make_layer(channels[i], num_blocks, first_block)
            self.layers.append(layer)

    _default_init = init_shufflenet_weights

    def make_layer(self, out_channels, num_blocks, first_block=False):
        """Stack ShuffleUnit blocks to make a layer.

        Args:
            out_channels (int): out_channels of the block.
            num_blocks (int): Number of blocks.
            first_block (bool, optional): Whether is the first ShuffleUnit of
                a sequential ShuffleUnits. Default: False, which means not
                using the grouped 1x1 convolution.
        """
        layers = []
        for i in range(num_blocks):
            first_block = first_block if i == 0 else False
            combine_mode = 'concat' if i == 0 else 'add'
            layers.append(
                ShuffleUnit(
                    self.in_channels,
                    out_channels,
                    groups=self.groups,
                    first_block=first_block,
                    combine=combine_mode,
                    conv_cfg=self.conv_cfg,
                    norm_cfg=self.norm_cfg,
                    act_cfg=self.act_cfg,
                    with_cp=self.with_cp))
            self.in_channels = out_channels

        return nn.Sequential(*layers)
