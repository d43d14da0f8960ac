from ..registry import BACKBONES
from .resnet import Bottleneck as _Bottleneck
# ResLayer: 0.14 code imports it from this module.
from .resnet import ResLayer, ResNet  # noqa: F401


class Bottleneck(_Bottleneck):
    """Bottleneck block for ResNeXt.

    The ResNet :class:`~mmpose.models.backbones.resnet.Bottleneck` with
    grouped conv2 by default: conv2 has
    ``groups * width_per_group * mid_channels // base_channels`` channels.

    Args:
        in_channels (int): Input channels of this block.
        out_channels (int): Output channels of this block.
        base_channels (int): Middle channels of the first stage. Default: 64.
        groups (int): Groups of conv2. Default: 32.
        width_per_group (int): Width per group of conv2. Default: 4.
        **kwargs: Other arguments of the ResNet Bottleneck (expansion,
            stride, dilation, downsample, style, with_cp, conv_cfg, norm_cfg,
            se_ratio).
    """

    def __init__(self,
                 in_channels,
                 out_channels,
                 base_channels=64,
                 groups=32,
                 width_per_group=4,
                 **kwargs):
        super().__init__(
            in_channels,
            out_channels,
            groups=groups,
            width_per_group=width_per_group,
            base_channels=base_channels,
            **kwargs)


class GroupedResLayerMixin:
    """Passes ``groups``/``width_per_group``/``base_channels`` to the blocks.

    Used by ResNeXt, SEResNeXt and ResNeSt (with its own defaults).
    """

    def __init__(self, depth, groups=32, width_per_group=4, **kwargs):
        self.groups = groups
        self.width_per_group = width_per_group
        super().__init__(depth=depth, **kwargs)

    def make_res_layer(self, **kwargs):
        """Make a ResLayer."""
        return super().make_res_layer(
            groups=self.groups,
            width_per_group=self.width_per_group,
            base_channels=self.base_channels,
            **kwargs)


@BACKBONES.register_module()
class ResNeXt(GroupedResLayerMixin, ResNet):
    """ResNeXt backbone.

    Please refer to the `paper <https://arxiv.org/abs/1611.05431>`__ for
    details.

    Args:
        depth (int): Network depth, from {50, 101, 152}.
        groups (int): Groups of conv2 in Bottleneck. Default: 32.
        width_per_group (int): Width per group of conv2 in Bottleneck.
            Default: 4.
        **kwargs: The other arguments of :class:`ResNet`, with its
            defaults.
    """

    arch_settings = {
        depth: (Bottleneck, ResNet.arch_settings[depth][1])
        for depth in (50, 101, 152)
    }
