import copy
from collections import OrderedDict

import torch.nn as nn
from mmcv.cnn import ConvModule, constant_init, kaiming_init, normal_init
from mmcv.runner.checkpoint import load_state_dict
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.utils import check, get_root_logger
from ..registry import BACKBONES
from ..utils.ops import resize
from .base_backbone import BaseBackbone
from .resnet import Bottleneck as _Bottleneck
from .utils import get_state_dict


class Bottleneck(_Bottleneck):
    """Bottleneck block for MSPN.

    Args:
        in_channels (int): Input channels of this block.
        out_channels (int): Middle channels of this block; the output has
            ``out_channels * 4`` channels.
        **kwargs: Passed to the ResNet ``Bottleneck``.
    """

    expansion = 4

    def __init__(self, in_channels, out_channels, **kwargs):
        super().__init__(in_channels, out_channels * 4, **kwargs)


def _conv1x1(in_channels, out_channels, norm_cfg, act=True, stride=1):
    """1x1 ConvModule with norm, with or without ReLU."""
    return ConvModule(
        in_channels,
        out_channels,
        kernel_size=1,
        stride=stride,
        padding=0,
        norm_cfg=norm_cfg,
        act_cfg=dict(type='ReLU') if act else None,
        inplace=True)


class DownsampleModule(nn.Module):
    """Downsample module of a multi-stage network (MSPN and RSN).

    ``layer{i+1}`` stacks ``num_blocks[i]`` blocks of ``in_channels * 2**i``
    (middle) channels; every layer but the first halves the resolution.

    Args:
        block (nn.Module): Block class: MSPN's ``Bottleneck`` or RSN's
            ``RSB``; built as ``block(in, out, stride=, downsample=,
            norm_cfg=, **block_kwargs)``.
        num_blocks (list): Number of blocks in each downsample unit.
        num_units (int): Number of downsample units. Default: 4
        has_skip (bool): Whether to add the skip features of the previous
            stage. Default: False
        norm_cfg (dict): dictionary to construct and config norm layer.
            Default: dict(type='BN')
        in_channels (int): Number of channels of the input feature to the
            module. Default: 64
        **block_kwargs: Extra arguments of every block.
    """

    def __init__(self,
                 block,
                 num_blocks,
                 num_units=4,
                 has_skip=False,
                 norm_cfg=dict(type='BN'),
                 in_channels=64,
                 **block_kwargs):
        # Protect mutable default arguments
        norm_cfg = copy.deepcopy(norm_cfg)
        super().__init__()
        check(
            len(num_blocks) == num_units,
            f'{type(self).__name__}: num_blocks {list(num_blocks)} must have '
            f'num_units={num_units} items')
        self.has_skip = has_skip
        self.in_channels = in_channels
        self.num_blocks = num_blocks
        self.num_units = num_units
        self.norm_cfg = norm_cfg
        self.block_kwargs = block_kwargs
        for i in range(num_units):
            self.add_module(
                f'layer{i + 1}',
                self._make_layer(
                    block,
                    in_channels * pow(2, i),
                    num_blocks[i],
                    stride=1 if i == 0 else 2))

    def _make_layer(self, block, out_channels, blocks, stride=1):
        """Stack ``blocks`` blocks; the first one changes channels/stride."""
        downsample = None
        if stride != 1 or self.in_channels != out_channels * block.expansion:
            downsample = _conv1x1(
                self.in_channels,
                out_channels * block.expansion,
                self.norm_cfg,
                act=False,
                stride=stride)

        units = [
            block(
                self.in_channels,
                out_channels,
                stride=stride,
                downsample=downsample,
                norm_cfg=self.norm_cfg,
                **self.block_kwargs)
        ]
        self.in_channels = out_channels * block.expansion
        for _ in range(1, blocks):
            units.append(
                block(
                    self.in_channels,
                    out_channels,
                    norm_cfg=self.norm_cfg,
                    **self.block_kwargs))

        return nn.Sequential(*units)

    def forward(self, x, skip1, skip2):
        """Model forward function.

        Returns:
            tuple[torch.Tensor]: The output of every unit, lowest resolution
            first.
        """
        out = list()
        for i in range(self.num_units):
            module_i = getattr(self, f'layer{i + 1}')
            x = module_i(x)
            if self.has_skip:
                x = x + skip1[i] + skip2[i]
            out.append(x)
        out.reverse()

        return tuple(out)


