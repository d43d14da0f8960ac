"""mmpose.models.utils.ops.resize: F.interpolate plus a warning about
misaligned corner-aligned sizes."""
import warnings

import pytest
import torch
import torch.nn.functional as F

from mmpose.models.utils.ops import resize


def _warned(x, size, align_corners=True):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        resize(x, size=size, mode='bilinear', align_corners=align_corners)
    return any('align_corners' in str(w.message) for w in caught)


def test_resize_equals_interpolate():
    x = torch.randn(2, 3, 4, 5)
    torch.testing.assert_close(
        resize(x, size=torch.Size([8, 10]), mode='bilinear',
               align_corners=False),
        F.interpolate(x, (8, 10), mode='bilinear', align_corners=False))
    torch.testing.assert_close(
        resize(x, scale_factor=2), F.interpolate(x, scale_factor=2))


@pytest.mark.parametrize('in_hw,out_hw,warn', [
    ((4, 4), (8, 8), True),  # 7 % 3 and 7 % 3
    ((3, 3), (5, 5), False),  # 2x + 1: aligned
    ((4, 4), (7, 8), False),  # the height is aligned
    # output height smaller, width larger and both misaligned: 0.14
    # compared the width with the output height and did not warn
    ((10, 3), (8, 6), True),
])
def test_resize_warning(in_hw, out_hw, warn):
    x = torch.randn(1, 1, *in_hw)
    assert _warned(x, out_hw) is warn
    assert _warned(x, out_hw, align_corners=False) is False
