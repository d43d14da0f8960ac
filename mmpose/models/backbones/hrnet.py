import copy

import torch.nn as nn
from mmcv.cnn import build_conv_layer, build_norm_layer, constant_init

from mmpose.utils import check
from ..registry import BACKBONES
from .base_backbone import BaseBackbone
from .resnet import BasicBlock, Bottleneck, ResLayer, get_expansion
from .utils.weight_init import NormalInitMixin


def _conv_norm(conv_cfg, norm_cfg, in_channels, out_channels, kernel_size,
               stride, padding, relu):
    """Conv (no bias) + norm [+ ReLU] as an ``nn.Sequential`` indexed 0/1/2.

    HRNet's transition and fuse layers are written this way so that their
    ``state_dict`` keys (``<i>.0.weight``, ``<i>.1.running_mean``) match the
    published checkpoints.
    """
    layers = [
        build_conv_layer(
            conv_cfg,
            in_channels,
            out_channels,
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
            bias=False),
        build_norm_layer(norm_cfg, out_channels)[1]
    ]
    if relu:
        layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


def _res_layer(owner, block, in_channels, out_channels, num_blocks, stride=1):
    """A ResLayer with ``owner``'s conv_cfg, norm_cfg and with_cp."""
    return ResLayer(
        block,
        num_blocks,
        in_channels,
        out_channels,
        stride=stride,
        conv_cfg=owner.conv_cfg,
        norm_cfg=owner.norm_cfg,
        with_cp=owner.with_cp)


class HRModule(nn.Module):
    """High-Resolution Module for HRNet.

    In this module, every branch has 4 BasicBlocks/Bottlenecks. Fusion/Exchange
    is in this module.

    Args:
        num_branches (int): Number of parallel branches.
        blocks (nn.Module): Block class (``BasicBlock`` or ``Bottleneck``).
        num_blocks (Sequence[int]): Number of blocks in each branch.
        in_channels (list[int]): Input channels of each branch. The list is
            updated in place to the output channels of each branch.
        num_channels (Sequence[int]): Base channels of each branch (the
            block expansion is applied on top).
        multiscale_output (bool): Whether to output every branch (True) or
            only the highest-resolution one (False). Default: False.
        with_cp (bool): Use checkpoint in the blocks. Default: False.
        conv_cfg (dict): Config of conv layers. Default: None.
        norm_cfg (dict): Config of norm layers. Default: dict(type='BN').
        upsample_cfg (dict): ``mode`` and ``align_corners`` of the
            ``nn.Upsample`` in the fuse layers.
            Default: dict(mode='nearest', align_corners=None).
    """

    def __init__(self,
                 num_branches,
                 blocks,
                 num_blocks,
                 in_channels,
                 num_channels,
                 multiscale_output=False,
                 with_cp=False,
                 conv_cfg=None,
                 norm_cfg=dict(type='BN'),
                 upsample_cfg=dict(mode='nearest', align_corners=None)):
        # Protect mutable default arguments
        norm_cfg = copy.deepcopy(norm_cfg)
        super().__init__()
        self._check_branches(num_branches, num_blocks, in_channels,
                             num_channels)

        self.in_channels = in_channels
        self.num_branches = num_branches

        self.multiscale_output = multiscale_output
        self.norm_cfg = norm_cfg
        self.conv_cfg = conv_cfg
        self.upsample_cfg = upsample_cfg
        self.with_cp = with_cp
        self.branches = self._make_branches(num_branches, blocks, num_blocks,
                                            num_channels)
        self.fuse_layers = self._make_fuse_layers()
        self.relu = nn.ReLU(inplace=True)

    @staticmethod
    def _check_branches(num_branches, num_blocks, in_channels, num_channels):
        """Check that every per-branch list has ``num_branches`` entries."""
        for name, value in (('num_blocks', num_blocks),
                            ('num_channels', num_channels),
                            ('in_channels', in_channels)):
            check(
                num_branches == len(value),
                f'HRModule: num_branches ({num_branches}) != len({name}) '
                f'({len(value)}), {name}={list(value)}')

    def _make_one_branch(self,
                         branch_index,
                         block,
                         num_blocks,
                         num_channels,
                         stride=1):
        """Make one branch."""
        out_channels = num_channels[branch_index] * get_expansion(block)
        layer = _res_layer(self, block, self.in_channels[branch_index],
                           out_channels, num_blocks[branch_index], stride)
        self.in_channels[branch_index] = out_channels
        return layer

    def _make_branches(self, num_branches, block, num_blocks, num_channels):
        """Make branches."""
        return nn.ModuleList([
            self._make_one_branch(i, block, num_blocks, num_channels)
            for i in range(num_branches)
        ])

    def _make_fuse_layers(self):
        """Make fuse layers.

        ``fuse_layers[i][j]`` brings branch ``j`` to the resolution and
        channels of branch ``i``: 1x1 conv + upsample for lower resolutions,
        a chain of stride-2 3x3 convs for higher ones, ``None`` for itself.
        """
        if self.num_branches == 1:
            return None

        num_branches = self.num_branches
        in_channels = self.in_channels
        fuse_layers = []
        num_out_branches = num_branches if self.multiscale_output else 1
        for i in range(num_out_branches):
            fuse_layer = []
            for j in range(num_branches):
                if j > i:
                    fuse_layer.append(
                        nn.Sequential(
                            *_conv_norm(self.conv_cfg, self.norm_cfg,
                                        in_channels[j], in_channels[i], 1, 1,
                                        0, False),
                            nn.Upsample(
                                scale_factor=2**(j - i),
                                mode=self.upsample_cfg['mode'],
                                align_corners=self.
                                upsample_cfg['align_corners'])))
                elif j == i:
                    fuse_layer.append(None)
                else:
                    # the last conv maps to branch i's channels without ReLU
                    conv_downsamples = [
                        _conv_norm(self.conv_cfg, self.norm_cfg,
                                   in_channels[j], in_channels[j], 3, 2, 1,
                                   True) for _ in range(i - j - 1)
                    ]
                    conv_downsamples.append(
                        _conv_norm(self.conv_cfg, self.norm_cfg,
                                   in_channels[j], in_channels[i], 3, 2, 1,
                                   False))
                    fuse_layer.append(nn.Sequential(*conv_downsamples))
            fuse_layers.append(nn.ModuleList(fuse_layer))

        return nn.ModuleList(fuse_layers)

    def forward(self, x):
        """Forward function.

        Args:
            x (list[Tensor]): One feature map per branch.

        Returns:
            list[Tensor]: The fused feature maps (``num_branches`` of them if
            ``multiscale_output`` else one).
        """
        if self.num_branches == 1:
            return [self.branches[0](x[0])]

        for i in range(self.num_branches):
            x[i] = self.branches[i](x[i])

        x_fuse = []
        for i in range(len(self.fuse_layers)):
            y = 0
            for j in range(self.num_branches):
                if i == j:
                    y = y + x[j]
                else:
                    y = y + self.fuse_layers[i][j](x[j])
            x_fuse.append(self.relu(y))
        return x_fuse


