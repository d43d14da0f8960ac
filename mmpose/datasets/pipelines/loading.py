import os.path as osp

import cv2
import numpy as np

from ..registry import PIPELINES

_IMREAD_FLAGS = {
    'color': cv2.IMREAD_COLOR,
    'grayscale': cv2.IMREAD_GRAYSCALE,
    'unchanged': cv2.IMREAD_UNCHANGED,
}
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
            candidates are 'color', 'grayscale' and 'unchanged'.
        channel_order (str): Order of channel, candidates are 'bgr' and 'rgb'.
    """

    def __init__(self,
                 to_float32=False,
                 color_type='color',
                 channel_order='rgb'):
        if color_type not in _IMREAD_FLAGS:
            raise ValueError(f'color_type must be one of '
                             f'{sorted(_IMREAD_FLAGS)}, got {color_type!r}')
        if channel_order not in ('bgr', 'rgb'):
            raise ValueError("channel_order must be 'bgr' or 'rgb', got "
                             f'{channel_order!r}')
        self.to_float32 = to_float32
        self.color_type = color_type
        self.channel_order = channel_order

    def __call__(self, results):
        """Loading image from file."""
        image_file = results['image_file']
        # cv2.imread directly (not mmcv.imread's bytes + imdecode route): it
        # is the cheapest decode path and this step dominates the pipeline.
        to_rgb = self.color_type == 'color' and self.channel_order == 'rgb'
        flag = _IMREAD_FLAGS[self.color_type]
        if to_rgb and _IMREAD_COLOR_RGB is not None:
            # The decoder writes RGB itself: no second pass over the image.
            flag, to_rgb = _IMREAD_COLOR_RGB, False
        img = cv2.imread(str(image_file), flag)
        if img is None:
            if not osp.isfile(image_file):
                raise FileNotFoundError(f'image file not found: {image_file}')
            raise OSError(f'cannot decode image file: {image_file}')
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
