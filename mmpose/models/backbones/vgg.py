import torch.nn as nn
from mmcv.cnn import ConvModule, constant_init, kaiming_init, normal_init
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.utils import check
from ..registry import BACKBONES
from .base_mobile import MobileBackbone


def make_vgg_layer(in_channels,
                   out_channels,
                   num_blocks,
                   conv_cfg=None,
                   norm_cfg=None,
                   act_cfg=dict(type='ReLU'),
                   dilation=1,
                   with_norm=False,
                   ceil_mode=False):
    """A VGG stage: ``num_blocks`` 3x3 convs (with bias) then a max pool.

    ``with_norm`` is kept for the 0.x signature; whether a norm layer is
    built follows ``norm_cfg``.
    """
    layers = []
    for _ in range(num_blocks):
        layer = ConvModule(
            in_channels=in_channels,
            out_channels=out_channels,
            kernel_size=3,
            dilation=dilation,
            padding=dilation,
            bias=True,
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        layers.append(layer)
        in_channels = out_channels
    layers.append(nn.MaxPool2d(kernel_size=2, stride=2, ceil_mode=ceil_mode))

    return layers


@BACKBONES.register_module()
class VGG(MobileBackbone):
    """VGG backbone.

    Args:
        depth (int): Depth of vgg, from {11, 13, 16, 19}.
        with_norm (bool): Use BatchNorm or not.
        num_classes (int): number of classes for classification.
        num_stages (int): VGG stages, normally 5.
        dilations (Sequence[int]): Dilation of each stage.
        out_indices (Sequence[int]): Output from which stages. If only one
            stage is specified, a single tensor (feature map) is returned,
            otherwise multiple stages are specified, a tuple of tensors will
            be returned. When it is None, the default behavior depends on
            whether num_classes is specified. If num_classes <= 0, the default
            value is (4, ), outputing the last feature map before classifier.
            If num_classes > 0, the default value is (5, ), outputing the
            classification score. Default: None.
        frozen_stages (int): Stages to be frozen (all param fixed). -1 means
            not freezing any parameters.
        norm_eval (bool): Whether to set norm layers to eval mode, namely,
            freeze running stats (mean and var). Note: Effect on Batch Norm
            and its variants only. Default: False.
        ceil_mode (bool): Whether to use ceil_mode of MaxPool. Default: False.
        with_last_pool (bool): Whether to keep the last pooling before
            classifier. Default: True.

    Example:
        >>> from mmpose.models import VGG
        >>> import torch
        >>> self = VGG(depth=11, out_indices=(0, 4))
        >>> self.eval()
        >>> inputs = torch.rand(1, 3, 64, 64)
        >>> for out in self.forward(inputs):
        ...     print(tuple(out.shape))
        (1, 64, 32, 32)
        (1, 512, 2, 2)
    """

    # Parameters to build layers. Each element specifies the number of conv in
    # each stage. For example, VGG11 contains 11 layers with learnable
    # parameters. 11 is computed as 11 = (1 + 1 + 2 + 2 + 2) + 3,
    # where 3 indicates the last three fully-connected layers.
    arch_settings = {
        11: (1, 1, 2, 2, 2),
        13: (2, 2, 2, 2, 2),
        16: (2, 2, 3, 3, 3),
        19: (2, 2, 4, 4, 4)
    }

    def __init__(self,
                 depth,
                 num_classes=-1,
                 num_stages=5,
                 dilations=(1, 1, 1, 1, 1),
                 out_indices=None,
                 frozen_stages=-1,
                 conv_cfg=None,
                 norm_cfg=None,
                 act_cfg=dict(type='ReLU'),
                 norm_eval=False,
                 ceil_mode=False,
                 with_last_pool=True):
        if depth not in self.arch_settings:
            raise KeyError(f'VGG: invalid depth {depth}, supported depths '
                           f'are {sorted(self.arch_settings)}')
        check(1 <= num_stages <= 5,
              f'VGG: num_stages must be in [1, 5], got {num_stages}')
        check(
            len(dilations) == num_stages,
            f'VGG: dilations needs one value per stage ({num_stages}), got '
            f'{tuple(dilations)}')
        if out_indices is None:
            out_indices = (5, ) if num_classes > 0 else (4, )
        # Index ``num_stages`` is the classifier output.
        super().__init__(
            out_indices,
            frozen_stages,
            num_stages + 1,
            conv_cfg,
            norm_cfg,
            act_cfg,
            norm_eval,
            num_frozen=num_stages + 1)
        self.stage_blocks = self.arch_settings[depth][:num_stages]
        self.num_classes = num_classes
        with_norm = norm_cfg is not None

        self.in_channels = 3
        start_idx = 0
        vgg_layers = []
        # [start, end) of each stage in ``self.features``.
        self.range_sub_modules = []
        for i, num_blocks in enumerate(self.stage_blocks):
            num_modules = num_blocks + 1
            end_idx = start_idx + num_modules
            dilation = dilations[i]
            out_channels = 64 * 2**i if i < 4 else 512
            vgg_layer = make_vgg_layer(
                self.in_channels,
                out_channels,
                num_blocks,
                conv_cfg=conv_cfg,
                norm_cfg=norm_cfg,
                act_cfg=act_cfg,
                dilation=dilation,
                with_norm=with_norm,
                ceil_mode=ceil_mode)
            vgg_layers.extend(vgg_layer)
            self.in_channels = out_channels
            self.range_sub_modules.append([start_idx, end_idx])
            start_idx = end_idx
        if not with_last_pool:
            vgg_layers.pop(-1)
            self.range_sub_modules[-1][1] -= 1
        self.module_name = 'features'
        self.add_module(self.module_name, nn.Sequential(*vgg_layers))

        if self.num_classes > 0:
            self.classifier = nn.Sequential(
                nn.Linear(512 * 7 * 7, 4096),
                nn.ReLU(True),
                nn.Dropout(),
                nn.Linear(4096, 4096),
                nn.ReLU(True),
                nn.Dropout(),
                nn.Linear(4096, num_classes),
            )

    def _default_init(self):
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                kaiming_init(m)
            elif isinstance(m, _BatchNorm):
                constant_init(m, 1)
            elif isinstance(m, nn.Linear):
                normal_init(m, std=0.01)

    def forward(self, x):
        """Forward function.

        Args:
            x (torch.Tensor[N, 3, H, W]): Input images.

        Returns:
            torch.Tensor | tuple[torch.Tensor]: The selected stage outputs
                (and the class scores when ``num_classes > 0``).
        """
        outs = []
        vgg_layers = getattr(self, self.module_name)
        for i in range(len(self.stage_blocks)):
            for j in range(*self.range_sub_modules[i]):
                x = vgg_layers[j](x)
            if i in self.out_indices:
                outs.append(x)
        if self.num_classes > 0:
            x = x.view(x.size(0), -1)
            x = self.classifier(x)
            outs.append(x)
        if len(outs) == 1:
            return outs[0]
        return tuple(outs)

    def _frozen_modules(self):
        vgg_layers = getattr(self, self.module_name)
        return [
            vgg_layers[j] for i in range(self.frozen_stages)
            for j in range(*self.range_sub_modules[i])
        ]
