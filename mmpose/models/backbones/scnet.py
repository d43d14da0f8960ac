import copy

import torch
import torch.nn as nn
from mmcv.cnn import build_conv_layer, build_norm_layer

from mmpose.utils import check
from ..registry import BACKBONES
from ..utils.ops import resize
from .resnet import Bottleneck, ResNet


def _conv3x3_norm(conv_cfg, norm_cfg, channels, stride=1, relu=False):
    """3x3 conv (no bias) + norm [+ ReLU], keys ``0.weight``/``1.*``."""
    layers = [
        build_conv_layer(
            conv_cfg,
            channels,
            channels,
            kernel_size=3,
            stride=stride,
            padding=1,
            bias=False),
        build_norm_layer(norm_cfg, channels)[1]
    ]
    if relu:
        layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


class SCConv(nn.Module):
    """SCConv (Self-calibrated Convolution)

    Args:
        in_channels (int): The input channels of the SCConv.
        out_channels (int): The output channel of the SCConv.
        stride (int): stride of SCConv.
        pooling_r (int): size of pooling for scconv.
        conv_cfg (dict): dictionary to construct and config conv layer.
            Default: None
        norm_cfg (dict): dictionary to construct and config norm layer.
            Default: dict(type='BN')
    """

    def __init__(self,
                 in_channels,
                 out_channels,
                 stride,
                 pooling_r,
                 conv_cfg=None,
                 norm_cfg=dict(type='BN', momentum=0.1)):
        # Protect mutable default arguments
        norm_cfg = copy.deepcopy(norm_cfg)
        super().__init__()

        check(
            in_channels == out_channels,
            f'SCConv: in_channels ({in_channels}) must equal out_channels '
            f'({out_channels})')

        # k2 calibrates at 1/pooling_r resolution, k3 transforms, k4 outputs
        self.k2 = nn.Sequential(
            nn.AvgPool2d(kernel_size=pooling_r, stride=pooling_r),
            *_conv3x3_norm(conv_cfg, norm_cfg, in_channels))
        self.k3 = _conv3x3_norm(conv_cfg, norm_cfg, in_channels)
        self.k4 = _conv3x3_norm(
            conv_cfg, norm_cfg, in_channels, stride=stride, relu=True)

    def forward(self, x):
        """Forward function."""
        identity = x

        out = torch.sigmoid(
            torch.add(identity, resize(self.k2(x), identity.size()[2:])))
        out = torch.mul(self.k3(x), out)
        out = self.k4(out)

        return out


class SCBottleneck(Bottleneck):
    """SC(Self-calibrated) Bottleneck.

    Two half-width branches after separate 1x1 convs: a plain 3x3 conv
    (``k1``) and an :class:`SCConv`; their concatenation goes through
    ``conv3``.

    Args:
        in_channels (int): The input channels of the SCBottleneck block.
        out_channels (int): The output channel of the SCBottleneck block.
        **kwargs: Passed to the ResNet ``Bottleneck`` (stride, downsample,
            with_cp, conv_cfg, norm_cfg, ...).
    """

    pooling_r = 4

    def __init__(self, in_channels, out_channels, **kwargs):
        super().__init__(in_channels, out_channels, **kwargs)
        self.mid_channels = out_channels // self.expansion // 2

        self.norm1_name, norm1 = build_norm_layer(
            self.norm_cfg, self.mid_channels, postfix=1)
        self.norm2_name, norm2 = build_norm_layer(
            self.norm_cfg, self.mid_channels, postfix=2)
        self.norm3_name, norm3 = build_norm_layer(
            self.norm_cfg, out_channels, postfix=3)

        # conv1 feeds the plain branch k1, conv2 the self-calibrated one
        for i in (1, 2):
            setattr(
                self, f'conv{i}',
                build_conv_layer(
                    self.conv_cfg,
                    in_channels,
                    self.mid_channels,
                    kernel_size=1,
                    stride=1,
                    bias=False))
        self.add_module(self.norm1_name, norm1)
        self.add_module(self.norm2_name, norm2)

        self.k1 = _conv3x3_norm(
            self.conv_cfg,
            self.norm_cfg,
            self.mid_channels,
            stride=self.stride,
            relu=True)

        self.scconv = SCConv(self.mid_channels, self.mid_channels,
                             self.stride, self.pooling_r, self.conv_cfg,
                             self.norm_cfg)

        self.conv3 = build_conv_layer(
            self.conv_cfg,
            self.mid_channels * 2,
            out_channels,
            kernel_size=1,
            stride=1,
            bias=False)
        self.add_module(self.norm3_name, norm3)

    def forward_residual(self, x):
        """The residual branch: [conv1 -> k1, conv2 -> scconv] -> conv3."""
        out_a = self.relu(self.norm1(self.conv1(x)))
        out_a = self.k1(out_a)

        out_b = self.relu(self.norm2(self.conv2(x)))
        out_b = self.scconv(out_b)

        out = self.conv3(torch.cat([out_a, out_b], dim=1))
        return self.norm3(out)


@BACKBONES.register_module()
class SCNet(ResNet):
    """SCNet backbone.

    Improving Convolutional Networks with Self-Calibrated Convolutions,
    Jiang-Jiang Liu, Qibin Hou, Ming-Ming Cheng, Changhu Wang, Jiashi Feng,
    IEEE CVPR, 2020.
    http://mftp.mmcheng.net/Papers/20cvprSCNet.pdf

    Args:
        depth (int): Depth of scnet, from {50, 101}.
        in_channels (int): Number of input image channels. Normally 3.
        base_channels (int): Number of base channels of hidden layer.
        num_stages (int): SCNet stages, normally 4.
        strides (Sequence[int]): Strides of the first block of each stage.
        dilations (Sequence[int]): Dilation of each stage.
        out_indices (Sequence[int]): Output from which stages.
        style (str): `pytorch` or `caffe`. If set to "pytorch", the stride-two
            layer is the 3x3 conv layer, otherwise the stride-two layer is
            the first 1x1 conv layer.
        deep_stem (bool): Replace 7x7 conv in input stem with 3 3x3 conv
        avg_down (bool): Use AvgPool instead of stride conv when
            downsampling in the bottleneck.
        frozen_stages (int): Stages to be frozen (stop grad and set eval mode).
            -1 means not freezing any parameters.
        norm_cfg (dict): Dictionary to construct and config norm layer.
        norm_eval (bool): Whether to set norm layers to eval mode, namely,
            freeze running stats (mean and var). Note: Effect on Batch Norm
            and its variants only.
        with_cp (bool): Use checkpoint or not. Using checkpoint will save some
            memory while slowing down the training speed.
        zero_init_residual (bool): Whether to use zero init for last norm layer
            in resblocks to let them behave as identity.

    Example:
        >>> from mmpose.models import SCNet
        >>> import torch
        >>> self = SCNet(depth=50, out_indices=(3, )).eval()
        >>> tuple(self(torch.rand(1, 3, 224, 224)).shape)
        (1, 2048, 7, 7)
    """

    arch_settings = {
        50: (SCBottleneck, [3, 4, 6, 3]),
        101: (SCBottleneck, [3, 4, 23, 3])
    }

    def __init__(self, depth, **kwargs):
        if depth not in self.arch_settings:
            raise KeyError(f'invalid depth {depth} for SCNet: supported '
                           f'depths are {sorted(self.arch_settings)}')
        super().__init__(depth, **kwargs)
