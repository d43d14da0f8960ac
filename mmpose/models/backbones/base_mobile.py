import copy

import torch.nn as nn
import torch.utils.checkpoint as cp
from mmcv.cnn import ConvModule, constant_init, kaiming_init, normal_init
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.utils import check
from .base_backbone import BaseBackbone
from .utils.weight_init import init_conv_norm

# Docs of the arguments the light-weight backbones and their blocks share,
# written once and filled into their docstrings by :func:`fill_arg_docs`.
_ARG_DOCS = {
    'frozen_stages':
    """frozen_stages (int): Stages to be frozen (all param fixed).
    Default: -1, which means not freezing any parameters.""",
    'conv_cfg':
    """conv_cfg (dict): Config dict for convolution layer.
    Default: None, which means using conv2d.""",
    'norm_cfg':
    """norm_cfg (dict): Config dict for normalization layer.
    Default: dict(type='BN').""",
    'act_cfg_relu':
    """act_cfg (dict): Config dict for activation layer.
    Default: dict(type='ReLU').""",
    'act_cfg_relu6':
    """act_cfg (dict): Config dict for activation layer.
    Default: dict(type='ReLU6').""",
    'norm_eval':
    """norm_eval (bool): Whether to set norm layers to eval mode,
    namely, freeze running stats (mean and var). Note: Effect on Batch Norm
    and its variants only. Default: False.""",
    'with_cp':
    """with_cp (bool): Use checkpoint or not. Using checkpoint will
    save some memory while slowing down the training speed. Default: False.""",
}
# Filled in at the indentation of an ``Args:`` entry of a class docstring.
ARG_DOCS = {
    name: doc.replace('\n', '\n' + ' ' * 8)
    for name, doc in _ARG_DOCS.items()
}


def fill_arg_docs(obj):
    """Class decorator filling ``%(name)s`` in the docstring from ARG_DOCS."""
    if obj.__doc__:
        obj.__doc__ = obj.__doc__ % ARG_DOCS
    return obj


def checkpointed(inner_forward, x, with_cp):
    """Run ``inner_forward(x)``, through activation checkpointing if asked.

    Checkpointing only pays off (and only works) when gradients flow, so it is
    skipped for inputs that do not require grad.
    """
    if with_cp and x.requires_grad:
        return cp.checkpoint(inner_forward, x, use_reentrant=False)
    return inner_forward(x)


class CheckpointBlock(nn.Module):
    """A block whose ``_inner_forward`` runs checkpointed if ``with_cp``."""

    def forward(self, x):
        """Forward function."""
        return checkpointed(self._inner_forward, x, self.with_cp)


def check_stage_args(name,
                     out_indices,
                     frozen_stages,
                     num_stages,
                     num_frozen=None,
                     allow_negative=False):
    """Validate ``out_indices`` and ``frozen_stages`` of a staged backbone.

    Args:
        name (str): Backbone name, used in the error messages.
        out_indices (Sequence[int]): Output stage indices.
        frozen_stages (int): Number of frozen stages, -1 for none.
        num_stages (int): Number of stages ``out_indices`` may pick from.
        num_frozen (int, optional): ``frozen_stages`` must be in
            ``range(-1, num_frozen)``. Default: None, meaning ``num_stages``.
        allow_negative (bool): Whether ``out_indices`` may count from the end.
            Default: False.
    """
    if num_frozen is None:
        num_frozen = num_stages
    low = -num_stages if allow_negative else 0
    for index in out_indices:
        check(
            index in range(low, num_stages),
            f'{name}: the item in out_indices must be in range({low}, '
            f'{num_stages}). But received {index}')
    check(
        frozen_stages in range(-1, num_frozen),
        f'{name}: frozen_stages must be in range(-1, {num_frozen}). But '
        f'received {frozen_stages}')


