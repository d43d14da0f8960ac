"""MSRA Gaussian heatmaps (Xiao et al., SimpleBaseline) and DARK's unbiased
variant (Zhang et al., Distribution-Aware Coordinate Representation for
Human Pose Estimation, CVPR 2020)."""
import numpy as np

from .base import BaseKeypointCodec, check_option
from .builder import CODECS
from .utils import (get_max_preds, modulate_heatmaps, paste_windows,
                    refine_quarter_offset, taylor_refine, trunc_finite)


@CODECS.register_module()
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
        check_option('post_process', post_process, self._POST_PROCESSES)
        self.sigma = sigma
        self.unbiased_encoding = unbiased_encoding
        self.post_process = post_process
        self.blur_kernel = blur_kernel

    def encode(self, joints_3d, joints_3d_visible):
        """Encode one instance (see :meth:`BaseKeypointCodec.encode`).

        Returns:
            dict:
            - target (np.ndarray[K, H, W]): float32 heatmaps.
            - target_weight (np.ndarray[K, 1]): float32; 0 for invisible
              keypoints and those whose Gaussian misses the map.
        """
        if self.unbiased_encoding:
            target, target_weight = self._encode_sub_pixel(
                joints_3d, joints_3d_visible)
        else:
            target, target_weight = self._encode_windows(
                joints_3d, joints_3d_visible)
        return dict(target=target, target_weight=target_weight)

    def _encode_sub_pixel(self, joints_3d, joints_3d_visible):
        """DARK's unbiased encoding: the Gaussian on the exact sub-pixel
        location, over the whole map."""
        image_size, heatmap_size = self._sizes()
        W, H = int(heatmap_size[0]), int(heatmap_size[1])
        sigma = self.sigma
        tmp_size = sigma * 3
        feat_stride = image_size / heatmap_size
        target_weight = np.array(joints_3d_visible[:, :1], dtype=np.float32)
        mu = joints_3d[:, :2] / feat_stride
        off_map = ((mu[:, 0] - tmp_size >= W) | (mu[:, 1] - tmp_size >= H)
                   | (mu[:, 0] + tmp_size + 1 < 0) |
                   (mu[:, 1] + tmp_size + 1 < 0))
        x = np.arange(W, dtype=np.float32)[None, None, :]
        y = np.arange(H, dtype=np.float32)[None, :, None]
        target = np.exp(-((x - mu[:, 0, None, None])**2 +
                          (y - mu[:, 1, None, None])**2) /
                        (2 * sigma**2)).astype(np.float32)
        target_weight[off_map] = 0
        target *= (target_weight > 0.5)[:, :, None]
        return target, target_weight

    def _encode_windows(self, joints_3d, joints_3d_visible):
        """The default encoding: 0.x's 3-sigma window on the rounded
        keypoint.

        Per keypoint on Python floats (one sample's few keypoints: cheaper
        than array calls), with the float64 operations of 0.x.
        """
        if self.image_size is None or self.heatmap_size is None:
            self._sizes()  # raises the error naming the missing size
        image_size, heatmap_size = self.image_size, self.heatmap_size
        W, H = int(heatmap_size[0]), int(heatmap_size[1])
        stride_x = float(image_size[0]) / float(heatmap_size[0])
        stride_y = float(image_size[1]) / float(heatmap_size[1])
        # float32 first: the weights are float32, and compared as such
        visible = np.asarray(
            joints_3d_visible, dtype=np.float32)[:, 0].tolist()
        joints = np.asarray(joints_3d).tolist()
        # int(v + 0.5) as 0.x: truncation, i.e. rounding for v >= -0.5
        try:
            centers = [(int(joint[0] / stride_x + 0.5),
                        int(joint[1] / stride_y + 0.5)) for joint in joints]
        except (ValueError, OverflowError):  # NaN or infinite keypoints
            centers = [(trunc_finite(joint[0] / stride_x + 0.5),
                        trunc_finite(joint[1] / stride_y + 0.5))
                       for joint in joints]
        target, in_bounds = paste_windows(centers, self.sigma * 3, self.sigma,
                                          (W, H), [v > 0.5 for v in visible])
        target_weight = np.array(
            [v if inside else 0. for v, inside in zip(visible, in_bounds)],
            dtype=np.float32).reshape(-1, 1)
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
