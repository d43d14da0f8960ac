from functools import partial

import torch.nn as nn
from mmcv.cnn import constant_init, normal_init
from torch.nn.modules.batchnorm import _BatchNorm

NORM_TYPES = (_BatchNorm, nn.GroupNorm)


def init_conv_norm(modules, conv_init, conv_types=(nn.Conv2d, ),
                   norm_types=NORM_TYPES):
    """The default init of backbones: ``conv_init`` on each conv layer,
    weight 1 and bias 0 on each norm layer.

    Args:
        modules (Iterable[nn.Module]): The modules to initialise (e.g.
            ``backbone.modules()``).
        conv_init (callable): Called with each conv layer.
        conv_types (tuple[type]): What counts as a conv layer.
            Default: (nn.Conv2d, ).
        norm_types (tuple[type]): What counts as a norm layer.
            Default: batch and group norm.
    """
    for m in modules:
        if isinstance(m, conv_types):
            conv_init(m)
        elif isinstance(m, norm_types):
            constant_init(m, 1)


class NormalInitMixin:
    """Default init of the pose backbones trained from scratch (HRNet, CPM,
    Hourglass): conv weights ~ N(0, ``conv_init_std``), norm layers 1/0.

    Put it before ``BaseBackbone`` in the bases, whose ``init_weights`` loads
    a string ``pretrained`` and otherwise calls ``_default_init``.
    """

    conv_init_std = 0.001

    def _default_init(self):
        init_conv_norm(self.modules(),
                       partial(normal_init, std=self.conv_init_std))
