"""MSRA Gaussian heatmaps (Xiao et al., SimpleBaseline) and DARK's unbiased
variant (Zhang et al., Distribution-Aware Coordinate Representation for
Human Pose Estimation, CVPR 2020)."""
import numpy as np

from .base import BaseKeypointCodec
from .utils import (get_max_preds, modulate_heatmaps, refine_quarter_offset,
                    taylor_refine, windowed_gaussians)


class MSRAHeatmap(BaseKeypointCodec):
    """Gaussian heatmap codec.

    Encoding draws a Gaussian (peak 1) per visible keypoint: on the rounded
    keypoint inside a 3-sigma window, or (``unbiased_encoding``) on the exact
    sub-pixel location over the whole map. Decoding takes the arg-max and
    refines it with ``post_process``: None (none), 'default' (a quarter
    pixel towards the higher neighbour) or 'unbiased' (DARK: modulate with a
    Gaussian blur, then a Taylor expansion of the log-heatmap).

    Note:
        Shapes: K keypoints, H x W heatmap.

    Args:
        image_size, heatmap_size: See :class:`BaseKeypointCodec`.
        sigma (float): Gaussian sigma in heatmap pixels. Default: 2.
        unbiased_encoding (bool): Draw the Gaussian at the sub-pixel location.
        post_process (str | None): Decoding refinement, see above.
        blur_kernel (int): Modulation kernel size for 'unbiased' decoding;
            11 matches sigma=2, 17 sigma=3.
    """

    _POST_PROCESSES = (None, 'default', 'unbiased')

    def __init__(self,
                 image_size=None,
                 heatmap_size=None,
                 sigma=2,
                 unbiased_encoding=False,
                 post_process='default',
                 blur_kernel=11):
        super().__init__(image_size, heatmap_size)
        if post_process not in self._POST_PROCESSES:
            raise ValueError(f'post_process must be one of '
                             f'{self._POST_PROCESSES}, got {post_process!r}')
        self.sigma = sigma
        self.unbiased_encoding = unbiased_encoding
        self.post_process = post_process
        self.blur_kernel = blur_kernel

    def encode(self, joints_3d, joints_3d_visible):
        """Encode one instance (see :meth:`BaseKeypointCodec.encode`).

        Returns:
            tuple:
            - target (np.ndarray[K, H, W]): float32 heatmaps.
            - target_weight (np.ndarray[K, 1]): float32; 0 for invisible
              keypoints and those whose Gaussian misses the map.
        """
        image_size, heatmap_size = self._sizes()
        W, H = int(heatmap_size[0]), int(heatmap_size[1])
        sigma = self.sigma
        tmp_size = sigma * 3
        feat_stride = image_size / heatmap_size
        target_weight = np.array(joints_3d_visible[:, :1], dtype=np.float32)

        if self.unbiased_encoding:
            mu = joints_3d[:, :2] / feat_stride
            off_map = ((mu[:, 0] - tmp_size >= W) | (mu[:, 1] - tmp_size >= H)
                       | (mu[:, 0] + tmp_size + 1 < 0) |
                       (mu[:, 1] + tmp_size + 1 < 0))
            x = np.arange(W, dtype=np.float32)[None, None, :]
            y = np.arange(H, dtype=np.float32)[None, :, None]
            target = np.exp(-((x - mu[:, 0, None, None])**2 +
                              (y - mu[:, 1, None, None])**2) /
                            (2 * sigma**2)).astype(np.float32)
        else:
            # int(v + 0.5) as 0.x: truncation, i.e. rounding for v >= -0.5
            mu = np.trunc(joints_3d[:, :2] / feat_stride + 0.5)
            # Windows off the map are all zero already, so masking by the
            # visibility alone gives the maps; it is applied to the 1-D
            # profiles, not the K x H x W stack.
            target, in_bounds = windowed_gaussians(
                mu, tmp_size, sigma, (W, H), keep=target_weight[:, 0] > 0.5)
            target_weight[~in_bounds] = 0
            return target, target_weight
        target_weight[off_map] = 0
        target *= (target_weight > 0.5)[:, :, None]
        return target, target_weight

    def decode(self, heatmaps):
        """Decode heatmaps [N, K, H, W] (not modified) into heatmap-pixel
        coordinates; scores are the peak values.

        See :meth:`BaseKeypointCodec.decode`.
        """
        coords, maxvals = get_max_preds(heatmaps)
        if self.post_process == 'unbiased':
            modulated = modulate_heatmaps(heatmaps.copy(), self.blur_kernel)
            log_heatmaps = np.log(np.maximum(modulated, 1e-10))
            coords = taylor_refine(log_heatmaps, coords)
        elif self.post_process == 'default':
            coords = refine_quarter_offset(heatmaps, coords)
        return coords, maxvals
