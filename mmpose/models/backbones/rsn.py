import copy

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule

from mmpose.utils import check
from ..registry import BACKBONES
from .base_mobile import checkpointed
from .mspn import (DownsampleModule, MultiStageBackbone, ResNetTop,
                   SingleStageNetwork, UpsampleModule, UpsampleUnit)


class RSB(nn.Module):
    """Residual Steps block for RSN. Paper ref: Cai et al. "Learning Delicate
    Local Representations for Multi-Person Pose Estimation" (ECCV 2020).

    The 1x1 conv output is split into ``num_steps`` branches of
    ``in_channels * expand_times // res_top_channels`` channels; step ``i``
    runs ``i + 1`` 3x3 convs, each also adding the matching output of step
    ``i - 1``.

    Args:
        in_channels (int): Input channels of this block.
        out_channels (int): Output channels of this block.
        num_steps (int): Numbers of steps in RSB
        stride (int): stride of the block. Default: 1
        downsample (nn.Module): downsample operation on identity branch.
            Default: None.
        with_cp (bool): Use checkpoint or not. Using checkpoint will save
            some memory while slowing down the training speed.
            Default: False.
        norm_cfg (dict): dictionary to construct and config norm layer.
            Default: dict(type='BN')
        expand_times (int): Times by which the in_channels are expanded.
            Default:26.
        res_top_channels (int): Number of channels of feature output by
            ResNet_top. Default:64.
    """

    expansion = 1

    def __init__(self,
                 in_channels,
                 out_channels,
                 num_steps=4,
                 stride=1,
                 downsample=None,
                 with_cp=False,
                 norm_cfg=dict(type='BN'),
                 expand_times=26,
                 res_top_channels=64):
        # Protect mutable default arguments
        norm_cfg = copy.deepcopy(norm_cfg)
        super().__init__()
        check(num_steps > 1, f'RSB: num_steps must be > 1, got {num_steps}')
        self.with_cp = with_cp
        self.in_channels = in_channels
        self.branch_channels = self.in_channels * expand_times
        self.branch_channels //= res_top_channels
        self.out_channels = out_channels
        self.stride = stride
        self.downsample = downsample
        self.norm_cfg = norm_cfg
        self.num_steps = num_steps
        self.conv_bn_relu1 = ConvModule(
            self.in_channels,
            self.num_steps * self.branch_channels,
            kernel_size=1,
            stride=self.stride,
            padding=0,
            norm_cfg=self.norm_cfg,
            inplace=False)
        for i in range(self.num_steps):
            for j in range(i + 1):
                self.add_module(
                    f'conv_bn_relu2_{i + 1}_{j + 1}',
                    ConvModule(
                        self.branch_channels,
                        self.branch_channels,
                        kernel_size=3,
                        stride=1,
                        padding=1,
                        norm_cfg=self.norm_cfg,
                        inplace=False))
        self.conv_bn3 = ConvModule(
            self.num_steps * self.branch_channels,
            self.out_channels * self.expansion,
            kernel_size=1,
            stride=1,
            padding=0,
            act_cfg=None,
            norm_cfg=self.norm_cfg,
            inplace=False)
        self.relu = nn.ReLU(inplace=False)

    def forward(self, x):
        """Forward function."""
        return checkpointed(self._inner_forward, x, self.with_cp)

    def _inner_forward(self, x):
        identity = x
        x = self.conv_bn_relu1(x)
        spx = torch.split(x, self.branch_channels, 1)
        outputs = list()
        outs = list()
        for i in range(self.num_steps):
            outputs_i = list()
            outputs.append(outputs_i)
            for j in range(i + 1):
                if j == 0:
                    inputs = spx[i]
                else:
                    inputs = outputs[i][j - 1]
                if i > j:
                    inputs = inputs + outputs[i - 1][j]
                module_i = getattr(self, f'conv_bn_relu2_{i + 1}_{j + 1}')
                outputs[i].append(module_i(inputs))

            outs.append(outputs[i][i])
        out = torch.cat(tuple(outs), 1)
        out = self.conv_bn3(out)

        if self.downsample is not None:
            identity = self.downsample(identity)
        out = out + identity

        out = self.relu(out)

        return out


