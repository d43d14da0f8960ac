"""Megvii heatmaps (Li et al., MSPN / RSN): a blurred delta scaled to a
peak of 255, decoded with a blur, a quarter-pixel shift and pixel
centring."""
import numpy as np

from .base import BaseKeypointCodec
from .builder import CODECS
from .utils import (blur_maps, get_max_preds, modulate_heatmaps,
                    refine_quarter_offset)


@CODECS.register_module()
class MegviiHeatmap(BaseKeypointCodec):
    """Megvii heatmap codec.

    Note:
        Shapes: K keypoints, H x W heatmap.

    Args:
        image_size, heatmap_size: See :class:`BaseKeypointCodec`.
        kernel (tuple[int, int]): Gaussian kernel of the target.
            Default: (11, 11).
        blur_kernel (int): Kernel size of the decoding blur. Default: 11.
    """

    def __init__(self,
                 image_size=None,
                 heatmap_size=None,
                 kernel=(11, 11),
                 blur_kernel=11):
        super().__init__(image_size, heatmap_size)
        self.kernel = kernel
        self.blur_kernel = blur_kernel

    def encode(self, joints_3d, joints_3d_visible):
        """Encode one instance (see :meth:`BaseKeypointCodec.encode`).

        Returns:
            dict:
            - target (np.ndarray[K, H, W]): float32 heatmaps, peak 255.
            - target_weight (np.ndarray[K, 1]): float32; 0 for keypoints off
              the map.
        """
        image_size, heatmap_size = self._sizes()
        W, H = int(heatmap_size[0]), int(heatmap_size[1])
        target_weight = np.array(joints_3d_visible[:, :1], dtype=np.float32)
        labelled = target_weight[:, 0] >= 1
        peak = np.trunc(joints_3d[:, :2] * heatmap_size / image_size)
        off_map = ((peak[:, 0] >= W) | (peak[:, 0] < 0) | (peak[:, 1] >= H) |
                   (peak[:, 1] < 0))
        target_weight[labelled & off_map] = 0
        drawn = np.flatnonzero(labelled & ~off_map)
        px = peak[drawn, 0].astype(np.int64)
        py = peak[drawn, 1].astype(np.int64)

        target = np.zeros((len(joints_3d), H, W), dtype=np.float32)
        target[drawn, py, px] = 1
        target = blur_maps(target, self.kernel)
        target[drawn] /= (target[drawn, py, px] / 255)[:, None, None]
        return dict(target=target, target_weight=target_weight)

    def decode(self, heatmaps):
        """Decode heatmaps [N, K, H, W] (not modified) into heatmap-pixel
        coordinates; scores are the peak values / 255 + 0.5.

        See :meth:`BaseKeypointCodec.decode`.
        """
        heatmaps = modulate_heatmaps(heatmaps.copy(), self.blur_kernel)
        coords, maxvals = get_max_preds(heatmaps)
        coords = refine_quarter_offset(heatmaps, coords, extra_shift=0.5)
        return coords, maxvals / 255.0 + 0.5
