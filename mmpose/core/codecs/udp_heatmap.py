"""Unbiased Data Processing (UDP) targets: Gaussian heatmaps and the
CombinedTarget of heatmap plus x/y offset maps.

Paper ref: Huang et al. The Devil is in the Details: Delving into Unbiased
Data Processing for Human Pose Estimation (CVPR 2020).
"""
import numpy as np

from mmpose.utils import check
from ..post_processing.post_transforms import flip_back
from .base import BaseKeypointCodec, check_option
from .builder import CODECS
from .utils import blur_maps, get_max_preds, windowed_gaussians


def post_dark_udp(coords, batch_heatmaps, kernel=3):
    """DARK post-pocessing. Implemented by udp.

    Paper ref: Huang et al. The Devil is in the Details: Delving into
    Unbiased Data Processing for Human Pose Estimation (CVPR 2020).
    Zhang et al. Distribution-Aware Coordinate Representation for Human Pose
    Estimation (CVPR 2020).

    Note:
        batch size: B
        num keypoints: K
        num persons: N
        height of heatmaps: H
        width of heatmaps: W
        B=1 for bottom_up paradigm where all persons share the same heatmap.
        B=N for top_down paradigm where each person has its own heatmaps.

    Args:
        coords (np.ndarray[N, K, 2]): Initial coordinates of human pose.
        batch_heatmaps (np.ndarray[B, K, H, W]): batch_heatmaps
        kernel (int): Gaussian kernel size (K) for modulation.

    Returns:
        np.ndarray[N, K, 2]: Refined coordinates. Unlike 0.x, neither input
        is modified.
    """
    if not isinstance(batch_heatmaps, np.ndarray):
        batch_heatmaps = batch_heatmaps.cpu().numpy()
    B, K, H, W = batch_heatmaps.shape
    N = coords.shape[0]
    check(B == 1 or B == N,
          f'batch_heatmaps must hold 1 or N={N} maps per keypoint, got B={B}')
    log_maps = blur_maps(batch_heatmaps, kernel)
    np.clip(log_maps, 0.001, 50, log_maps)
    np.log(log_maps, log_maps)
    padded = np.pad(log_maps, ((0, 0), (0, 0), (1, 1), (1, 1)),
                    mode='edge').flatten()
    # Flat indices into the edge-padded maps, computed in float64 (0.x used
    # the coordinate dtype, float32, which loses integers past 2**24).
    coords64 = coords.astype(np.float64)
    index = coords64[..., 0] + 1 + (coords64[..., 1] + 1) * (W + 2)
    index += (W + 2) * (H + 2) * np.arange(0, B * K).reshape(-1, K)
    index = index.astype(np.int64).reshape(-1, 1)
    i_ = padded[index]
    ix1 = padded[index + 1]
    iy1 = padded[index + W + 2]
    ix1y1 = padded[index + W + 3]
    ix1_y1_ = padded[index - W - 3]
    ix1_ = padded[index - 1]
    iy1_ = padded[index - 2 - W]

    dx = 0.5 * (ix1 - ix1_)
    dy = 0.5 * (iy1 - iy1_)
    derivative = np.concatenate([dx, dy], axis=1).reshape(N, K, 2, 1)
    dxx = ix1 - 2 * i_ + ix1_
    dyy = iy1 - 2 * i_ + iy1_
    dxy = 0.5 * (ix1y1 - ix1 - iy1 + i_ + i_ - ix1_ - iy1_ + ix1_y1_)
    hessian = np.concatenate([dxx, dxy, dxy, dyy], axis=1).reshape(N, K, 2, 2)
    hessian = np.linalg.inv(hessian + np.finfo(np.float32).eps * np.eye(2))
    refined = coords.copy()
    refined -= np.einsum('ijmn,ijnk->ijmk', hessian, derivative)[..., 0]
    return refined


