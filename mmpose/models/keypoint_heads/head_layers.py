"""Layers shared by the keypoint heads, top-down and bottom-up alike:
selecting / fusing multi-level input features and deconv upsampling.

The functions are plain; :class:`DeconvHeadMixin` puts them on a head under
the method names 0.14's heads had (``_init_inputs``, ``_transform_inputs``,
``_make_deconv_layer``, ``_get_deconv_cfg``).
"""
import torch
import torch.nn as nn
from mmcv.cnn import build_upsample_layer

from mmpose.utils import check
from ..utils.ops import resize

_INPUT_TRANSFORMS = (None, 'resize_concat', 'multiple_select')


def input_channels(in_channels, in_index, input_transform):
    """Check the input settings and return the channels the head receives.

    Args:
        in_channels (int | Sequence[int]): Input channels (one per selected
            feature level when ``input_transform`` is set).
        in_index (int | Sequence[int]): Input feature index.
        input_transform (str | None): 'resize_concat' (resize the selected
            levels to the first one's size and concatenate them),
            'multiple_select' (pass them on as a list) or None (one level).

    Returns:
        int | Sequence[int]: The summed channels for 'resize_concat', else
        ``in_channels``.
    """
    check(
        input_transform in _INPUT_TRANSFORMS,
        'input_transform must be None, "resize_concat" or '
        f'"multiple_select", got "{input_transform}"')
    if input_transform is None:
        check(
            isinstance(in_channels, int) and isinstance(in_index, int),
            'without input_transform, in_channels and in_index must be '
            f'ints, got {in_channels!r} and {in_index!r}')
        return in_channels
    sequences = (list, tuple)
    check(
        isinstance(in_channels, sequences) and isinstance(in_index, sequences)
        and len(in_channels) == len(in_index),
        f'input_transform="{input_transform}" needs lists of equal length '
        f'for in_channels and in_index, got {in_channels!r} and '
        f'{in_index!r}')
    if input_transform == 'resize_concat':
        return sum(in_channels)
    return in_channels


def transform_inputs(inputs, in_index, input_transform, align_corners=False):
    """Select (and fuse) the input features of a head.

    Args:
        inputs (list[torch.Tensor] | torch.Tensor): Multi-level features, or
            a single feature map (used as is).
        in_index, input_transform: See :func:`input_channels`.
        align_corners (bool): ``align_corners`` of the resizing.

    Returns:
        torch.Tensor | list[torch.Tensor]: The selected features.
    """
    if not isinstance(inputs, (list, tuple)):
        return inputs
    if input_transform == 'resize_concat':
        inputs = [inputs[i] for i in in_index]
        upsampled = [
            resize(
                x,
                size=inputs[0].shape[2:],
                mode='bilinear',
                align_corners=align_corners) for x in inputs
        ]
        return torch.cat(upsampled, dim=1)
    if input_transform == 'multiple_select':
        return [inputs[i] for i in in_index]
    return inputs[in_index]


def check_deconv_head_args(num_deconv_layers, extra):
    """0.14's checks of a deconv head's ``num_deconv_layers`` and ``extra``.

    Raises:
        TypeError: If ``extra`` is neither a dict nor None (as 0.14).
        ArgumentError: If ``num_deconv_layers`` is negative.
    """
    if extra is not None and not isinstance(extra, dict):
        raise TypeError('extra should be dict or None.')
    check(num_deconv_layers >= 0,
          f'num_deconv_layers ({num_deconv_layers}) should >= 0.')


def get_deconv_cfg(deconv_kernel):
    """Padding of a stride-2 deconv giving an exact 2x upsampling.

    Args:
        deconv_kernel (int): Kernel size, 2, 3 or 4.

    Returns:
        tuple[int]: kernel size, padding and output padding.
    """
    paddings = {4: (1, 0), 3: (1, 1), 2: (0, 0)}
    check(
        deconv_kernel in paddings,
        f'Not supported num_kernels ({deconv_kernel}): expected 2, 3 or 4.')
    return (deconv_kernel, ) + paddings[deconv_kernel]


def make_deconv_layers(in_channels, num_layers, num_filters, num_kernels):
    """Deconv layers (ConvTranspose2d stride 2 + BN + ReLU each).

    Args:
        in_channels (int): Input channels.
        num_layers (int): Number of deconv layers.
        num_filters (Sequence[int]): Output channels of each layer.
        num_kernels (Sequence[int]): Kernel size of each layer (2, 3, 4).

    Returns:
        nn.Sequential: The layers (0.14's indices: 3 modules per layer).
    """
    check(
        num_layers == len(num_filters), f'num_layers({num_layers}) '
        f'!= length of num_filters({len(num_filters)})')
    check(
        num_layers == len(num_kernels), f'num_layers({num_layers}) '
        f'!= length of num_kernels({len(num_kernels)})')
    layers = []
    for planes, kernel_size in zip(num_filters, num_kernels):
        kernel, padding, output_padding = get_deconv_cfg(kernel_size)
        deconv = build_upsample_layer(
            dict(type='deconv'),
            in_channels=in_channels,
            out_channels=planes,
            kernel_size=kernel,
            stride=2,
            padding=padding,
            output_padding=output_padding,
            bias=False)
        layers += [deconv, nn.BatchNorm2d(planes), nn.ReLU(inplace=True)]
        in_channels = planes
    return nn.Sequential(*layers)


class DeconvHeadMixin:
    """0.14's head methods for input selection and deconv layers.

    A head mixing this in calls ``_init_inputs`` before building layers
    (it sets ``in_channels``, ``in_index``, ``input_transform``) and sets
    ``align_corners`` before its first forward.
    """

    def _init_inputs(self, in_channels, in_index, input_transform):
        """Check and store the input settings (see
        :func:`input_channels`)."""
        self.in_channels = input_channels(in_channels, in_index,
                                          input_transform)
        self.in_index = in_index
        self.input_transform = input_transform

    def _transform_inputs(self, inputs):
        """Select the input features (see :func:`transform_inputs`)."""
        return transform_inputs(inputs, self.in_index, self.input_transform,
                                self.align_corners)

    def _make_deconv_layer(self, num_layers, num_filters, num_kernels):
        """Deconv layers from ``self.in_channels``, which is left at the
        last number of filters, as 0.14 did (see
        :func:`make_deconv_layers`)."""
        layers = make_deconv_layers(self.in_channels, num_layers, num_filters,
                                    num_kernels)
        if num_layers > 0:
            self.in_channels = num_filters[num_layers - 1]
        return layers

    _get_deconv_cfg = staticmethod(get_deconv_cfg)
