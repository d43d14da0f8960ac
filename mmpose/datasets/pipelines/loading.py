import os.path as osp

import cv2
import numpy as np
from mmcv.image.io import imread_flags

from mmpose.utils import check
from ..registry import PIPELINES

# OpenCV >= 4.10 decodes straight to RGB (same pixels as BGR + cvtColor).
_IMREAD_COLOR_RGB = getattr(cv2, 'IMREAD_COLOR_RGB', None)


@PIPELINES.register_module()
class LoadImageFromFile:
    """Loading image from file.

    Required key: 'image_file'. Added key: 'img'.

    Args:
        to_float32 (bool): Whether to convert the loaded image to a float32
            numpy array. If False, the image is uint8. Default: False.
        color_type (str): Flags specifying the color type of a loaded image,
            candidates are 'color', 'grayscale' and 'unchanged' (and mmcv's
            'color_ignore_orientation', 'grayscale_ignore_orientation', or a
            cv2.IMREAD_* flag, as ``mmcv.imread`` takes them).
        channel_order (str): Order of channel, candidates are 'bgr' and 'rgb'.
            As in ``mmcv.imread``, only the 'color' flag gives RGB.
    """

    def __init__(self,
                 to_float32=False,
                 color_type='color',
                 channel_order='rgb'):
        if isinstance(color_type, str) and color_type not in imread_flags:
            # mmcv.imread's flag lookup raised KeyError in 0.14
            raise KeyError(f'color_type must be one of '
                           f'{sorted(imread_flags)}, got {color_type!r}')
        check(
            channel_order in ('bgr', 'rgb'),
            f"channel_order must be 'bgr' or 'rgb', got {channel_order!r}")
        self.to_float32 = to_float32
        self.color_type = color_type
        self.channel_order = channel_order

    def __call__(self, results):
        """Loading image from file."""
        image_file = results['image_file']
        # cv2.imread directly (not mmcv.imread's bytes + imdecode route): it
        # is the cheapest decode path and this step dominates the pipeline.
        flag = imread_flags.get(self.color_type, self.color_type)
        to_rgb = flag == cv2.IMREAD_COLOR and self.channel_order == 'rgb'
        if to_rgb and _IMREAD_COLOR_RGB is not None:
            # The decoder writes RGB itself: no second pass over the image.
            flag, to_rgb = _IMREAD_COLOR_RGB, False
        img = cv2.imread(str(image_file), flag)
        if img is None:
            if not osp.isfile(image_file):
                raise FileNotFoundError(f'image file not found: {image_file}')
            # ValueError as 0.14 raised it ('Fail to read ...')
            raise ValueError(f'Fail to read {image_file}: not an image '
                             'file OpenCV can decode')
        if to_rgb:
            cv2.cvtColor(img, cv2.COLOR_BGR2RGB, img)
        if self.to_float32:
            img = img.astype(np.float32)
        results['img'] = img
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}(to_float32={self.to_float32}, '
                f"color_type='{self.color_type}', "
                f"channel_order='{self.channel_order}')")