class UpsampleUnit(nn.Module):
    """Upsample unit of a multi-stage network (MSPN and RSN).

    Args:
        ind (int): Indicates whether to interpolate (>0) and whether to
           generate feature map for the next hourglass-like module.
        num_units (int): Number of units that form a upsample module. Along
            with ind and gen_cross_conv, nm_units is used to decide whether
            to generate feature map for the next hourglass-like module.
        in_channels (int): Channel number of the skip-in feature maps from
            the corresponding downsample unit.
        unit_channels (int): Channel number in this unit. Default:256.
        gen_skip: (bool): Whether or not to generate skips for the posterior
            downsample module. Default:False
        gen_cross_conv (bool): Whether to generate feature map for the next
            hourglass-like module. Default:False
        norm_cfg (dict): dictionary to construct and config norm layer.
            Default: dict(type='BN')
        out_channels (int): Number of channels of feature output by upsample
            module. Must equal to in_channels of downsample module. Default:64
    """

    def __init__(self,
                 ind,
                 num_units,
                 in_channels,
                 unit_channels=256,
                 gen_skip=False,
                 gen_cross_conv=False,
                 norm_cfg=dict(type='BN'),
                 out_channels=64):
        # Protect mutable default arguments
        norm_cfg = copy.deepcopy(norm_cfg)
        super().__init__()
        self.num_units = num_units
        self.norm_cfg = norm_cfg
        self.in_skip = _conv1x1(in_channels, unit_channels, norm_cfg, False)
        self.relu = nn.ReLU(inplace=True)

        self.ind = ind
        if self.ind > 0:
            self.up_conv = _conv1x1(unit_channels, unit_channels, norm_cfg,
                                    False)

        self.gen_skip = gen_skip
        if self.gen_skip:
            self.out_skip1 = _conv1x1(in_channels, in_channels, norm_cfg)
            self.out_skip2 = _conv1x1(unit_channels, in_channels, norm_cfg)

        self.gen_cross_conv = gen_cross_conv
        if self.ind == num_units - 1 and self.gen_cross_conv:
            self.cross_conv = _conv1x1(unit_channels, out_channels, norm_cfg)

    def forward(self, x, up_x):
        """Model forward function."""
        out = self.in_skip(x)

        if self.ind > 0:
            # 2x upsampling with align_corners=True is MSPN's design, not a
            # misalignment to warn about on every forward.
            up_x = resize(
                up_x,
                size=(x.size(2), x.size(3)),
                mode='bilinear',
                align_corners=True,
                warning=False)
            up_x = self.up_conv(up_x)
            out = out + up_x
        out = self.relu(out)

        skip1 = None
        skip2 = None
        if self.gen_skip:
            skip1 = self.out_skip1(x)
            skip2 = self.out_skip2(out)

        cross_conv = None
        if self.ind == self.num_units - 1 and self.gen_cross_conv:
            cross_conv = self.cross_conv(out)

        return out, skip1, skip2, cross_conv


