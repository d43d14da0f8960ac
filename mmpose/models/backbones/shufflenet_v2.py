from functools import partial

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule

from mmpose.utils import check
from ..registry import BACKBONES
from .base_mobile import (CheckpointBlock, MobileBackbone, fill_arg_docs,
                          init_shufflenet_weights)
from .utils import channel_shuffle


@fill_arg_docs
class InvertedResidual(CheckpointBlock):
    """InvertedResidual block for ShuffleNetV2 backbone.

    Args:
        in_channels (int): The input channels of the block.
        out_channels (int): The output channels of the block.
        stride (int): Stride of the 3x3 convolution layer. Default: 1
        %(conv_cfg)s
        %(norm_cfg)s
        %(act_cfg_relu)s
        %(with_cp)s
    """

    def __init__(self,
                 in_channels,
                 out_channels,
                 stride=1,
                 conv_cfg=None,
                 norm_cfg=dict(type='BN'),
                 act_cfg=dict(type='ReLU'),
                 with_cp=False):
        super().__init__()
        self.stride = stride
        self.with_cp = with_cp

        branch_features = out_channels // 2
        if self.stride == 1:
            check(
                in_channels == branch_features * 2,
                'InvertedResidual: in_channels must be equal to out_channels '
                f'when stride is 1, got in_channels={in_channels}, '
                f'out_channels={out_channels}')
        conv = partial(ConvModule, conv_cfg=conv_cfg, norm_cfg=norm_cfg)

        # 3x3 depthwise convs are linear, 1x1 pointwise convs activate.
        def depthwise(channels):
            return conv(
                channels,
                channels,
                3,
                stride=self.stride,
                padding=1,
                groups=channels,
                act_cfg=None)

        def pointwise(in_chs, out_chs):
            return conv(in_chs, out_chs, 1, act_cfg=act_cfg)

        if self.stride > 1:
            self.branch1 = nn.Sequential(
                depthwise(in_channels),
                pointwise(in_channels, branch_features),
            )
        branch2_in = in_channels if self.stride > 1 else branch_features
        self.branch2 = nn.Sequential(
            pointwise(branch2_in, branch_features),
            depthwise(branch_features),
            pointwise(branch_features, branch_features),
        )

    def _inner_forward(self, x):
        if self.stride > 1:
            out = torch.cat((self.branch1(x), self.branch2(x)), dim=1)
        else:
            x1, x2 = x.chunk(2, dim=1)
            out = torch.cat((x1, self.branch2(x2)), dim=1)
        return channel_shuffle(out, 2)


@BACKBONES.register_module()
@fill_arg_docs
class ShuffleNetV2(MobileBackbone):
    """ShuffleNetV2 backbone.

    Args:
        widen_factor (float): Width multiplier - adjusts the number of
            channels in each layer by this amount. Default: 1.0.
        out_indices (Sequence[int]): Output from which stages.
            Default: (3, ).
        %(frozen_stages)s
        %(conv_cfg)s
        %(norm_cfg)s
        %(act_cfg_relu)s
        %(norm_eval)s
        %(with_cp)s

    Example:
        >>> from mmpose.models import ShuffleNetV2
        >>> import torch
        >>> self = ShuffleNetV2(out_indices=(0, 1, 2, 3))
        >>> self.eval()
        >>> inputs = torch.rand(1, 3, 64, 64)
        >>> for out in self.forward(inputs):
        ...     print(tuple(out.shape))
        (1, 116, 8, 8)
        (1, 232, 4, 4)
        (1, 464, 2, 2)
        (1, 1024, 2, 2)
    """

    # Output channels of the three stages and of the last 1x1 conv.
    widen_channels = {
        0.5: [48, 96, 192, 1024],
        1.0: [116, 232, 464, 1024],
        1.5: [176, 352, 704, 1024],
        2.0: [244, 488, 976, 2048]
    }

    def __init__(self,
                 widen_factor=1.0,
                 out_indices=(3, ),
                 frozen_stages=-1,
                 conv_cfg=None,
                 norm_cfg=dict(type='BN'),
                 act_cfg=dict(type='ReLU'),
                 norm_eval=False,
                 with_cp=False):
        check(
            widen_factor in self.widen_channels,
            'ShuffleNetV2: widen_factor must be in '
            f'{sorted(self.widen_channels)}. But received {widen_factor}')
        super().__init__(out_indices, frozen_stages, 4, conv_cfg, norm_cfg,
                         act_cfg, norm_eval, with_cp)
        self.stage_blocks = [4, 8, 4]

        channels = self.widen_channels[widen_factor]
        self.in_channels = 24
        self.conv1 = self.conv_module(
            3, self.in_channels, 3, stride=2, padding=1)

        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)

        self.layers = nn.ModuleList()
        for i, num_blocks in enumerate(self.stage_blocks):
            layer = self._make_layer(channels[i], num_blocks)
            self.layers.append(layer)

        output_channels = channels[-1]
        self.layers.append(
            self.conv_module(self.in_channels, output_channels, 1))

    _default_init = init_shufflenet_weights

    def _make_layer(self, out_channels, num_blocks):
        """Stack blocks to make a layer.

        Args:
            out_channels (int): out_channels of the block.
            num_blocks (int): number of blocks.
        """
        layers = []
        for i in range(num_blocks):
            stride = 2 if i == 0 else 1
            layers.append(
                InvertedResidual(
                    in_channels=self.in_channels,
                    out_channels=out_channels,
                    stride=stride,
                    conv_cfg=self.conv_cfg,
                    norm_cfg=self.norm_cfg,
                    act_cfg=self.act_cfg,
                    with_cp=self.with_cp))
            self.in_channels = out_channels

        return nn.Sequential(*layers)
