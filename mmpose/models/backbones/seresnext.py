from ..registry import BACKBONES
# ResLayer: 0.14 code imports it from this module.
from .resnet import ResLayer  # noqa: F401
from .resnext import GroupedResLayerMixin
from .seresnet import SEBottleneck as _SEBottleneck
from .seresnet import SEResNet


class SEBottleneck(_SEBottleneck):
    """SEBottleneck block for SEResNeXt.

    Args:
        in_channels (int): Input channels of this block.
        out_channels (int): Output channels of this block.
        base_channels (int): Middle channels of the first stage. Default: 64.
        groups (int): Groups of conv2. Default: 32.
        width_per_group (int): Width per group of conv2. Default: 4.
        se_ratio (int): Squeeze ratio in SELayer. Default: 16.
        **kwargs: Other arguments of the ResNet Bottleneck.
    """

    def __init__(self,
                 in_channels,
                 out_channels,
                 base_channels=64,
                 groups=32,
                 width_per_group=4,
                 se_ratio=16,
                 **kwargs):
        super().__init__(
            in_channels,
            out_channels,
            se_ratio=se_ratio,
            groups=groups,
            width_per_group=width_per_group,
            base_channels=base_channels,
            **kwargs)


@BACKBONES.register_module()
class SEResNeXt(GroupedResLayerMixin, SEResNet):
    """SEResNeXt backbone.

    Please refer to the `paper <https://arxiv.org/abs/1709.01507>`__ for
    details.

    Args:
        depth (int): Network depth, from {50, 101, 152}.
        groups (int): Groups of conv2 in Bottleneck. Default: 32.
        width_per_group (int): Width per group of conv2 in Bottleneck.
            Default: 4.
        se_ratio (int): Squeeze ratio in SELayer. Default: 16.
        **kwargs: The other arguments of :class:`ResNet`, with its
            defaults.
    """

    arch_settings = {
        depth: (SEBottleneck, blocks)
        for depth, (_, blocks) in SEResNet.arch_settings.items()
    }
