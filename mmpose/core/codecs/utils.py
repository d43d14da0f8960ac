"""Array helpers shared by the heatmap codecs.

Every helper works on whole stacks of maps ``[..., H, W]`` at once: OpenCV
filters many channels in one call, and refinements gather the neighbours of
all peaks with fancy indexing instead of looping over keypoints.
"""
import functools
import math

import cv2
import numpy as np

from mmpose.utils import check

# OpenCV's Python binding accepts at most this many channels per image
# (tested with OpenCV 5; 128 leaves head-room).
_MAX_CV_CHANNELS = 128


def blur_maps(maps, kernel, sigma=0):
    """Gaussian-blur every map of a stack with OpenCV's default border.

    The result equals calling ``cv2.GaussianBlur`` on each ``[H, W]`` map
    separately.

    Args:
        maps (np.ndarray[..., H, W]): Maps (float32 or float64).
        kernel (int | tuple[int, int]): Kernel size (odd).
        sigma (float): Gaussian sigma; 0 derives it from the kernel size.

    Returns:
        np.ndarray[..., H, W]: Blurred maps (a new array).
    """
    if isinstance(kernel, int):
        kernel = (kernel, kernel)
    shape = maps.shape
    H, W = shape[-2:]
    flat = maps.reshape(-1, H, W)
    out = np.empty_like(flat)
    for start in range(0, len(flat), _MAX_CV_CHANNELS):
        chunk = flat[start:start + _MAX_CV_CHANNELS]
        hwc = np.ascontiguousarray(chunk.transpose(1, 2, 0))
        blurred = cv2.GaussianBlur(hwc, tuple(kernel), sigma)
        out[start:start + len(chunk)] = blurred.reshape(H, W,
                                                        -1).transpose(2, 0, 1)
    return out.reshape(shape)


