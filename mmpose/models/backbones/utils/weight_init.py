import torch.nn as nn
from mmcv.cnn import constant_init, normal_init
from torch.nn.modules.batchnorm import _BatchNorm


class NormalInitMixin:
    """Default init of the pose backbones trained from scratch (HRNet, CPM,
    Hourglass): conv weights ~ N(0, ``conv_init_std``), norm layers 1/0.

    Put it before ``BaseBackbone`` in the bases; a string ``pretrained`` is
    loaded by ``BaseBackbone.init_weights``.
    """

    conv_init_std = 0.001

    def init_weights(self, pretrained=None):
        """Initialize the weights in backbone.

        Args:
            pretrained (str, optional): Path to pre-trained weights.
                Defaults to None.
        """
        super().init_weights(pretrained)
        if pretrained is None:
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    normal_init(m, std=self.conv_init_std)
                elif isinstance(m, (_BatchNorm, nn.GroupNorm)):
                    constant_init(m, 1)
