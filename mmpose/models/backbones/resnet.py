import copy

import torch.nn as nn
import torch.utils.checkpoint as cp
from mmcv.cnn import (ConvModule, build_conv_layer, build_norm_layer,
                      constant_init, kaiming_init)

from mmpose.utils import check
from ..registry import BACKBONES
from .base_backbone import BaseBackbone
from .utils import SELayer
from .utils.weight_init import init_conv_norm


class _ResBlock(nn.Module):
    """What BasicBlock and Bottleneck share: arguments, the identity branch
    and the final ReLU. A subclass builds its layers and ``forward_residual``.
    """

    def __init__(self, in_channels, out_channels, expansion, stride, dilation,
                 downsample, style, with_cp, conv_cfg, norm_cfg):
        super().__init__()
        check(
            style in ('pytorch', 'caffe'),
            f'{type(self).__name__} style must be "pytorch" or "caffe", got '
            f'"{style}"')
        check(
            out_channels % expansion == 0,
            f'out_channels ({out_channels}) must be divisible by expansion '
            f'({expansion})')
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.expansion = expansion
        self.mid_channels = out_channels // expansion
        self.stride = stride
        self.dilation = dilation
        self.style = style
        self.with_cp = with_cp
        self.conv_cfg = conv_cfg
        # Protect mutable default arguments
        self.norm_cfg = copy.deepcopy(norm_cfg)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def _add_norm(self, index, num_features):
        """Add norm layer ``index`` (named e.g. bn1 / gn1) to the block."""
        name, norm = build_norm_layer(
            self.norm_cfg, num_features, postfix=index)
        setattr(self, f'norm{index}_name', name)
        self.add_module(name, norm)

    @property
    def norm1(self):
        """nn.Module: the normalization layer named "norm1" """
        return getattr(self, self.norm1_name)

    @property
    def norm2(self):
        """nn.Module: the normalization layer named "norm2" """
        return getattr(self, self.norm2_name)

    def forward(self, x):
        """Forward function."""

        def _inner_forward(x):
            identity = x
            out = self.forward_residual(x)
            if self.downsample is not None:
                identity = self.downsample(x)
            return out + identity

        if self.with_cp and x.requires_grad:
            out = cp.checkpoint(_inner_forward, x, use_reentrant=False)
        else:
            out = _inner_forward(x)
        return self.relu(out)


class BasicBlock(_ResBlock):
    """BasicBlock for ResNet.

    Args:
        in_channels (int): Input channels of this block.
        out_channels (int): Output channels of this block.
        expansion (int): The ratio of ``out_channels/mid_channels`` where
            ``mid_channels`` is the output channels of conv1. This is a
            reserved argument in BasicBlock and should always be 1. Default: 1.
        stride (int): stride of the block. Default: 1
        dilation (int): dilation of convolution. Default: 1
        downsample (nn.Module): downsample operation on identity branch.
            Default: None.
        style (str): `pytorch` or `caffe`. It is unused and reserved for
            unified API with Bottleneck.
        with_cp (bool): Use checkpoint or not. Using checkpoint will save some
            memory while slowing down the training speed.
        conv_cfg (dict): dictionary to construct and config conv layer.
            Default: None
        norm_cfg (dict): dictionary to construct and config norm layer.
            Default: dict(type='BN')
    """

    def __init__(self,
                 in_channels,
                 out_channels,
                 expansion=1,
                 stride=1,
                 dilation=1,
                 downsample=None,
                 style='pytorch',
                 with_cp=False,
                 conv_cfg=None,
                 norm_cfg=dict(type='BN')):
        check(expansion == 1,
              f'BasicBlock expansion must be 1, got {expansion}')
        super().__init__(in_channels, out_channels, expansion, stride,
                         dilation, downsample, style, with_cp, conv_cfg,
                         norm_cfg)
        self.conv1 = build_conv_layer(
            conv_cfg,
            in_channels,
            self.mid_channels,
            3,
            stride=stride,
            padding=dilation,
            dilation=dilation,
            bias=False)
        self._add_norm(1, self.mid_channels)
        self.conv2 = build_conv_layer(
            conv_cfg,
            self.mid_channels,
            out_channels,
            3,
            padding=1,
            bias=False)
        self._add_norm(2, out_channels)

    @property
    def last_norm(self):
        """nn.Module: the norm zeroed by ``zero_init_residual``."""
        return self.norm2

    def forward_residual(self, x):
        """The residual branch (conv1 -> conv2)."""
        out = self.relu(self.norm1(self.conv1(x)))
        return self.norm2(self.conv2(out))


