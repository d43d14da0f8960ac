import torch.nn as nn
from mmcv.cnn import (build_conv_layer, build_norm_layer, constant_init,
                      normal_init)

from mmpose.utils import check
from ..registry import HEADS
from .head_layers import DeconvHeadMixin, check_deconv_head_args
from .top_down_base_head import TopDownBaseHead


@HEADS.register_module()
class TopDownSimpleHead(DeconvHeadMixin, TopDownBaseHead):
    """Top-down model head of simple baseline paper ref: Bin Xiao. ``Simple
    Baselines for Human Pose Estimation and Tracking``.

    TopDownSimpleHead is consisted of (>=0) number of deconv layers
    and a simple conv2d layer.

    Args:
        in_channels (int | Sequence[int]): Number of input channels.
        out_channels (int): Number of output channels.
        num_deconv_layers (int): Number of deconv layers.
            num_deconv_layers should >= 0. Note that 0 means
            no deconv layers.
        num_deconv_filters (list|tuple): Number of filters.
            If num_deconv_layers > 0, the length of it should equal
            num_deconv_layers.
        num_deconv_kernels (list|tuple): Kernel sizes.
        extra (dict | None): Extra final layers: ``final_conv_kernel``
            (0: no final conv, 1 or 3), ``num_conv_layers`` and
            ``num_conv_kernels`` (conv-BN-ReLU layers before the final conv).
        in_index (int|Sequence[int]): Input feature index. Default: 0
        input_transform (str|None): Transformation type of input features.
            Options: 'resize_concat', 'multiple_select', None.
            'resize_concat': Multiple feature maps will be resize to the
                same size as first one and than concat together.
                Usually used in FCN head of HRNet.
            'multiple_select': Multiple feature maps will be bundle into
                a list and passed into decode head.
            None: Only one select feature map is allowed.
            Default: None.
        align_corners (bool): align_corners argument of F.interpolate.
            Default: False.
        loss_keypoint (dict): Config for keypoint loss. Default: None.
        train_cfg (dict | None): Config for training. Default: None.
        test_cfg (dict | None): Config for testing (flip_test,
            shift_heatmap, post_process, modulate_kernel, use_udp,
            target_type, ...). Default: None.
    """

    def __init__(self,
                 in_channels,
                 out_channels,
                 num_deconv_layers=3,
                 num_deconv_filters=(256, 256, 256),
                 num_deconv_kernels=(4, 4, 4),
                 extra=None,
                 in_index=0,
                 input_transform=None,
                 align_corners=False,
                 loss_keypoint=None,
                 train_cfg=None,
                 test_cfg=None):
        super().__init__()
        self._init_cfgs(loss_keypoint, train_cfg, test_cfg)
        self._init_inputs(in_channels, in_index, input_transform)
        self.align_corners = align_corners

        check_deconv_head_args(num_deconv_layers, extra)
        if num_deconv_layers > 0:
            self.deconv_layers = self._make_deconv_layer(
                num_deconv_layers,
                num_deconv_filters,
                num_deconv_kernels,
            )
        else:
            self.deconv_layers = nn.Identity()

        self.final_layer = self._make_final_layer(self.in_channels,
                                                  out_channels, extra or {})

    @staticmethod
    def _make_final_layer(conv_channels, out_channels, extra):
        """Optional conv-BN-ReLU layers, then the output conv."""
        kernel_size = extra.get('final_conv_kernel', 1)
        check(kernel_size in (0, 1, 3),
              f'extra.final_conv_kernel must be 0, 1 or 3, got {kernel_size}')
        if kernel_size == 0:
            return nn.Identity()

        layers = []
        num_conv_layers = extra.get('num_conv_layers', 0)
        num_conv_kernels = extra.get('num_conv_kernels', [1] * num_conv_layers)
        for kernel in num_conv_kernels[:num_conv_layers]:
            layers.append(
                build_conv_layer(
                    dict(type='Conv2d'),
                    in_channels=conv_channels,
                    out_channels=conv_channels,
                    kernel_size=kernel,
                    stride=1,
                    padding=(kernel - 1) // 2))
            layers.append(build_norm_layer(dict(type='BN'), conv_channels)[1])
            layers.append(nn.ReLU(inplace=True))
        layers.append(
            build_conv_layer(
                cfg=dict(type='Conv2d'),
                in_channels=conv_channels,
                out_channels=out_channels,
                kernel_size=kernel_size,
                stride=1,
                padding=(kernel_size - 1) // 2))
        # A lone conv keeps the 0.x key ``final_layer.weight``.
        return nn.Sequential(*layers) if len(layers) > 1 else layers[0]

    def forward(self, x):
        """Forward function."""
        x = self._transform_inputs(x)
        x = self.deconv_layers(x)
        x = self.final_layer(x)
        return x

    def init_weights(self):
        """Initialize model weights."""
        for m in self.deconv_layers.modules():
            if isinstance(m, nn.ConvTranspose2d):
                normal_init(m, std=0.001)
            elif isinstance(m, nn.BatchNorm2d):
                constant_init(m, 1)
        for m in self.final_layer.modules():
            if isinstance(m, nn.Conv2d):
                normal_init(m, std=0.001, bias=0)
            elif isinstance(m, nn.BatchNorm2d):
                constant_init(m, 1)
