"""Feature resizing shared by the heads and backbones."""
import warnings

import torch
import torch.nn.functional as F


def resize(input,
           size=None,
           scale_factor=None,
           mode='nearest',
           align_corners=None,
           warning=True):
    """``F.interpolate`` that warns about poorly aligned corner sizes.

    With ``align_corners=True`` an upsampling is exact on the input grid
    only when ``out - 1`` is a multiple of ``in - 1`` (sizes ``x + 1`` and
    ``n * x + 1``); otherwise a warning says so.

    Note:
        0.14 compared the output width with the output height when deciding
        whether the output is larger; this compares it with the input width.

    Args:
        input (torch.Tensor[N, C, H, W]): Features to resize.
        size (tuple[int] | torch.Size | None): Output size (H', W').
        scale_factor (float | tuple[float] | None): Multiplier of the
            spatial size, used when ``size`` is None.
        mode (str): Interpolation mode of ``F.interpolate``.
            Default: 'nearest'.
        align_corners (bool | None): As in ``F.interpolate``.
        warning (bool): Whether to warn about misaligned sizes.
            Default: True.

    Returns:
        torch.Tensor[N, C, H', W']: The resized features.
    """
    if warning and size is not None and align_corners:
        input_h, input_w = (int(x) for x in input.shape[2:])
        output_h, output_w = (int(x) for x in size)
        if (output_h > input_h or output_w > input_w) and \
                min(output_h, output_w, input_h, input_w) > 1 and \
                (output_h - 1) % (input_h - 1) and \
                (output_w - 1) % (input_w - 1):
            warnings.warn(f'When align_corners={align_corners}, the output '
                          'would be more aligned if input size '
                          f'{(input_h, input_w)} is `x+1` and out size '
                          f'{(output_h, output_w)} is `nx+1`')
    if isinstance(size, torch.Size):
        size = tuple(int(x) for x in size)
    return F.interpolate(input, size, scale_factor, mode, align_corners)