def init_shufflenet_weights(model):
    """ShuffleNet initialisation: conv std 1/fan_in (0.01 for the stem)."""
    for name, m in model.named_modules():
        if isinstance(m, nn.Conv2d):
            std = 0.01 if 'conv1' in name else 1.0 / m.weight.shape[1]
            normal_init(m, mean=0, std=std)
        elif isinstance(m, (_BatchNorm, nn.GroupNorm)):
            constant_init(m, val=1, bias=0.0001)
            if isinstance(m, _BatchNorm) and m.running_mean is not None:
                nn.init.constant_(m.running_mean, 0)


class MobileBackbone(BaseBackbone):
    """Base of the staged backbones: MobileNetV2/V3, ShuffleNetV1/V2 and VGG.

    The light-weight ones share one layout: a ``conv1`` stem (optionally
    followed by ``maxpool``), then a sequence of stages ``self.layers``
    (attribute names or modules). ``frozen_stages`` freezes the stem and
    the first ``frozen_stages`` stages; ``out_indices`` picks the stage
    outputs.

    Subclasses build ``conv1`` and ``layers`` and may override
    :meth:`_default_init` (VGG also replaces the layout: forward and
    frozen modules).

    Args:
        out_indices (Sequence[int]): Output from which stages.
        frozen_stages (int): Stages to be frozen (all param fixed), -1 for
            none.
        num_stages (int): Number of stages ``out_indices`` picks from.
        conv_cfg (dict): Config dict for convolution layer. Default: None.
        norm_cfg (dict): Config dict for normalization layer.
            Default: dict(type='BN').
        act_cfg (dict): Config dict for activation layer. Default: None.
        norm_eval (bool): Whether to keep norm layers in eval mode during
            training. Default: False.
        with_cp (bool): Use checkpoint or not. Default: False.
        num_frozen (int, optional): ``frozen_stages`` must be less than this.
            Default: None, meaning ``num_stages``.
        allow_negative (bool): Whether ``out_indices`` may count from the
            end. Default: False.
    """

    def __init__(self,
                 out_indices,
                 frozen_stages,
                 num_stages,
                 conv_cfg=None,
                 norm_cfg=dict(type='BN'),
                 act_cfg=None,
                 norm_eval=False,
                 with_cp=False,
                 num_frozen=None,
                 allow_negative=False):
        super().__init__()
        check_stage_args(
            type(self).__name__, out_indices, frozen_stages, num_stages,
            num_frozen, allow_negative)
        self.out_indices = out_indices
        self.frozen_stages = frozen_stages
        self.conv_cfg = conv_cfg
        # Deep copies: the builders below may modify their configs.
        self.norm_cfg = copy.deepcopy(norm_cfg)
        self.act_cfg = copy.deepcopy(act_cfg)
        self.norm_eval = norm_eval
        self.with_cp = with_cp

    def conv_module(self, in_channels, out_channels, kernel_size, **kwargs):
        """A ``ConvModule`` with this backbone's conv/norm (and act) cfgs."""
        kwargs.setdefault('act_cfg', self.act_cfg)
        return ConvModule(
            in_channels,
            out_channels,
            kernel_size,
            conv_cfg=self.conv_cfg,
            norm_cfg=self.norm_cfg,
            **kwargs)

    def _stages(self):
        return [
            getattr(self, layer) if isinstance(layer, str) else layer
            for layer in self.layers
        ]

    def _frozen_modules(self):
        if self.frozen_stages < 0:
            return []
        return [self.conv1] + self._stages()[:self.frozen_stages]

    def _stem(self, x):
        x = self.conv1(x)
        if hasattr(self, 'maxpool'):
            x = self.maxpool(x)
        return x

    def forward(self, x):
        """Forward function.

        Args:
            x (torch.Tensor[N, C, H, W]): Input images.

        Returns:
            torch.Tensor | tuple[torch.Tensor]: The output of the single stage
                in ``out_indices``, or a tuple of them for several stages.
        """
        x = self._stem(x)
        stages = self._stages()
        outs = []
        for i, layer in enumerate(stages):
            x = layer(x)
            if i in self.out_indices or i - len(stages) in self.out_indices:
                outs.append(x)
        if len(outs) == 1:
            return outs[0]
        return tuple(outs)

    def _default_init(self):
        init_conv_norm(self.modules(), kaiming_init)