class UpsampleModule(nn.Module):
    """Upsample module of a multi-stage network (MSPN and RSN).

    Args:
        unit_channels (int): Channel number in the upsample units.
            Default:256.
        num_units (int): Numbers of upsample units. Default: 4
        gen_skip (bool): Whether to generate skip for posterior downsample
            module or not. Default:False
        gen_cross_conv (bool): Whether to generate feature map for the next
            hourglass-like module. Default:False
        norm_cfg (dict): dictionary to construct and config norm layer.
            Default: dict(type='BN')
        out_channels (int): Number of channels of feature output by upsample
            module. Must equal to in_channels of downsample module. Default:64

    Note:
        Unit ``i`` (from the lowest resolution) reads the
        ``block.expansion * out_channels * 2**(num_units - 1 - i)`` channels
        of the matching downsample unit; ``block`` (MSPN's ``Bottleneck``
        here) and ``unit`` are class attributes that RSN's
        ``Upsample_module`` overrides.
    """

    block = Bottleneck
    unit = UpsampleUnit

    def __init__(self,
                 unit_channels=256,
                 num_units=4,
                 gen_skip=False,
                 gen_cross_conv=False,
                 norm_cfg=dict(type='BN'),
                 out_channels=64):
        # Protect mutable default arguments
        norm_cfg = copy.deepcopy(norm_cfg)
        super().__init__()
        self.in_channels = [
            self.block.expansion * out_channels * pow(2, i)
            for i in range(num_units)
        ]
        self.in_channels.reverse()
        self.num_units = num_units
        self.gen_skip = gen_skip
        self.gen_cross_conv = gen_cross_conv
        self.norm_cfg = norm_cfg
        for i in range(num_units):
            self.add_module(
                f'up{i + 1}',
                self.unit(
                    i,
                    self.num_units,
                    self.in_channels[i],
                    unit_channels,
                    self.gen_skip,
                    self.gen_cross_conv,
                    norm_cfg=self.norm_cfg,
                    out_channels=out_channels))

    def forward(self, x):
        """Model forward function.

        Returns:
            tuple: ``(out, skip1, skip2, cross_conv)``: the unit outputs
            (lowest resolution first), the skips for the next stage's
            downsample units (highest resolution first) and the next stage's
            input (None for the last stage).
        """
        out = list()
        skip1 = list()
        skip2 = list()
        cross_conv = None
        for i in range(self.num_units):
            module_i = getattr(self, f'up{i + 1}')
            outi, skip1_i, skip2_i, cross_conv_i = module_i(
                x[i], out[i - 1] if i > 0 else None)
            if i == self.num_units - 1:
                cross_conv = cross_conv_i
            out.append(outi)
            skip1.append(skip1_i)
            skip2.append(skip2_i)
        skip1.reverse()
        skip2.reverse()

        return out, skip1, skip2, cross_conv


class SingleStageNetwork(nn.Module):
    """Single-stage network of MSPN and RSN: a downsample module of
    ``block``s followed by an upsample module.

    Args:
        has_skip (bool): Whether to add the skips of the previous stage.
            Default: False.
        gen_skip (bool): Whether to generate skips for the next stage.
            Default: False.
        gen_cross_conv (bool): Whether to generate the next stage's input.
            Default: False.
        unit_channels (int): Channel number in the upsample units.
            Default: 256.
        num_units (int): Number of downsample/upsample units. Default: 4.
        num_blocks (list): Number of blocks in each downsample unit.
            Default: [2, 2, 2, 2].
        norm_cfg (dict): dictionary to construct and config norm layer.
            Default: dict(type='BN').
        in_channels (int): Number of channels of the input feature.
            Default: 64.
        **down_kwargs: Extra arguments of the downsample module (RSN's
            ``num_steps``, ``expand_times``).

    Note:
        ``block``, ``downsample_module`` and ``upsample_module`` are class
        attributes (MSPN's here) that RSN's ``Single_stage_RSN`` overrides.
    """

    block = Bottleneck
    downsample_module = DownsampleModule
    upsample_module = UpsampleModule

    def __init__(self,
                 has_skip=False,
                 gen_skip=False,
                 gen_cross_conv=False,
                 unit_channels=256,
                 num_units=4,
                 num_blocks=[2, 2, 2, 2],
                 norm_cfg=dict(type='BN'),
                 in_channels=64,
                 **down_kwargs):
        # Protect mutable default arguments
        norm_cfg = copy.deepcopy(norm_cfg)
        num_blocks = copy.deepcopy(num_blocks)
        super().__init__()
        self.has_skip = has_skip
        self.gen_skip = gen_skip
        self.gen_cross_conv = gen_cross_conv
        self.num_units = num_units
        self.unit_channels = unit_channels
        self.num_blocks = num_blocks
        self.norm_cfg = norm_cfg

        self.downsample = self.downsample_module(
            self.block,
            num_blocks,
            num_units=num_units,
            has_skip=has_skip,
            norm_cfg=norm_cfg,
            in_channels=in_channels,
            **down_kwargs)
        self.upsample = self.upsample_module(unit_channels, num_units,
                                             gen_skip, gen_cross_conv,
                                             norm_cfg, in_channels)

    def forward(self, x, skip1, skip2):
        """Model forward function."""
        mid = self.downsample(x, skip1, skip2)
        out, skip1, skip2, cross_conv = self.upsample(mid)

        return out, skip1, skip2, cross_conv


