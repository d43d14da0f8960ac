import copy

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule

from mmpose.utils import check
from ..registry import BACKBONES
from .base_backbone import BaseBackbone
from .utils.weight_init import NormalInitMixin


class CpmBlock(nn.Module):
    """CpmBlock for Convolutional Pose Machine.

    Args:
        in_channels (int): Input channels of this block.
        channels (Sequence[int]): Output channels of each conv module.
        kernels (Sequence[int]): Kernel sizes of each conv module.
        norm_cfg (dict): Config of the norm layers. Default: None.
    """

    def __init__(self,
                 in_channels,
                 channels=(128, 128, 128),
                 kernels=(11, 11, 11),
                 norm_cfg=None):
        super().__init__()
        check(
            len(channels) == len(kernels),
            f'CpmBlock: channels ({len(channels)} items) and kernels '
            f'({len(kernels)} items) must have the same length')
        layers = []
        for i, (channel, kernel) in enumerate(zip(channels, kernels)):
            input_channels = in_channels if i == 0 else channels[i - 1]
            layers.append(
                ConvModule(
                    input_channels,
                    channel,
                    kernel,
                    padding=(kernel - 1) // 2,
                    norm_cfg=norm_cfg))
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        """Model forward function."""
        return self.model(x)


@BACKBONES.register_module()
class CPM(NormalInitMixin, BaseBackbone):
    """CPM backbone.

    Convolutional Pose Machines.
    More details can be found in the `paper
    <https://arxiv.org/abs/1602.00134>`__ .

    Note:
        Every stage outputs ``out_channels`` heatmaps at 1/8 of the input
        resolution; stage ``s > 1`` refines the heatmaps of stage ``s - 1``
        with image features from a shared ``middle`` net.

    Args:
        in_channels (int): The input channels of the CPM.
        out_channels (int): The output channels of the CPM.
        feat_channels (int): Feature channel of each CPM stage.
        middle_channels (int): Feature channel of conv after the middle stage.
        num_stages (int): Number of stages.
        norm_cfg (dict): Dictionary to construct and config norm layer.

    Example:
        >>> from mmpose.models import CPM
        >>> import torch
        >>> self = CPM(3, 17)
        >>> self.eval()
        >>> inputs = torch.rand(1, 3, 368, 368)
        >>> level_outputs = self.forward(inputs)
        >>> for level_output in level_outputs:
        ...     print(tuple(level_output.shape))
        (1, 17, 46, 46)
        (1, 17, 46, 46)
        (1, 17, 46, 46)
        (1, 17, 46, 46)
        (1, 17, 46, 46)
        (1, 17, 46, 46)
    """

    def __init__(self,
                 in_channels,
                 out_channels,
                 feat_channels=128,
                 middle_channels=32,
                 num_stages=6,
                 norm_cfg=dict(type='BN', requires_grad=True)):
        # Protect mutable default arguments
        norm_cfg = copy.deepcopy(norm_cfg)
        super().__init__()

        check(in_channels == 3,
              f'CPM: in_channels must be 3, but got {in_channels}')
        check(num_stages >= 1,
              f'CPM: num_stages must be >= 1, but got {num_stages}')
        self.num_stages = num_stages

        def conv(in_c, out_c, kernel, act=True):
            return ConvModule(
                in_c,
                out_c,
                kernel,
                padding=(kernel - 1) // 2,
                norm_cfg=norm_cfg if act else None,
                act_cfg=dict(type='ReLU') if act else None)

        def pool():
            return nn.MaxPool2d(kernel_size=3, stride=2, padding=1)

        # three conv + pool steps reduce the input to 1/8; shared by the
        # stem and the image-feature net of the later stages
        def downsample_net():
            return [
                conv(in_channels, 128, 9),
                pool(),
                conv(128, 128, 9),
                pool(),
                conv(128, 128, 9),
                pool()
            ]

        self.stem = nn.Sequential(*downsample_net(), conv(128, 32, 5),
                                  conv(32, 512, 9), conv(512, 512, 1),
                                  conv(512, out_channels, 1, act=False))

        self.middle = nn.Sequential(*downsample_net())

        self.cpm_stages = nn.ModuleList([
            CpmBlock(
                middle_channels + out_channels,
                channels=[feat_channels, feat_channels, feat_channels],
                kernels=[11, 11, 11],
                norm_cfg=norm_cfg) for _ in range(num_stages - 1)
        ])

        self.middle_conv = nn.ModuleList([
            nn.Sequential(conv(128, middle_channels, 5))
            for _ in range(num_stages - 1)
        ])

        self.out_convs = nn.ModuleList([
            nn.Sequential(
                conv(feat_channels, feat_channels, 1),
                conv(feat_channels, out_channels, 1, act=False))
            for _ in range(num_stages - 1)
        ])

    def forward(self, x):
        """Model forward function.

        Args:
            x (torch.Tensor[N, 3, H, W]): Input images.

        Returns:
            list[torch.Tensor[N, K, H/8, W/8]]: Heatmaps of every stage, K
            being ``out_channels``.
        """
        stage1_out = self.stem(x)
        middle_out = self.middle(x)
        out_feats = [stage1_out]

        for ind in range(self.num_stages - 1):
            inp_feat = torch.cat(
                [out_feats[-1], self.middle_conv[ind](middle_out)], 1)
            cpm_feat = self.cpm_stages[ind](inp_feat)
            out_feats.append(self.out_convs[ind](cpm_feat))

        return out_feats