@CODECS.register_module()
class UDPHeatmap(BaseKeypointCodec):
    """UDP codec for Gaussian heatmaps and CombinedTarget maps.

    Sizes are measured between the first and the last pixel centres, so the
    stride is ``(image_size - 1) / (heatmap_size - 1)``. A 'combined'
    target (0.14's ``target_type='CombinedTarget'``) holds three maps per
    keypoint: a binary response disk and the x / y offsets to the keypoint.

    Note:
        Shapes: K keypoints, H x W heatmap.

    Args:
        image_size, heatmap_size: See :class:`BaseKeypointCodec`.
        heatmap_type (str): 'gaussian' or 'combined'. Default: 'gaussian'.
        sigma (float): Gaussian sigma for 'gaussian'. Default: 2.
        valid_radius_factor (float): Radius of the positive area of a
            'combined' target, as a fraction of the heatmap height.
        blur_kernel (int): Kernel size of the decoding blur; 'combined'
            response maps use ``2 * blur_kernel + 1``.
    """

    use_udp = True
    _HEATMAP_TYPES = ('gaussian', 'combined')

    def __init__(self,
                 image_size=None,
                 heatmap_size=None,
                 heatmap_type='gaussian',
                 sigma=2,
                 valid_radius_factor=0.0546875,
                 blur_kernel=11):
        super().__init__(image_size, heatmap_size)
        check_option('heatmap_type', heatmap_type, self._HEATMAP_TYPES)
        self.heatmap_type = heatmap_type
        self.combined = heatmap_type == 'combined'
        self.sigma = sigma
        self.valid_radius_factor = valid_radius_factor
        self.blur_kernel = blur_kernel

    @property
    def channels_per_keypoint(self):
        """3 maps per keypoint for 'combined' targets, else 1."""
        return 3 if self.combined else 1

    def flip_back(self, output, flip_pairs):
        """Flip back (see :meth:`BaseKeypointCodec.flip_back`); 'combined'
        outputs keep their map triplets together and negate the x-offsets.
        """
        if self.combined:
            return flip_back(output, flip_pairs, target_type='CombinedTarget')
        return flip_back(output, flip_pairs)

    def encode(self, joints_3d, joints_3d_visible):
        """Encode one instance (see :meth:`BaseKeypointCodec.encode`).

        Returns:
            dict:
            - target (np.ndarray[K, H, W] | np.ndarray[3K, H, W]): float32;
              'combined' channels are [heatmap, x-offset, y-offset] per
              keypoint, offsets in units of the valid radius.
            - target_weight (np.ndarray[K, 1]): float32 visibility.
        """
        image_size, heatmap_size = self._sizes()
        W, H = int(heatmap_size[0]), int(heatmap_size[1])
        feat_stride = (image_size - 1.0) / (heatmap_size - 1.0)
        target_weight = np.array(joints_3d_visible[:, :1], dtype=np.float32)
        mu = joints_3d[:, :2] / feat_stride
        if self.combined:
            valid_radius = self.valid_radius_factor * H
            x_offset = (mu[:, 0, None, None] - np.arange(W)) / valid_radius
            y_offset = (mu[:, 1, None, None] -
                        np.arange(H)[:, None]) / valid_radius
            x_offset, y_offset = np.broadcast_arrays(x_offset, y_offset)
            positive = ((x_offset**2 + y_offset**2 <= 1) &
                        (target_weight[:, :, None] > 0.5))
            target = np.stack([
                positive,
                np.where(positive, x_offset, 0),
                np.where(positive, y_offset, 0)
            ], axis=1).astype(np.float32)
            return dict(
                target=target.reshape(-1, H, W), target_weight=target_weight)

        mu_int = np.trunc(mu + 0.5)
        target, in_bounds = windowed_gaussians(
            mu_int, self.sigma * 3, self.sigma, (W, H), sub_pixel=mu - mu_int)
        target_weight[~in_bounds] = 0
        target *= (target_weight > 0.5)[:, :, None]
        return dict(target=target, target_weight=target_weight)

    def decode(self, heatmaps):
        """Decode a batch of outputs.

        Args:
            heatmaps (np.ndarray[N, K, H, W] | np.ndarray[N, 3K, H, W]):
                Model outputs (not modified).

        Returns:
            tuple:
            - coords (np.ndarray[N, K, 2]): (x, y) in heatmap pixels.
            - maxvals (np.ndarray[N, K, 1]): Peak values (of the blurred
              heatmaps for 'combined').
        """
        if not self.combined:
            coords, maxvals = get_max_preds(heatmaps)
            return post_dark_udp(coords, heatmaps, self.blur_kernel), maxvals

        N, C, H, W = heatmaps.shape
        check(C % 3 == 0,
              f"'combined' outputs need 3 channels per keypoint, got {C}")
        grouped = heatmaps.reshape(N, C // 3, 3, H, W)
        response = blur_maps(grouped[:, :, 0], 2 * self.blur_kernel + 1)
        offsets = blur_maps(grouped[:, :, 1:], self.blur_kernel)
        offsets *= self.valid_radius_factor * H
        coords, maxvals = get_max_preds(response)
        # Works for any batch size (0.x's flat indexing only handled N=1).
        px = np.clip(coords[..., 0], 0, W - 1).astype(np.int64)
        py = np.clip(coords[..., 1], 0, H - 1).astype(np.int64)
        n_idx = np.arange(N)[:, None]
        k_idx = np.arange(C // 3)[None, :]
        picked = offsets[n_idx, k_idx, :, py, px]
        coords += np.where(maxvals > 0, picked, 0).astype(coords.dtype)
        return coords, maxvals