@BACKBONES.register_module()
class HRNet(NormalInitMixin, BaseBackbone):
    """HRNet backbone.

    `High-Resolution Representations for Labeling Pixels and Regions
    <https://arxiv.org/abs/1904.04514>`__

    Note:
        The stem downsamples by 4; branch ``i`` of stage 4 has stride
        ``4 * 2**i``. Unless ``extra['stage4']['multiscale_output']`` is
        True, the last HRModule fuses into the highest-resolution branch
        only and the output is a one-element list.

    Args:
        extra (dict): detailed configuration for each stage of HRNet:
            ``stage1`` .. ``stage4``, each a dict with ``num_modules``,
            ``num_branches``, ``block`` ('BASIC' or 'BOTTLENECK'),
            ``num_blocks`` and ``num_channels``; ``stage4`` may set
            ``multiscale_output``; an optional ``upsample`` dict sets
            ``mode``/``align_corners`` of the fuse layers' upsampling.
        in_channels (int): Number of input image channels. Default: 3.
        conv_cfg (dict): dictionary to construct and config conv layer.
        norm_cfg (dict): dictionary to construct and config norm layer.
        norm_eval (bool): Whether to set norm layers to eval mode, namely,
            freeze running stats (mean and var). Note: Effect on Batch Norm
            and its variants only. Default: False
        with_cp (bool): Use checkpoint or not. Using checkpoint will save some
            memory while slowing down the training speed.
        zero_init_residual (bool): whether to use zero init for last norm layer
            in resblocks to let them behave as identity.

    Example:
        >>> from mmpose.models import HRNet
        >>> import torch
        >>> extra = dict(
        >>>     stage1=dict(
        >>>         num_modules=1,
        >>>         num_branches=1,
        >>>         block='BOTTLENECK',
        >>>         num_blocks=(4, ),
        >>>         num_channels=(64, )),
        >>>     stage2=dict(
        >>>         num_modules=1,
        >>>         num_branches=2,
        >>>         block='BASIC',
        >>>         num_blocks=(4, 4),
        >>>         num_channels=(32, 64)),
        >>>     stage3=dict(
        >>>         num_modules=4,
        >>>         num_branches=3,
        >>>         block='BASIC',
        >>>         num_blocks=(4, 4, 4),
        >>>         num_channels=(32, 64, 128)),
        >>>     stage4=dict(
        >>>         num_modules=3,
        >>>         num_branches=4,
        >>>         block='BASIC',
        >>>         num_blocks=(4, 4, 4, 4),
        >>>         num_channels=(32, 64, 128, 256),
        >>>         multiscale_output=True))
        >>> self = HRNet(extra, in_channels=1)
        >>> self.eval()
        >>> inputs = torch.rand(1, 1, 32, 32)
        >>> level_outputs = self.forward(inputs)
        >>> for level_out in level_outputs:
        ...     print(tuple(level_out.shape))
        (1, 32, 8, 8)
        (1, 64, 4, 4)
        (1, 128, 2, 2)
        (1, 256, 1, 1)
    """

    blocks_dict = {'BASIC': BasicBlock, 'BOTTLENECK': Bottleneck}

    def __init__(self,
                 extra,
                 in_channels=3,
                 conv_cfg=None,
                 norm_cfg=dict(type='BN'),
                 norm_eval=False,
                 with_cp=False,
                 zero_init_residual=False):
        # Protect mutable default arguments
        norm_cfg = copy.deepcopy(norm_cfg)
        super().__init__()
        self._check_extra(extra)
        self.extra = extra
        self.conv_cfg = conv_cfg
        self.norm_cfg = norm_cfg
        self.norm_eval = norm_eval
        self.with_cp = with_cp
        self.zero_init_residual = zero_init_residual

        # stem net: two stride-2 3x3 convs (conv1/norm1, conv2/norm2)
        stem_in_channels = in_channels
        for i in (1, 2):
            setattr(
                self, f'conv{i}',
                build_conv_layer(
                    self.conv_cfg,
                    stem_in_channels,
                    64,
                    kernel_size=3,
                    stride=2,
                    padding=1,
                    bias=False))
            norm_name, norm = build_norm_layer(self.norm_cfg, 64, postfix=i)
            setattr(self, f'norm{i}_name', norm_name)
            self.add_module(norm_name, norm)
            stem_in_channels = 64
        self.relu = nn.ReLU(inplace=True)

        self.upsample_cfg = self.extra.get('upsample', {
            'mode': 'nearest',
            'align_corners': None
        })

        # stage 1
        self.stage1_cfg = self.extra['stage1']
        block = self.blocks_dict[self.stage1_cfg['block']]
        stage1_out_channels = (
            self.stage1_cfg['num_channels'][0] * get_expansion(block))
        self.layer1 = self._make_layer(block, 64, stage1_out_channels,
                                       self.stage1_cfg['num_blocks'][0])

        # stages 2-4: a transition from the previous branches, then HRModules
        pre_stage_channels = [stage1_out_channels]
        for idx in (2, 3, 4):
            stage_cfg = self.extra[f'stage{idx}']
            setattr(self, f'stage{idx}_cfg', stage_cfg)
            block = self.blocks_dict[stage_cfg['block']]
            num_channels = [
                channel * get_expansion(block)
                for channel in stage_cfg['num_channels']
            ]
            setattr(self, f'transition{idx - 1}',
                    self._make_transition_layer(pre_stage_channels,
                                                num_channels))
            multiscale_output = (
                stage_cfg.get('multiscale_output', False)
                if idx == 4 else True)
            stage, pre_stage_channels = self._make_stage(
                stage_cfg, num_channels, multiscale_output=multiscale_output)
            setattr(self, f'stage{idx}', stage)

    @classmethod
    def _check_extra(cls, extra):
        """Raise a clear error for a malformed ``extra`` dict."""
        if not isinstance(extra, dict):
            raise TypeError(f'HRNet: extra must be a dict, but got '
                            f'{type(extra).__name__}')
        keys = ('num_modules', 'num_branches', 'block', 'num_blocks',
                'num_channels')
        for idx in (1, 2, 3, 4):
            name = f'stage{idx}'
            if name not in extra:
                raise KeyError(f'HRNet: extra has no "{name}" config')
            missing = [k for k in keys if k not in extra[name]]
            if missing:
                raise KeyError(f'HRNet: extra["{name}"] misses {missing}')
            if extra[name]['block'] not in cls.blocks_dict:
                raise KeyError(
                    f'HRNet: extra["{name}"]["block"] must be one of '
                    f'{sorted(cls.blocks_dict)}, but got '
                    f'{extra[name]["block"]!r}')

    @property
    def norm1(self):
        """nn.Module: the normalization layer named "norm1" """
        return getattr(self, self.norm1_name)

    @property
    def norm2(self):
        """nn.Module: the normalization layer named "norm2" """
        return getattr(self, self.norm2_name)

    def _make_transition_layer(self, num_channels_pre_layer,
                               num_channels_cur_layer):
        """Make transition layer.

        Existing branches get a 3x3 conv only if their channels change; each
        new branch is made from the last old one by stride-2 3x3 convs.
        """
        num_branches_cur = len(num_channels_cur_layer)
        num_branches_pre = len(num_channels_pre_layer)

        transition_layers = []
        for i in range(num_branches_cur):
            if i < num_branches_pre:
                if num_channels_cur_layer[i] != num_channels_pre_layer[i]:
                    transition_layers.append(
                        _conv_norm(self.conv_cfg, self.norm_cfg,
                                   num_channels_pre_layer[i],
                                   num_channels_cur_layer[i], 3, 1, 1, True))
                else:
                    transition_layers.append(None)
            else:
                conv_downsamples = []
                for j in range(i + 1 - num_branches_pre):
                    in_channels = num_channels_pre_layer[-1]
                    out_channels = (
                        num_channels_cur_layer[i]
                        if j == i - num_branches_pre else in_channels)
                    conv_downsamples.append(
                        _conv_norm(self.conv_cfg, self.norm_cfg, in_channels,
                                   out_channels, 3, 2, 1, True))
                transition_layers.append(nn.Sequential(*conv_downsamples))

        return nn.ModuleList(transition_layers)

    def _make_layer(self, block, in_channels, out_channels, blocks, stride=1):
        """Make layer."""
        return _res_layer(self, block, in_channels, out_channels, blocks,
                          stride)

    def _make_stage(self, layer_config, in_channels, multiscale_output=True):
        """Make stage."""
        num_modules = layer_config['num_modules']
        num_branches = layer_config['num_branches']
        num_blocks = layer_config['num_blocks']
        num_channels = layer_config['num_channels']
        block = self.blocks_dict[layer_config['block']]

        hr_modules = []
        for i in range(num_modules):
            # multiscale_output only applies to the last module
            reset_multiscale_output = (
                multiscale_output or i != num_modules - 1)
            hr_modules.append(
                HRModule(
                    num_branches,
                    block,
                    num_blocks,
                    in_channels,
                    num_channels,
                    reset_multiscale_output,
                    with_cp=self.with_cp,
                    norm_cfg=self.norm_cfg,
                    conv_cfg=self.conv_cfg,
                    upsample_cfg=self.upsample_cfg))
            in_channels = hr_modules[-1].in_channels

        return nn.Sequential(*hr_modules), in_channels

    def init_weights(self, pretrained=None):
        """Initialize the weights in backbone.

        Args:
            pretrained (str, optional): Path to pre-trained weights.
                Defaults to None.
        """
        super().init_weights(pretrained)
        if pretrained is None and self.zero_init_residual:
            for m in self.modules():
                if isinstance(m, Bottleneck):
                    constant_init(m.norm3, 0)
                elif isinstance(m, BasicBlock):
                    constant_init(m.norm2, 0)

    def forward(self, x):
        """Forward function."""
        x = self.conv1(x)
        x = self.norm1(x)
        x = self.relu(x)
        x = self.conv2(x)
        x = self.norm2(x)
        x = self.relu(x)
        x = self.layer1(x)

        y_list = [x]
        for idx in (2, 3, 4):
            transition = getattr(self, f'transition{idx - 1}')
            num_branches = getattr(self, f'stage{idx}_cfg')['num_branches']
            x_list = []
            for i in range(num_branches):
                if transition[i] is not None:
                    # new branches grow from the lowest-resolution one
                    x_list.append(transition[i](y_list[min(i, len(y_list) -
                                                           1)]))
                else:
                    x_list.append(y_list[i])
            y_list = getattr(self, f'stage{idx}')(x_list)

        return y_list