class Bottleneck(_ResBlock):
    """Bottleneck block for ResNet and its variants.

    The variants are arguments: ``groups``/``width_per_group`` give the
    ResNeXt block and ``se_ratio`` the SE block, so ResNeXt, SEResNet and
    SEResNeXt blocks are thin subclasses.

    Args:
        in_channels (int): Input channels of this block.
        out_channels (int): Output channels of this block.
        expansion (int): The ratio of ``out_channels/mid_channels`` where
            ``mid_channels`` is the input/output channels of conv2.
            Default: 4.
        stride (int): stride of the block. Default: 1
        dilation (int): dilation of convolution. Default: 1
        downsample (nn.Module): downsample operation on identity branch.
            Default: None.
        style (str): ``"pytorch"`` or ``"caffe"``. If set to "pytorch", the
            stride-two layer is the 3x3 conv layer, otherwise the stride-two
            layer is the first 1x1 conv layer. Default: "pytorch".
        with_cp (bool): Use checkpoint or not. Using checkpoint will save some
            memory while slowing down the training speed.
        conv_cfg (dict): dictionary to construct and config conv layer.
            Default: None
        norm_cfg (dict): dictionary to construct and config norm layer.
            Default: dict(type='BN')
        groups (int): Groups of conv2. With ``groups > 1`` the width of conv2
            is ``groups * width_per_group * mid_channels // base_channels``
            (ResNeXt). Default: 1.
        width_per_group (int): Width per group of conv2 (used when
            ``groups > 1``). Default: 4.
        base_channels (int): Middle channels of the first stage of the
            network (used when ``groups > 1``). Default: 64.
        se_ratio (int | None): Squeeze ratio of an SELayer applied after
            conv3, or None for no SE layer. Default: None.
    """

    def __init__(self,
                 in_channels,
                 out_channels,
                 expansion=4,
                 stride=1,
                 dilation=1,
                 downsample=None,
                 style='pytorch',
                 with_cp=False,
                 conv_cfg=None,
                 norm_cfg=dict(type='BN'),
                 groups=1,
                 width_per_group=4,
                 base_channels=64,
                 se_ratio=None):
        super().__init__(in_channels, out_channels, expansion, stride,
                         dilation, downsample, style, with_cp, conv_cfg,
                         norm_cfg)
        self.groups = groups
        self.width_per_group = width_per_group
        if groups != 1:
            self.mid_channels = (
                groups * width_per_group * self.mid_channels // base_channels)

        if self.style == 'pytorch':
            self.conv1_stride = 1
            self.conv2_stride = stride
        else:
            self.conv1_stride = stride
            self.conv2_stride = 1

        self.conv1 = build_conv_layer(
            conv_cfg,
            in_channels,
            self.mid_channels,
            kernel_size=1,
            stride=self.conv1_stride,
            bias=False)
        self._add_norm(1, self.mid_channels)
        self.conv2 = build_conv_layer(
            conv_cfg,
            self.mid_channels,
            self.mid_channels,
            kernel_size=3,
            stride=self.conv2_stride,
            padding=dilation,
            dilation=dilation,
            groups=groups,
            bias=False)
        self._add_norm(2, self.mid_channels)
        self.conv3 = build_conv_layer(
            conv_cfg,
            self.mid_channels,
            out_channels,
            kernel_size=1,
            bias=False)
        self._add_norm(3, out_channels)

        self.with_se = se_ratio is not None
        if self.with_se:
            self.se_layer = SELayer(out_channels, ratio=se_ratio)

    @property
    def norm3(self):
        """nn.Module: the normalization layer named "norm3" """
        return getattr(self, self.norm3_name)

    @property
    def last_norm(self):
        """nn.Module: the norm zeroed by ``zero_init_residual``."""
        return self.norm3

    def forward_residual(self, x):
        """The residual branch (conv1 -> conv2 -> conv3 [-> SE])."""
        out = self.relu(self.norm1(self.conv1(x)))
        out = self.relu(self.norm2(self.conv2(out)))
        out = self.norm3(self.conv3(out))
        if self.with_se:
            out = self.se_layer(out)
        return out


def get_expansion(block, expansion=None):
    """Get the expansion of a residual block.

    The block expansion will be obtained by the following order:

    1. If ``expansion`` is given, just return it.
    2. If ``block`` has the attribute ``expansion``, then return
       ``block.expansion``.
    3. Return the default value according the the block type:
       1 for ``BasicBlock`` and 4 for ``Bottleneck``.

    Args:
        block (class): The block class.
        expansion (int | None): The given expansion ratio.

    Returns:
        int: The expansion of the block.
    """
    if isinstance(expansion, int):
        check(expansion > 0, f'expansion must be positive, got {expansion}')
    elif expansion is None:
        if hasattr(block, 'expansion'):
            expansion = block.expansion
        elif issubclass(block, BasicBlock):
            expansion = 1
        elif issubclass(block, Bottleneck):
            expansion = 4
        else:
            raise TypeError(f'expansion is not specified for {block.__name__}')
    else:
        raise TypeError('expansion must be an integer or None, but got '
                        f'{type(expansion).__name__}')

    return expansion


def check_res_stages(name, num_stages, strides, dilations, out_indices,
                     style):
    """Check the stage arguments of a ResNet-style backbone.

    Args:
        name (str): Backbone name, used in the error messages.
        num_stages (int): Number of stages, in [1, 4].
        strides (Sequence[int]): One stride per stage.
        dilations (Sequence[int]): One dilation per stage.
        out_indices (int | Sequence[int]): Output stages, < num_stages.
        style (str): 'pytorch' or 'caffe'.

    Returns:
        Sequence[int]: ``out_indices``, an int wrapped in a tuple.

    Raises:
        ArgumentError: If an argument fails its check (0.14 asserted).
    """
    check(1 <= num_stages <= 4,
          f'{name}: num_stages must be in [1, 4], got {num_stages}')
    check(
        len(strides) == len(dilations) == num_stages,
        f'{name}: strides {tuple(strides)} and dilations '
        f'{tuple(dilations)} must each have num_stages={num_stages} entries')
    if isinstance(out_indices, int):
        out_indices = (out_indices, )
    check(
        max(out_indices) < num_stages,
        f'{name}: out_indices {tuple(out_indices)} must be < '
        f'num_stages={num_stages}')
    check(style in ('pytorch', 'caffe'),
          f'{name}: style must be "pytorch" or "caffe", got "{style}"')
    return out_indices


class ResLayer(nn.Sequential):
    """ResLayer to build ResNet style backbone.

    Args:
        block (nn.Module): Residual block used to build ResLayer.
        num_blocks (int): Number of blocks.
        in_channels (int): Input channels of this block.
        out_channels (int): Output channels of this block.
        expansion (int, optional): The expansion for BasicBlock/Bottleneck.
            If not specified, it will firstly be obtained via
            ``block.expansion``. If the block has no attribute "expansion",
            the following default values will be used: 1 for BasicBlock and
            4 for Bottleneck. Default: None.
        stride (int): stride of the first block. Default: 1.
        avg_down (bool): Use AvgPool instead of stride conv when
            downsampling in the bottleneck. Default: False
        conv_cfg (dict): dictionary to construct and config conv layer.
            Default: None
        norm_cfg (dict): dictionary to construct and config norm layer.
            Default: dict(type='BN')
        downsample_first (bool): Downsample at the first block or last block.
            False for Hourglass, True for ResNet. Default: True
        **kwargs: Passed to every block (e.g. dilation, style, with_cp,
            groups, se_ratio).
    """

    def __init__(self,
                 block,
                 num_blocks,
                 in_channels,
                 out_channels,
                 expansion=None,
                 stride=1,
                 avg_down=False,
                 conv_cfg=None,
                 norm_cfg=dict(type='BN'),
                 downsample_first=True,
                 **kwargs):
        # Protect mutable default arguments
        norm_cfg = copy.deepcopy(norm_cfg)
        self.block = block
        self.expansion = get_expansion(block, expansion)

        downsample = None
        if stride != 1 or in_channels != out_channels:
            downsample = []
            conv_stride = stride
            if avg_down and stride != 1:
                conv_stride = 1
                downsample.append(
                    nn.AvgPool2d(
                        kernel_size=stride,
                        stride=stride,
                        ceil_mode=True,
                        count_include_pad=False))
            downsample.extend([
                build_conv_layer(
                    conv_cfg,
                    in_channels,
                    out_channels,
                    kernel_size=1,
                    stride=conv_stride,
                    bias=False),
                build_norm_layer(norm_cfg, out_channels)[1]
            ])
            downsample = nn.Sequential(*downsample)

        common = dict(
            expansion=self.expansion,
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg,
            **kwargs)
        layers = []
        if downsample_first:
            layers.append(
                block(
                    in_channels=in_channels,
                    out_channels=out_channels,
                    stride=stride,
                    downsample=downsample,
                    **common))
            in_channels = out_channels
            for _ in range(1, num_blocks):
                layers.append(
                    block(
                        in_channels=in_channels,
                        out_channels=out_channels,
                        stride=1,
                        **common))
        else:  # downsample_first=False is for HourglassModule
            for _ in range(0, num_blocks - 1):
                layers.append(
                    block(
                        in_channels=in_channels,
                        out_channels=in_channels,
                        stride=1,
                        **common))
            layers.append(
                block(
                    in_channels=in_channels,
                    out_channels=out_channels,
                    stride=stride,
                    downsample=downsample,
                    **common))

        super().__init__(*layers)


@BACKBONES.register_module()
class ResNet(BaseBackbone):
    """ResNet backbone.

    Please refer to the `paper <https://arxiv.org/abs/1512.03385>`__ for
    details.

    Args:
        depth (int): Network depth, from {18, 34, 50, 101, 152}.
        in_channels (int): Number of input image channels. Default: 3.
        stem_channels (int): Output channels of the stem layer. Default: 64.
        base_channels (int): Middle channels of the first stage. Default: 64.
        expansion (int | None): The ratio of ``out_channels/mid_channels`` of
            the blocks; None takes the block's default. Default: None.
        num_stages (int): Stages of the network. Default: 4.
        strides (Sequence[int]): Strides of the first block of each stage.
            Default: ``(1, 2, 2, 2)``.
        dilations (Sequence[int]): Dilation of each stage.
            Default: ``(1, 1, 1, 1)``.
        out_indices (Sequence[int]): Output from which stages. If only one
            stage is specified, a single tensor (feature map) is returned,
            otherwise multiple stages are specified, a tuple of tensors will
            be returned. Default: ``(3, )``.
        style (str): `pytorch` or `caffe`. If set to "pytorch", the stride-two
            layer is the 3x3 conv layer, otherwise the stride-two layer is
            the first 1x1 conv layer.
        deep_stem (bool): Replace 7x7 conv in input stem with 3 3x3 conv.
            Default: False.
        avg_down (bool): Use AvgPool instead of stride conv when
            downsampling in the bottleneck. Default: False.
        frozen_stages (int): Stages to be frozen (stop grad and set eval
            mode). -1 means not freezing any parameters. Default: -1.
        conv_cfg (dict | None): The config dict for conv layers.
            Default: None.
        norm_cfg (dict): The config dict for norm layers.
        norm_eval (bool): Whether to set norm layers to eval mode, namely,
            freeze running stats (mean and var). Note: Effect on Batch Norm
            and its variants only. Default: False.
        with_cp (bool): Use checkpoint or not. Using checkpoint will save some
            memory while slowing down the training speed. Default: False.
        zero_init_residual (bool): Whether to use zero init for last norm
            layer in resblocks to let them behave as identity.
            Default: True.

    Example:
        >>> from mmpose.models import ResNet
        >>> import torch
        >>> self = ResNet(depth=18, out_indices=(0, 1, 2, 3))
        >>> self.eval()
        >>> inputs = torch.rand(1, 3, 32, 32)
        >>> level_outputs = self.forward(inputs)
        >>> for level_out in level_outputs:
        ...     print(tuple(level_out.shape))
        (1, 64, 8, 8)
        (1, 128, 4, 4)
        (1, 256, 2, 2)
        (1, 512, 1, 1)
    """

    arch_settings = {
        18: (BasicBlock, (2, 2, 2, 2)),
        34: (BasicBlock, (3, 4, 6, 3)),
        50: (Bottleneck, (3, 4, 6, 3)),
        101: (Bottleneck, (3, 4, 23, 3)),
        152: (Bottleneck, (3, 8, 36, 3))
    }

    def __init__(self,
                 depth,
                 in_channels=3,
                 stem_channels=64,
                 base_channels=64,
                 expansion=None,
                 num_stages=4,
                 strides=(1, 2, 2, 2),
                 dilations=(1, 1, 1, 1),
                 out_indices=(3, ),
                 style='pytorch',
                 deep_stem=False,
                 avg_down=False,
                 frozen_stages=-1,
                 conv_cfg=None,
                 norm_cfg=dict(type='BN', requires_grad=True),
                 norm_eval=False,
                 with_cp=False,
                 zero_init_residual=True):
        # Protect mutable default arguments
        norm_cfg = copy.deepcopy(norm_cfg)
        super().__init__()
        if depth not in self.arch_settings:
            raise KeyError(
                f'invalid depth {depth} for {type(self).__name__}: supported '
                f'depths are {sorted(self.arch_settings)}')
        out_indices = check_res_stages(
            type(self).__name__, num_stages, strides, dilations, out_indices,
            style)
        self.depth = depth
        self._store_args(stem_channels, base_channels, num_stages, strides,
                         dilations, out_indices, style, deep_stem, avg_down,
                         frozen_stages, conv_cfg, norm_cfg, with_cp,
                         norm_eval, zero_init_residual)
        self.block, stage_blocks = self.arch_settings[depth]
        self.stage_blocks = stage_blocks[:num_stages]
        self.expansion = get_expansion(self.block, expansion)

        self._make_stem_layer(in_channels, stem_channels)

        # stage i: 2^i * base_channels * expansion channels out
        channels = [stem_channels] + [
            base_channels * self.expansion * 2**i
            for i in range(len(self.stage_blocks))
        ]
        res_layer = self._add_res_layers([
            dict(
                block=self.block,
                num_blocks=num_blocks,
                in_channels=channels[i],
                out_channels=channels[i + 1],
                expansion=self.expansion)
            for i, num_blocks in enumerate(self.stage_blocks)
        ])
        self.feat_dim = res_layer[-1].out_channels

    def _store_args(self, stem_channels, base_channels, num_stages, strides,
                    dilations, out_indices, style, deep_stem, avg_down,
                    frozen_stages, conv_cfg, norm_cfg, with_cp, norm_eval,
                    zero_init_residual):
        """Keep the stage arguments as attributes (ResNet's and RegNet's)."""
        self.stem_channels = stem_channels
        self.base_channels = base_channels
        self.num_stages = num_stages
        self.strides = strides
        self.dilations = dilations
        self.out_indices = out_indices
        self.style = style
        self.deep_stem = deep_stem
        self.avg_down = avg_down
        self.frozen_stages = frozen_stages
        self.conv_cfg = conv_cfg
        self.norm_cfg = norm_cfg
        self.with_cp = with_cp
        self.norm_eval = norm_eval
        self.zero_init_residual = zero_init_residual

    def _add_res_layers(self, stage_args):
        """Add the stages ``layer1``, ``layer2``, ... (listed in
        ``res_layers``), each made by :meth:`make_res_layer` from its own
        arguments plus the stride, dilation and the settings all stages
        share; then freeze the ``frozen_stages``.

        Args:
            stage_args (list[dict]): Per stage: block, num_blocks,
                in_channels, out_channels, expansion, ...

        Returns:
            ResLayer: The last stage.
        """
        self.res_layers = []
        for i, args in enumerate(stage_args):
            res_layer = self.make_res_layer(
                stride=self.strides[i],
                dilation=self.dilations[i],
                style=self.style,
                avg_down=self.avg_down,
                with_cp=self.with_cp,
                conv_cfg=self.conv_cfg,
                norm_cfg=self.norm_cfg,
                **args)
            layer_name = f'layer{i + 1}'
            self.add_module(layer_name, res_layer)
            self.res_layers.append(layer_name)
        self._freeze_stages()
        return res_layer

    def make_res_layer(self, **kwargs):
        """Make a ResLayer (subclasses add their block arguments here)."""
        return ResLayer(**kwargs)

    @property
    def norm1(self):
        """nn.Module: the normalization layer named "norm1" """
        return getattr(self, self.norm1_name)

    def _make_stem_layer(self, in_channels, stem_channels):
        """Make stem layer."""
        if self.deep_stem:
            self.stem = nn.Sequential(
                ConvModule(
                    in_channels,
                    stem_channels // 2,
                    kernel_size=3,
                    stride=2,
                    padding=1,
                    conv_cfg=self.conv_cfg,
                    norm_cfg=self.norm_cfg,
                    inplace=True),
                ConvModule(
                    stem_channels // 2,
                    stem_channels // 2,
                    kernel_size=3,
                    stride=1,
                    padding=1,
                    conv_cfg=self.conv_cfg,
                    norm_cfg=self.norm_cfg,
                    inplace=True),
                ConvModule(
                    stem_channels // 2,
                    stem_channels,
                    kernel_size=3,
                    stride=1,
                    padding=1,
                    conv_cfg=self.conv_cfg,
                    norm_cfg=self.norm_cfg,
                    inplace=True))
        else:
            self.conv1 = build_conv_layer(
                self.conv_cfg,
                in_channels,
                stem_channels,
                kernel_size=7,
                stride=2,
                padding=3,
                bias=False)
            self.norm1_name, norm1 = build_norm_layer(
                self.norm_cfg, stem_channels, postfix=1)
            self.add_module(self.norm1_name, norm1)
            self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)

    def _frozen_modules(self):
        """Stage 0 is the stem; stage i (1-based) is ``layer{i}``."""
        modules = []
        if self.frozen_stages >= 0:
            if self.deep_stem:
                modules.append(self.stem)
            else:
                modules.extend([self.norm1, self.conv1])
        for i in range(1, self.frozen_stages + 1):
            modules.append(getattr(self, f'layer{i}'))
        return modules

    def _default_init(self):
        init_conv_norm(self.modules(), kaiming_init)
        if self.zero_init_residual:
            for m in self.modules():
                if isinstance(m, _ResBlock):
                    constant_init(m.last_norm, 0)

    def forward(self, x):
        """Forward function."""
        if self.deep_stem:
            x = self.stem(x)
        else:
            x = self.conv1(x)
            x = self.norm1(x)
            x = self.relu(x)
        x = self.maxpool(x)
        outs = []
        for i, layer_name in enumerate(self.res_layers):
            res_layer = getattr(self, layer_name)
            x = res_layer(x)
            if i in self.out_indices:
                outs.append(x)
        if len(outs) == 1:
            return outs[0]
        return tuple(outs)


@BACKBONES.register_module()
class ResNetV1d(ResNet):
    r"""ResNetV1d variant described in `Bag of Tricks
    <https://arxiv.org/pdf/1812.01187.pdf>`__.

    Compared with default ResNet(ResNetV1b), ResNetV1d replaces the 7x7 conv
    in the input stem with three 3x3 convs. And in the downsampling block, a
    2x2 avg_pool with stride 2 is added before conv, whose stride is changed
    to 1.
    """

    def __init__(self, **kwargs):
        super().__init__(deep_stem=True, avg_down=True, **kwargs)