class ResNetTop(nn.Module):
    """ResNet top (stem) of MSPN and RSN: 7x7 stride-2 conv and max pool.

    Args:
        norm_cfg (dict): dictionary to construct and config norm layer.
            Default: dict(type='BN')
        channels (int): Number of channels of the feature output by ResNetTop.
            Default: 64.
    """

    def __init__(self, norm_cfg=dict(type='BN'), channels=64):
        # Protect mutable default arguments
        norm_cfg = copy.deepcopy(norm_cfg)
        super().__init__()
        self.top = nn.Sequential(
            ConvModule(
                3,
                channels,
                kernel_size=7,
                stride=2,
                padding=3,
                norm_cfg=norm_cfg,
                inplace=True), nn.MaxPool2d(kernel_size=3, stride=2,
                                            padding=1))

    def forward(self, img):
        """Model forward function."""
        return self.top(img)


class MultiStageBackbone(BaseBackbone):
    """What MSPN and RSN share: a ResNet top, then ``num_stages``
    SingleStageNetworks chained by skips and cross convs (every stage but
    the first takes skips, every stage but the last makes skips and the next
    stage's input).

    Args:
        stages_name (str): Attribute holding the stages (0.14's checkpoint
            keys: ``multi_stage_mspn``, ``multi_stage_rsn``).
        unit_channels (int): Number of Channels in an upsample unit.
        num_stages (int): Number of stages.
        num_units (int): Number of downsample/upsample units of a stage.
        num_blocks (list): Number of blocks in each downsample unit.
        norm_cfg (dict): dictionary to construct and config norm layer.
        res_top_channels (int): Number of channels of the ResNet top.
        **stage_kwargs: Extra arguments of every stage.

    Note:
        ``top_module`` and ``stage_module`` are class attributes naming the
        stem and stage classes (MSPN's here, RSN's ``ResNet_top`` and
        ``Single_stage_RSN`` there).
    """

    top_module = ResNetTop
    stage_module = SingleStageNetwork

    def __init__(self, stages_name, unit_channels, num_stages, num_units,
                 num_blocks, norm_cfg, res_top_channels, **stage_kwargs):
        # Protect mutable default arguments
        norm_cfg = copy.deepcopy(norm_cfg)
        num_blocks = copy.deepcopy(num_blocks)
        super().__init__()
        name = type(self).__name__
        check(num_stages > 0,
              f'{name}: num_stages must be > 0, got {num_stages}')
        check(num_units > 1, f'{name}: num_units must be > 1, got {num_units}')
        check(
            num_units == len(num_blocks),
            f'{name}: num_blocks {list(num_blocks)} must have '
            f'num_units={num_units} items')
        self.unit_channels = unit_channels
        self.num_stages = num_stages
        self.num_units = num_units
        self.num_blocks = num_blocks
        self.norm_cfg = norm_cfg
        self._stages_name = stages_name

        self.top = self.top_module(
            norm_cfg=norm_cfg, channels=res_top_channels)
        self.add_module(
            stages_name,
            nn.ModuleList([
                self.stage_module(
                    has_skip=i > 0,
                    gen_skip=i != num_stages - 1,
                    gen_cross_conv=i != num_stages - 1,
                    unit_channels=unit_channels,
                    num_units=num_units,
                    num_blocks=num_blocks,
                    norm_cfg=norm_cfg,
                    in_channels=res_top_channels,
                    **stage_kwargs) for i in range(num_stages)
            ]))

    def forward(self, x):
        """Model forward function.

        Returns:
            list[list[torch.Tensor]]: For every stage, the outputs of its
            upsample units (lowest resolution first).
        """
        out_feats = []
        skip1 = None
        skip2 = None
        x = self.top(x)
        for stage in getattr(self, self._stages_name):
            out, skip1, skip2, x = stage(x, skip1, skip2)
            out_feats.append(out)
        return out_feats

    def init_weights(self, pretrained=None):
        """Initialize model weights.

        Args:
            pretrained (str, optional): Path to a checkpoint of this
                backbone. Default: None, the default init.
        """
        super().init_weights(pretrained)
        if pretrained is None:
            for m in getattr(self, self._stages_name).modules():
                if isinstance(m, nn.Conv2d):
                    kaiming_init(m)
                elif isinstance(m, (_BatchNorm, nn.GroupNorm)):
                    constant_init(m, 1)
                elif isinstance(m, nn.Linear):
                    normal_init(m, std=0.01)

            for m in self.top.modules():
                if isinstance(m, nn.Conv2d):
                    kaiming_init(m)


