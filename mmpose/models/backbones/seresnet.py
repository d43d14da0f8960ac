from ..registry import BACKBONES
# ResLayer and SELayer: 0.14 code imports them from this module.
from .resnet import Bottleneck, ResLayer, ResNet  # noqa: F401
from .utils import SELayer  # noqa: F401


class SEBottleneck(Bottleneck):
    """SEBottleneck block for SEResNet.

    The ResNet :class:`~mmpose.models.backbones.resnet.Bottleneck` with an
    SELayer after conv3.

    Args:
        in_channels (int): The input channels of the SEBottleneck block.
        out_channels (int): The output channel of the SEBottleneck block.
        se_ratio (int): Squeeze ratio in SELayer. Default: 16
        **kwargs: Other arguments of the ResNet Bottleneck.
    """

    def __init__(self, in_channels, out_channels, se_ratio=16, **kwargs):
        super().__init__(
            in_channels, out_channels, se_ratio=se_ratio, **kwargs)


@BACKBONES.register_module()
class SEResNet(ResNet):
    """SEResNet backbone.

    Please refer to the `paper <https://arxiv.org/abs/1709.01507>`__ for
    details.

    Args:
        depth (int): Network depth, from {50, 101, 152}.
        se_ratio (int): Squeeze ratio in SELayer. Default: 16.
        **kwargs: The other arguments of :class:`ResNet`, with its
            defaults.

    Example:
        >>> from mmpose.models import SEResNet
        >>> import torch
        >>> self = SEResNet(depth=50, out_indices=(2, 3))
        >>> self.eval()
        >>> outputs = self.forward(torch.rand(1, 3, 64, 64))
        >>> [tuple(out.shape) for out in outputs]
        [(1, 1024, 4, 4), (1, 2048, 2, 2)]
    """

    arch_settings = {
        depth: (SEBottleneck, ResNet.arch_settings[depth][1])
        for depth in (50, 101, 152)
    }

    def __init__(self, depth, se_ratio=16, **kwargs):
        self.se_ratio = se_ratio
        super().__init__(depth, **kwargs)

    def make_res_layer(self, **kwargs):
        """Make a ResLayer."""
        return super().make_res_layer(se_ratio=self.se_ratio, **kwargs)
