import copy

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule

from ..registry import BACKBONES
from .base_mobile import (MobileBackbone, checkpointed,
                          init_shufflenet_weights)
from .utils import channel_shuffle


class InvertedResidual(nn.Module):
    """InvertedResidual block for ShuffleNetV2 backbone.

    Args:
        in_channels (int): The input channels of the block.
        out_channels (int): The output channels of the block.
        stride (int): Stride of the 3x3 convolution layer. Default: 1
        conv_cfg (dict): Config dict for convolution layer.
            Default: None, which means using conv2d.
        norm_cfg (dict): Config dict for normalization layer.
            Default: dict(type='BN').
        act_cfg (dict): Config dict for activation layer.
            Default: dict(type='ReLU').
        with_cp (bool): Use checkpoint or not. Using checkpoint will save some
            memory while slowing down the training speed. Default: False.
    """

    def __init__(self,
                 in_channels,
                 out_channels,
                 stride=1,
                 conv_cfg=None,
                 norm_cfg=dict(type='BN'),
                 act_cfg=dict(type='ReLU'),
                 with_cp=False):
        norm_cfg = copy.deepcopy(norm_cfg)
        act_cfg = copy.deepcopy(act_cfg)
        super().__init__()
        self.stride = stride
        self.with_cp = with_cp

        branch_features = out_channels // 2
        if self.stride == 1 and in_channels != branch_features * 2:
            raise ValueError('InvertedResidual: in_channels must be equal to '
                             f'out_channels when stride is 1, got in_channels='
                             f'{in_channels}, out_channels={out_channels}')
        conv_args = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg)

        if self.stride > 1:
            self.branch1 = nn.Sequential(
                ConvModule(
                    in_channels,
                    in_channels,
                    kernel_size=3,
                    stride=self.stride,
                    padding=1,
                    groups=in_channels,
                    act_cfg=None,
                    **conv_args),
                ConvModule(
                    in_channels,
                    branch_features,
                    kernel_size=1,
                    act_cfg=act_cfg,
                    **conv_args),
            )

        self.branch2 = nn.Sequential(
            ConvModule(
                in_channels if (self.stride > 1) else branch_features,
                branch_features,
                kernel_size=1,
                act_cfg=act_cfg,
                **conv_args),
            ConvModule(
                branch_features,
                branch_features,
                kernel_size=3,
                stride=self.stride,
                padding=1,
                groups=branch_features,
                act_cfg=None,
                **conv_args),
            ConvModule(
                branch_features,
                branch_features,
                kernel_size=1,
                act_cfg=act_cfg,
                **conv_args))

    def _inner_forward(self, x):
        if self.stride > 1:
            out = torch.cat((self.branch1(x), self.branch2(x)), dim=1)
        else:
            x1, x2 = x.chunk(2, dim=1)
            out = torch.cat((x1, self.branch2(x2)), dim=1)
        return channel_shuffle(out, 2)

    def forward(self, x):
        return checkpointed(self._inner_forward, x, self.with_cp)


@BACKBONES.register_module()
class ShuffleNetV2(MobileBackbone):
    """ShuffleNetV2 backbone.

    Args:
        widen_factor (float): Width multiplier - adjusts the number of
            channels in each layer by this amount. Default: 1.0.
        out_indices (Sequence[int]): Output from which stages.
            Default: (0, 1, 2, 3).
        frozen_stages (int): Stages to be frozen (all param fixed).
            Default: -1, which means not freezing any parameters.
        conv_cfg (dict): Config dict for convolution layer.
            Default: None, which means using conv2d.
        norm_cfg (dict): Config dict for normalization layer.
            Default: dict(type='BN').
        act_cfg (dict): Config dict for activation layer.
            Default: dict(type='ReLU').
        norm_eval (bool): Whether to set norm layers to eval mode, namely,
            freeze running stats (mean and var). Note: Effect on Batch Norm
            and its variants only. Default: False.
        with_cp (bool): Use checkpoint or not. Using checkpoint will save some
            memory while slowing down the training speed. Default: False.

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
        if widen_factor not in self.widen_channels:
            raise ValueError(
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
