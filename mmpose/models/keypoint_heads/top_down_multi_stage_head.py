import copy as cp
from functools import partial

import torch.nn as nn
from mmcv.cnn import (ConvModule, DepthwiseSeparableConvModule, Linear,
                      build_activation_layer, build_norm_layer, constant_init,
                      kaiming_init, normal_init)

from mmpose.utils import check
from ..registry import HEADS
from ..utils.ops import resize
from .head_layers import DeconvHeadMixin, check_deconv_head_args
from .top_down_base_head import TopDownBaseHead
from .top_down_simple_head import TopDownSimpleHead


@HEADS.register_module()
class TopDownMultiStageHead(DeconvHeadMixin, TopDownBaseHead):
    """Heads for multi-stage pose models.

    TopDownMultiStageHead is consisted of multiple branches, each of which
    has num_deconv_layers(>=0) number of deconv layers and a simple conv2d
    layer.

    Loss, accuracy, flip inference and decoding come from
    :class:`TopDownBaseHead`: the losses are summed over the stages (a list
    of ``loss_keypoint`` configs gives one loss per stage), accuracy and
    inference use the last stage.

    Args:
        in_channels (int): Number of input channels.
        out_channels (int): Number of output channels.
        num_stages (int): Number of stages.
        num_deconv_layers (int): Number of deconv layers (>= 0) of each
            stage's branch.
        num_deconv_filters (list|tuple): Number of filters of each deconv
            layer (length num_deconv_layers).
        num_deconv_kernels (list|tuple): Kernel sizes (2, 3 or 4).
        extra (dict | None): ``final_conv_kernel`` (0: no final conv, 1 or
            3; default 1).
        loss_keypoint (dict | list[dict]): Config for keypoint loss, or one
            per stage. Default: None.
        train_cfg (dict | None): Config for training. Default: None.
        test_cfg (dict | None): Config for testing. Default: None.
    """

    def __init__(self,
                 in_channels=512,
                 out_channels=17,
                 num_stages=1,
                 num_deconv_layers=3,
                 num_deconv_filters=(256, 256, 256),
                 num_deconv_kernels=(4, 4, 4),
                 extra=None,
                 loss_keypoint=None,
                 train_cfg=None,
                 test_cfg=None):
        super().__init__()
        self._init_cfgs(loss_keypoint, train_cfg, test_cfg)
        self.num_stages = num_stages

        check_deconv_head_args(num_deconv_layers, extra)

        self.in_channels = in_channels
        self.multi_deconv_layers = nn.ModuleList()
        for _ in range(num_stages):
            # Every stage starts from the backbone's channels.
            self.in_channels = in_channels
            if num_deconv_layers > 0:
                deconv_layers = self._make_deconv_layer(
                    num_deconv_layers, num_deconv_filters, num_deconv_kernels)
            else:
                deconv_layers = nn.Identity()
            self.multi_deconv_layers.append(deconv_layers)

        # 0.x reads only final_conv_kernel here (no extra conv layers).
        final_extra = dict(
            final_conv_kernel=(extra or {}).get('final_conv_kernel', 1))
        self.multi_final_layers = nn.ModuleList([
            TopDownSimpleHead._make_final_layer(self.in_channels, out_channels,
                                                final_extra)
            for _ in range(num_stages)
        ])

    def forward(self, x):
        """Forward function.

        Args:
            x (list[torch.Tensor[N, C, H, W]]): Features of each stage (at
                least ``num_stages``; stage i reads ``x[i]``).

        Returns:
            list[torch.Tensor[N, K, H', W']]: Heatmaps of each stage.
        """
        check(
            isinstance(x, (list, tuple)) and len(x) >= self.num_stages,
            f'{type(self).__name__} expects a list of at least '
            f'num_stages={self.num_stages} stage features, got '
            f'{type(x).__name__}' +
            (f' of length {len(x)}' if isinstance(x, (list, tuple)) else ''))
        return [
            final(deconv(x_i)) for x_i, deconv, final in zip(
                x, self.multi_deconv_layers, self.multi_final_layers)
        ]

    def init_weights(self):
        """Initialize model weights."""
        for m in self.modules():
            if isinstance(m, nn.ConvTranspose2d):
                normal_init(m, std=0.001)
            elif isinstance(m, nn.Conv2d):
                normal_init(m, std=0.001, bias=0)
            elif isinstance(m, nn.BatchNorm2d):
                constant_init(m, 1)


class PRM(nn.Module):
    """Pose Refine Machine (RSN): reweights the heatmaps with a channel
    attention (global pooling -> 2 fc layers) times a spatial attention
    (1x1 conv -> depthwise-separable 9x9 conv to one channel).

    Args:
        out_channels (int): Channel number of the heatmaps (keypoints).
        norm_cfg (dict): dictionary to construct and config norm layer.
            Default: dict(type='BN')
    """

    def __init__(self, out_channels, norm_cfg=dict(type='BN')):
        super().__init__()
        norm_cfg = cp.deepcopy(norm_cfg)
        self.out_channels = out_channels
        self.global_pooling = nn.AdaptiveAvgPool2d((1, 1))
        self.middle_path = nn.Sequential(
            Linear(self.out_channels, self.out_channels),
            build_norm_layer(dict(type='BN1d'), out_channels)[1],
            build_activation_layer(dict(type='ReLU')),
            Linear(self.out_channels, self.out_channels),
            build_norm_layer(dict(type='BN1d'), out_channels)[1],
            build_activation_layer(dict(type='ReLU')),
            build_activation_layer(dict(type='Sigmoid')))

        # The PRM convs are conv-BN-ReLU, not in place (out is reused).
        conv = partial(ConvModule, norm_cfg=norm_cfg, inplace=False)
        self.bottom_path = nn.Sequential(
            conv(out_channels, out_channels, kernel_size=1),
            DepthwiseSeparableConvModule(
                out_channels,
                1,
                kernel_size=9,
                padding=4,
                norm_cfg=norm_cfg,
                inplace=False), build_activation_layer(dict(type='Sigmoid')))
        self.conv_bn_relu_prm_1 = conv(
            out_channels, out_channels, kernel_size=3, padding=1)

    def forward(self, x):
        """Forward function."""
        out = self.conv_bn_relu_prm_1(x)
        channel_att = self.middle_path(
            self.global_pooling(out).flatten(1))[:, :, None, None]
        spatial_att = self.bottom_path(out)
        return out * (1 + channel_att * spatial_att)