@BACKBONES.register_module()
class MSPN(MultiStageBackbone):
    """MSPN backbone. Paper ref: Li et al. "Rethinking on Multi-Stage Networks
    for Human Pose Estimation" (CVPR 2020).

    Note:
        Every stage outputs ``num_units`` maps of ``unit_channels``
        channels, lowest resolution (1/32 of the input for 4 units) first,
        highest (1/4) last.

    Args:
        unit_channels (int): Number of Channels in an upsample unit.
            Default: 256
        num_stages (int): Number of stages in a multi-stage MSPN. Default: 4
        num_units (int): NUmber of downsample/upsample units in a single-stage
            network. Default: 4
            Note: Make sure num_units == len(self.num_blocks)
        num_blocks (list): Number of bottlenecks in each
            downsample unit. Default: [2, 2, 2, 2]
        norm_cfg (dict): dictionary to construct and config norm layer.
            Default: dict(type='BN')
        res_top_channels (int): Number of channels of feature from ResNetTop.
            Default: 64.

    Example:
        >>> from mmpose.models import MSPN
        >>> import torch
        >>> self = MSPN(num_stages=2,num_units=2,num_blocks=[2,2])
        >>> self.eval()
        >>> inputs = torch.rand(1, 3, 511, 511)
        >>> level_outputs = self.forward(inputs)
        >>> for level_output in level_outputs:
        ...     for feature in level_output:
        ...         print(tuple(feature.shape))
        ...
        (1, 256, 64, 64)
        (1, 256, 128, 128)
        (1, 256, 64, 64)
        (1, 256, 128, 128)
    """

    def __init__(self,
                 unit_channels=256,
                 num_stages=4,
                 num_units=4,
                 num_blocks=[2, 2, 2, 2],
                 norm_cfg=dict(type='BN'),
                 res_top_channels=64):
        super().__init__('multi_stage_mspn', unit_channels, num_stages,
                         num_units, num_blocks, norm_cfg, res_top_channels)

    def init_weights(self, pretrained=None):
        """Initialize model weights.

        Args:
            pretrained (str, optional): A ResNet checkpoint (e.g.
                ``torchvision://resnet50``), which initialises the stem and
                the downsample module of every stage, or a checkpoint of
                this backbone (keys ``top.*``, ``multi_stage_mspn.*``),
                loaded as is. Default: None, the default init.
        """
        if isinstance(pretrained, str):
            state_dict = get_state_dict(pretrained)
            if any(k.startswith(('top.', 'multi_stage_mspn.'))
                   for k in state_dict):
                super().init_weights(pretrained)
                return
            logger = get_root_logger()
            top, bottlenecks = self._resnet_to_mspn(state_dict)
            load_state_dict(self.top, top, strict=False, logger=logger)
            for stage in self.multi_stage_mspn:
                load_state_dict(
                    stage.downsample, bottlenecks, strict=False, logger=logger)
        else:
            super().init_weights(pretrained)

    @staticmethod
    def _resnet_to_mspn(state_dict):
        """Split a ResNet state dict into ``top`` and downsample weights.

        ResNet's ``conv1``/``bn1`` become ``top.0.conv``/``top.0.bn``; its
        shortcut ``downsample.0``/``downsample.1`` become the ConvModule's
        ``downsample.conv``/``downsample.bn``.
        """
        top = OrderedDict()
        bottlenecks = OrderedDict()
        for k, v in state_dict.items():
            if k.startswith('layer'):
                k = k.replace('downsample.0', 'downsample.conv')
                bottlenecks[k.replace('downsample.1', 'downsample.bn')] = v
            elif k.startswith('conv1'):
                top[k.replace('conv1', 'top.0.conv')] = v
            elif k.startswith('bn1'):
                top[k.replace('bn1', 'top.0.bn')] = v
        return top, bottlenecks