class Downsample_module(DownsampleModule):
    """Downsample module for RSN (MSPN's ``DownsampleModule`` with RSN's
    arguments).

    Args:
        block (nn.Module): Downsample block (``RSB``).
        num_blocks (list): Number of blocks in each downsample unit.
        num_steps (int): Number of steps in a block. Default:4
        num_units (int): Numbers of downsample units. Default: 4
        has_skip (bool): Whether to have skip connections from prior upsample
            module. Default:False
        norm_cfg (dict): dictionary to construct and config norm layer.
            Default: dict(type='BN')
        in_channels (int): Number of channels of the input feature to
            downsample module. Default: 64
        expand_times (int): Times by which the in_channels are expanded.
            Default:26.
    """

    def __init__(self,
                 block,
                 num_blocks,
                 num_steps=4,
                 num_units=4,
                 has_skip=False,
                 norm_cfg=dict(type='BN'),
                 in_channels=64,
                 expand_times=26):
        # RSB's branch width is relative to the stem width, in_channels here
        super().__init__(block, num_blocks, num_units, has_skip, norm_cfg,
                         in_channels, num_steps=num_steps,
                         expand_times=expand_times,
                         res_top_channels=in_channels)
        self.num_steps = num_steps


class Upsample_unit(UpsampleUnit):
    """Upsample unit for RSN: MSPN's ``UpsampleUnit`` (same arguments and
    layers) under RSN's 0.14 name."""


class Upsample_module(UpsampleModule):
    """Upsample module for RSN: MSPN's ``UpsampleModule`` (same arguments)
    whose units read the channels of ``RSB`` (expansion 1) downsample units.
    """

    block = RSB
    unit = Upsample_unit


class Single_stage_RSN(SingleStageNetwork):
    """Single-stage Residual Steps Network: ``Downsample_module`` of RSBs
    followed by ``Upsample_module``.

    Args:
        has_skip, gen_skip, gen_cross_conv, unit_channels, num_units,
        num_blocks, norm_cfg, in_channels: As for MSPN's
            ``SingleStageNetwork`` (``num_blocks`` counts RSBs).
        num_steps (int): Number of steps in an RSB. Default: 4.
        expand_times (int): Times by which the in_channels are expanded in
            RSB. Default: 26.
    """

    block = RSB
    downsample_module = Downsample_module
    upsample_module = Upsample_module

    def __init__(self, has_skip=False, gen_skip=False, gen_cross_conv=False,
                 unit_channels=256, num_units=4, num_steps=4,
                 num_blocks=[2, 2, 2, 2], norm_cfg=dict(type='BN'),
                 in_channels=64, expand_times=26):
        super().__init__(has_skip, gen_skip, gen_cross_conv, unit_channels,
                         num_units, num_blocks, norm_cfg, in_channels,
                         num_steps=num_steps, expand_times=expand_times)
        self.num_steps = num_steps
        self.expand_times = expand_times


class ResNet_top(ResNetTop):
    """ResNet top (stem) of RSN: MSPN's ``ResNetTop`` under RSN's 0.14
    name."""


@BACKBONES.register_module()
class RSN(MultiStageBackbone):
    """Residual Steps Network backbone. Paper ref: Cai et al. "Learning
    Delicate Local Representations for Multi-Person Pose Estimation" (ECCV
    2020).

    Note:
        RSN shares MSPN's stem, downsample/upsample modules and stage
        chaining; its downsample units stack ``RSB`` blocks.

    Args:
        unit_channels (int): Number of Channels in an upsample unit.
            Default: 256
        num_stages (int): Number of stages in a multi-stage RSN. Default: 4
        num_units (int): NUmber of downsample/upsample units in a single-stage
            RSN. Default: 4 Note: Make sure num_units == len(self.num_blocks)
        num_blocks (list): Number of RSBs (Residual Steps Block) in each
            downsample unit. Default: [2, 2, 2, 2]
        num_steps (int): Number of steps in a RSB. Default:4
        norm_cfg (dict): dictionary to construct and config norm layer.
            Default: dict(type='BN')
        res_top_channels (int): Number of channels of feature from ResNet_top.
            Default: 64.
        expand_times (int): Times by which the in_channels are expanded in RSB.
            Default:26.

    Example:
        >>> from mmpose.models import RSN
        >>> import torch
        >>> self = RSN(num_stages=1, num_units=2, num_blocks=[2, 2]).eval()
        >>> stages = self(torch.rand(1, 3, 256, 256))
        >>> [tuple(feature.shape) for feature in stages[0]]
        [(1, 256, 32, 32), (1, 256, 64, 64)]
    """

    top_module = ResNet_top
    stage_module = Single_stage_RSN

    def __init__(self,
                 unit_channels=256,
                 num_stages=4,
                 num_units=4,
                 num_blocks=[2, 2, 2, 2],
                 num_steps=4,
                 norm_cfg=dict(type='BN'),
                 res_top_channels=64,
                 expand_times=26):
        check(num_steps > 1, f'RSN: num_steps must be > 1, got {num_steps}')
        super().__init__(
            'multi_stage_rsn',
            unit_channels,
            num_stages,
            num_units,
            num_blocks,
            norm_cfg,
            res_top_channels,
            num_steps=num_steps,
            expand_times=expand_times)
        self.num_steps = num_steps