def get_max_preds(heatmaps):
    """Get keypoint predictions from score maps.

    Note:
        Shapes: N batch size, K keypoints, H x W heatmap.

    Args:
        heatmaps (np.ndarray[N, K, H, W]): model predicted heatmaps.

    Returns:
        tuple: A tuple containing aggregated results.

        - preds (np.ndarray[N, K, 2]): Predicted keypoint location (x, y);
          -1 where the maximum is not positive.
        - maxvals (np.ndarray[N, K, 1]): Scores (confidence) of the keypoints.
    """
    check(
        isinstance(heatmaps, np.ndarray),
        f'heatmaps should be numpy.ndarray, got {type(heatmaps).__name__}')
    check(heatmaps.ndim == 4,
          f'heatmaps should be 4-ndim [N, K, H, W], got {heatmaps.shape}')
    N, K, _, W = heatmaps.shape
    flat = heatmaps.reshape((N, K, -1))
    idx = np.argmax(flat, 2).reshape((N, K, 1))
    maxvals = np.amax(flat, 2).reshape((N, K, 1))
    preds = np.concatenate([idx % W, idx // W], axis=2).astype(np.float32)
    preds = np.where(maxvals > 0.0, preds, -1).astype(np.float32)
    return preds, maxvals


def _gather(heatmaps, px, py):
    """Values ``heatmaps[n, k, py[n, k], px[n, k]]``, indices clipped to the
    map (callers mask out the peaks whose neighbourhood leaves the map)."""
    N, K = px.shape
    H, W = heatmaps.shape[-2:]
    n_idx = np.arange(N)[:, None]
    k_idx = np.arange(K)[None, :]
    return heatmaps[n_idx, k_idx, np.clip(py, 0, H - 1), np.clip(px, 0, W - 1)]


def _integer_peaks(coords, H, W, margin):
    """Truncated peak positions (as ``int()``) and the mask of peaks with
    ``1 < x < W - margin`` and ``1 < y < H - margin`` (0.x's bounds)."""
    px = np.trunc(coords[..., 0]).astype(np.int64)
    py = np.trunc(coords[..., 1]).astype(np.int64)
    valid = (1 < px) & (px < W - margin) & (1 < py) & (py < H - margin)
    return px, py, valid


def refine_quarter_offset(heatmaps, coords, extra_shift=0.):
    """Shift each peak 0.25 px towards its higher neighbour.

    Only peaks with ``1 < x < W - 1`` and ``1 < y < H - 1`` move (as in 0.x).

    Args:
        heatmaps (np.ndarray[N, K, H, W]): Heatmaps.
        coords (np.ndarray[N, K, 2]): Integer peak locations (x, y).
        extra_shift (float): Added to the refined peaks as well (0.5 for
            the Megvii decoding, which centres pixels).

    Returns:
        np.ndarray[N, K, 2]: Refined coordinates (a new array).
    """
    H, W = heatmaps.shape[-2:]
    px, py, valid = _integer_peaks(coords, H, W, 1)
    diff_x = _gather(heatmaps, px + 1, py) - _gather(heatmaps, px - 1, py)
    diff_y = _gather(heatmaps, px, py + 1) - _gather(heatmaps, px, py - 1)
    shift = np.stack([np.sign(diff_x), np.sign(diff_y)], axis=-1) * .25
    if extra_shift:
        shift = shift + extra_shift
    refined = coords.copy()
    refined += np.where(valid[..., None], shift, 0).astype(coords.dtype)
    return refined


def taylor_refine(log_heatmaps, coords):
    """Distribution-aware (DARK) refinement by a second-order Taylor
    expansion of the log-heatmap at the peak.

    Paper ref: Zhang et al. Distribution-Aware Coordinate Representation for
    Human Pose Estimation (CVPR 2020).

    Args:
        log_heatmaps (np.ndarray[N, K, H, W]): Log of the modulated heatmaps.
        coords (np.ndarray[N, K, 2]): Peak locations (x, y).

    Returns:
        np.ndarray[N, K, 2]: Refined coordinates (a new array). Peaks within
        two pixels of the border, or with a singular Hessian, are kept.
    """
    H, W = log_heatmaps.shape[-2:]
    px, py, valid = _integer_peaks(coords, H, W, 2)

    def at(dy, dx):
        return _gather(log_heatmaps, px + dx, py + dy)

    center = at(0, 0)
    dx = 0.5 * (at(0, 1) - at(0, -1))
    dy = 0.5 * (at(1, 0) - at(-1, 0))
    dxx = 0.25 * (at(0, 2) - 2 * center + at(0, -2))
    dxy = 0.25 * (at(1, 1) - at(-1, 1) - at(1, -1) + at(-1, -1))
    dyy = 0.25 * (at(2, 0) - 2 * center + at(-2, 0))
    det = dxx * dyy - dxy**2
    ok = valid & (det != 0)
    det = np.where(ok, det, 1)
    # offset = -inverse(Hessian) @ gradient, with the 2x2 inverse written out
    offset_x = -(dyy * dx - dxy * dy) / det
    offset_y = -(dxx * dy - dxy * dx) / det
    offset = np.stack([offset_x, offset_y], axis=-1)
    refined = coords.copy()
    refined += np.where(ok[..., None], offset, 0).astype(coords.dtype)
    return refined


def modulate_heatmaps(heatmaps, kernel=11):
    """Blur the heatmaps with zero padding and keep each map's maximum.

    This is 0.x's ``_gaussian_blur`` (DARK's distribution modulation).

    Args:
        heatmaps (np.ndarray[N, K, H, W]): Heatmaps; modified in place.
        kernel (int): Gaussian kernel size (odd).

    Returns:
        np.ndarray[N, K, H, W]: The modulated heatmaps (same object).
    """
    check(kernel % 2 == 1, f'kernel must be odd, got {kernel}')
    border = (kernel - 1) // 2
    N, K, H, W = heatmaps.shape
    origin_max = heatmaps.reshape(N, K, -1).max(axis=2)
    padded = np.zeros((N, K, H + 2 * border, W + 2 * border),
                      dtype=np.float32)
    padded[..., border:border + H, border:border + W] = heatmaps
    blurred = blur_maps(padded, kernel)[..., border:border + H,
                                        border:border + W]
    heatmaps[...] = blurred
    new_max = heatmaps.reshape(N, K, -1).max(axis=2)
    # All-zero maps stay zero instead of turning into NaN.
    ratio = origin_max / np.where(new_max == 0, 1, new_max)
    heatmaps *= ratio[..., None, None]
    return heatmaps


@functools.lru_cache(maxsize=32)
def _gaussian_patch(tmp_size, sigma):
    """0.x's MSRA window: ``exp(-((x - c)^2 + (y - c)^2) / (2 sigma^2))`` on
    ``x, y = arange(0, 2 * tmp_size + 1)`` and ``c = size // 2``, in float32
    (read-only)."""
    size = 2 * tmp_size + 1
    x = np.arange(0, size, 1, np.float32)
    y = x[:, None]
    center = size // 2
    # Python scalars keep the float32 arithmetic of 0.x (under NumPy 2 a
    # NumPy float64 sigma would otherwise promote the window to float64).
    patch = np.exp(-((x - center)**2 + (y - center)**2) / (2 * sigma**2))
    patch.flags.writeable = False
    return patch


def trunc_finite(value):
    """``math.trunc`` (as 0.x's ``int()``) that passes infinities and NaN
    through."""
    return math.trunc(value) if math.isfinite(value) else value


@functools.lru_cache(maxsize=16)
def _canvas_windows(tmp_size, sigma, heatmap_size):
    """Every ``[H, W]`` window of a zero canvas holding one 0.x patch, as a
    read-only view ``[Y, X, H, W]``.

    The canvas is ``[2H + P, 2W + P]`` (P the patch length) with the patch
    at rows ``H..H + P - 1`` and columns ``W..W + P - 1``, so window
    ``(H - y0, W - x0)`` is the heatmap of a window with corner ``(x0, y0)``
    (any corner of a window that reaches the map), and window (0, 0) is all
    zero.
    """
    W, H = heatmap_size
    patch = _gaussian_patch(tmp_size, sigma)
    size = len(patch)
    canvas = np.zeros((2 * H + size, 2 * W + size), dtype=np.float32)
    canvas[H:H + size, W:W + size] = patch
    canvas.flags.writeable = False
    return np.lib.stride_tricks.sliding_window_view(canvas, (H, W))


def paste_windows(centers, tmp_size, sigma, heatmap_size, kept):
    """The integer-centre case of :func:`windowed_gaussians` on Python
    lists: 0.x's window per keypoint.

    This runs once per training sample, where every NumPy call costs more
    than the arithmetic it does: the windows are placed in plain Python,
    then all K maps are cut from a cached canvas by one gather.

    Args:
        centers (list[tuple]): K integer window centres (x, y) in heatmap
            pixels (infinities and NaN give no window).
        tmp_size, sigma: See :func:`windowed_gaussians`.
        heatmap_size (tuple[int, int]): Heatmap (W, H).
        kept (list[bool]): K flags; the maps of keypoints not kept are zero.

    Returns:
        tuple: target (np.ndarray[K, H, W] float32) and in_bounds
        (list[bool], see :func:`windowed_gaussians`).
    """
    W, H = heatmap_size
    tmp_size, sigma = float(tmp_size), float(sigma)
    patch_len = len(_gaussian_patch(tmp_size, sigma))
    in_bounds = [True] * len(centers)
    windows = []  # (k, x0, y0, x1, y1), corners as 0.x's int()
    for k, (mu_x, mu_y) in enumerate(centers):
        try:
            x0, y0 = int(mu_x - tmp_size), int(mu_y - tmp_size)
            x1, y1 = int(mu_x + tmp_size + 1), int(mu_y + tmp_size + 1)
        except (ValueError, OverflowError):
            # NaN or infinite: no window, and the bounds test as the array
            # expressions do it (infinity is off the map, NaN fails every
            # comparison).
            x0 = trunc_finite(mu_x - tmp_size)
            y0 = trunc_finite(mu_y - tmp_size)
            x1 = trunc_finite(mu_x + tmp_size + 1)
            y1 = trunc_finite(mu_y + tmp_size + 1)
            in_bounds[k] = not (x0 >= W or y0 >= H or x1 < 0 or y1 < 0)
            continue
        if x0 >= W or y0 >= H or x1 < 0 or y1 < 0:
            in_bounds[k] = False
        elif kept[k]:
            windows.append((k, x0, y0, x1, y1))

    origin_x, origin_y = [0] * len(centers), [0] * len(centers)
    for k, x0, y0, _, _ in windows:
        origin_x[k], origin_y[k] = W - x0, H - y0
    target = _canvas_windows(tmp_size, sigma, (W, H))[
        np.array(origin_y, dtype=np.intp), np.array(origin_x, dtype=np.intp)]
    for k, x0, y0, x1, y1 in windows:
        # A far corner truncated towards zero (a fractional centre left of
        # the map) ends the window early.
        if x1 - x0 < patch_len:
            target[k, :, max(x1, 0):] = 0
        if y1 - y0 < patch_len:
            target[k, max(y1, 0):] = 0
    return target, in_bounds


def windowed_gaussians(mu, tmp_size, sigma, heatmap_size, sub_pixel=None,
                       keep=None):
    """Gaussian targets cut to a ``2 * tmp_size + 1`` window, for all
    keypoints at once (0.x's MSRA and UDP patch pasting).

    Note:
        num_keypoints: K

    Args:
        mu (np.ndarray[K, 2]): Integer window centres (x, y) in heatmap
            pixels.
        tmp_size (float): Half window size (3 sigma).
        sigma (float): Gaussian sigma in heatmap pixels.
        heatmap_size (tuple[int, int]): Heatmap (W, H).
        sub_pixel (np.ndarray[K, 2] | None): UDP: the true centre minus
            ``mu``; None puts the peak on the integer centre.
        keep (np.ndarray[K] | None): bool; the maps of the keypoints not
            kept are all zero (as multiplying the targets by ``keep``).
            None keeps all.

    Returns:
        tuple:
        - target (np.ndarray[K, H, W]): float32 Gaussians, 0 off-window.
        - in_bounds (np.ndarray[K]): Whether any of the window is on the map
          (0.x's test: a window ending at pixel 0 still counts).
    """
    W, H = int(heatmap_size[0]), int(heatmap_size[1])
    if sub_pixel is None:
        num_keypoints = len(mu)
        kept = ([True] * num_keypoints
                if keep is None else np.asarray(keep, dtype=bool).tolist())
        target, in_bounds = paste_windows(
            np.asarray(mu).tolist(), tmp_size, sigma, (W, H), kept)
        return target, np.array(in_bounds, dtype=bool)

    ul = np.trunc(mu - tmp_size)
    br = np.trunc(mu + tmp_size + 1)
    # Column by column: cheaper than .any(axis=1) on K x 2 arrays.
    in_bounds = ~((ul[:, 0] >= W) | (ul[:, 1] >= H) | (br[:, 0] < 0) |
                  (br[:, 1] < 0))
    # UDP: sub-pixel centres, so the window values differ per keypoint.
    size = 2 * tmp_size + 1
    patch_len = len(np.arange(0, size, 1))
    patch_center = size // 2

    def axis_gaussians(length, c):
        pos = np.arange(length)[None, :]
        # Index into the Gaussian patch of each heatmap pixel.
        idx = pos - ul[:, c:c + 1]
        inside = (idx >= 0) & (idx < patch_len) & (pos < br[:, c:c + 1])
        d = idx.astype(np.float32) - (patch_center + sub_pixel[:, c:c + 1])
        return np.where(inside, np.exp(-d**2 / (2 * sigma**2)), 0)

    # The Gaussian is separable: two 1-D profiles (zero off-window) and one
    # outer product cost far less than an exp per heatmap pixel.
    gauss_x = axis_gaussians(W, 0)
    gauss_y = axis_gaussians(H, 1)
    if keep is not None:
        gauss_y *= np.asarray(keep)[:, None]
    target = gauss_y[:, :, None] * gauss_x[:, None, :]
    return target.astype(np.float32, copy=False), in_bounds