class PredictHeatmap(nn.Module):
    """Predict the heatmaps of one unit of a MSPN/RSN stage: two conv
    layers, bilinear resizing to ``out_shape``, then optionally a PRM.

    Args:
        unit_channels (int): Number of input channels.
        out_channels (int): Number of output channels.
        out_shape (tuple): Shape of the output heatmap.
        use_prm (bool): Whether to use pose refine machine. Default: False.
        norm_cfg (dict): dictionary to construct and config norm layer.
            Default: dict(type='BN')
    """

    def __init__(self,
                 unit_channels,
                 out_channels,
                 out_shape,
                 use_prm=False,
                 norm_cfg=dict(type='BN')):
        super().__init__()
        norm_cfg = cp.deepcopy(norm_cfg)
        self.unit_channels = unit_channels
        self.out_channels = out_channels
        self.out_shape = tuple(out_shape)
        self.use_prm = use_prm
        if use_prm:
            self.prm = PRM(out_channels, norm_cfg=norm_cfg)
        conv = partial(ConvModule, norm_cfg=norm_cfg, inplace=False)
        self.conv_layers = nn.Sequential(
            conv(unit_channels, unit_channels, kernel_size=1),
            # Heatmap logits: no activation.
            conv(
                unit_channels,
                out_channels,
                kernel_size=3,
                padding=1,
                act_cfg=None))

    def forward(self, feature):
        """Forward function."""
        feature = self.conv_layers(feature)
        # MSPN/RSN upsample their coarser units' features 2x/4x by design:
        # no misalignment warning on every forward
        output = resize(
            feature,
            size=self.out_shape,
            mode='bilinear',
            align_corners=True,
            warning=False)
        if self.use_prm:
            output = self.prm(output)
        return output


@HEADS.register_module()
class TopDownMSMUHead(TopDownBaseHead):
    """Heads for multi-stage multi-unit heads used in Multi-Stage Pose
    estimation Network (MSPN), and Residual Steps Networks (RSN).

    The head predicts one heatmap per unit of every stage, in the order
    stage 0 unit 0, stage 0 unit 1, ...; targets are given per output
    (``target`` [N, O, K, H, W], ``target_weight`` [N, O, K, 1], O =
    num_stages * num_units). Loss, accuracy (last output), flip inference
    (last output) and decoding come from :class:`TopDownBaseHead`.

    Args:
        out_shape (tuple): Shape of the output heatmap.
        unit_channels (int): Number of input channels.
        out_channels (int): Number of output channels.
        num_stages (int): Number of stages.
        num_units (int): Number of units in each stage.
        use_prm (bool): Whether to use pose refine machine (PRM).
            Default: False.
        norm_cfg (dict): dictionary to construct and config norm layer.
            Default: dict(type='BN')
        loss_keypoint (dict | list[dict]): Config for keypoint loss, or one
            per output. Default: None.
        train_cfg (dict | None): Config for training. Default: None.
        test_cfg (dict | None): Config for testing. Default: None.
    """

    def __init__(self,
                 out_shape,
                 unit_channels=256,
                 out_channels=17,
                 num_stages=4,
                 num_units=4,
                 use_prm=False,
                 norm_cfg=dict(type='BN'),
                 loss_keypoint=None,
                 train_cfg=None,
                 test_cfg=None):
        norm_cfg = cp.deepcopy(norm_cfg)
        super().__init__()
        self._init_cfgs(loss_keypoint, train_cfg, test_cfg)
        self.out_shape = out_shape
        self.unit_channels = unit_channels
        self.out_channels = out_channels
        self.num_stages = num_stages
        self.num_units = num_units

        self.predict_layers = nn.ModuleList([
            PredictHeatmap(
                unit_channels,
                out_channels,
                out_shape,
                use_prm,
                norm_cfg=norm_cfg) for _ in range(num_stages * num_units)
        ])

    def forward(self, x):
        """Forward function.

        Args:
            x (list[list[torch.Tensor[N, C, H, W]]]): Features of each unit
                of each stage (C = unit_channels).

        Returns:
            list[torch.Tensor[N, K, H', W']]: Heatmaps of all units of all
                stages, stage-major.
        """
        sequences = (list, tuple)
        check(
            isinstance(x, sequences) and len(x) == self.num_stages
            and all(
                isinstance(units, sequences) and len(units) == self.num_units
                for units in x),
            f'{type(self).__name__} expects num_stages={self.num_stages} '
            f'lists of num_units={self.num_units} features each')
        check(
            x[0][0].shape[1] == self.unit_channels,
            f'expected unit_channels={self.unit_channels} input channels, '
            f'got {x[0][0].shape[1]}')
        features = [feature for units in x for feature in units]
        return [
            predict(feature)
            for predict, feature in zip(self.predict_layers, features)
        ]

    def init_weights(self):
        """Initialize model weights."""
        for m in self.predict_layers.modules():
            if isinstance(m, nn.Conv2d):
                kaiming_init(m)
            elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                constant_init(m, 1)
            elif isinstance(m, nn.Linear):
                normal_init(m, std=0.01)
