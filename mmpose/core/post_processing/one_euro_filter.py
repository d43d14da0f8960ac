"""One Euro filter for keypoint sequences (Casiez et al., CHI 2012).

MMPose 0.14 smoothed tracked keypoints with it (``get_track_id(...,
use_one_euro=True)``). Our filter fixes one 0.14 bug: with ``fps=None`` 0.14
measured the time between two calls with the wall clock (scaled by
``d_cutoff``), so the smoothing of a video depended on how fast the machine
ran the model. Here time is counted in frames (``t_e``, one per call by
default), so the same frames always give the same output.
"""
import math

import numpy as np

from mmpose.utils import check


def smoothing_factor(t_e, cutoff):
    """Exponential smoothing factor of a low-pass filter.

    Args:
        t_e (float | np.ndarray): Time elapsed since the previous sample.
        cutoff (float | np.ndarray): Cutoff frequency.

    Returns:
        float | np.ndarray: ``r / (r + 1)`` with ``r = 2 pi cutoff t_e``.
    """
    r = 2 * math.pi * cutoff * t_e
    return r / (r + 1)


def exponential_smoothing(a, x, x_prev):
    """One step of exponential smoothing: ``a * x + (1 - a) * x_prev``."""
    return a * x + (1 - a) * x_prev


class OneEuroFilter:
    """One Euro filter over an array of coordinates.

    Note:
        num_keypoints: K

    Values ``<= 0`` are taken as missing keypoints: their output is -10, as
    in MMPose 0.14.

    Args:
        x0 (np.ndarray[K, 2]): The first sample (any shape; later samples
            must have the same one).
        dx0 (float): Initial derivative. Default: 0.0.
        min_cutoff (float): Minimum cutoff frequency. Default: 1.7.
        beta (float): Speed coefficient of the cutoff. Default: 0.3.
        d_cutoff (float): Cutoff frequency of the derivative. Default: 30.0.
        fps (float | None): Frame rate of a video. As in 0.14 it replaces
            ``d_cutoff``. None keeps ``d_cutoff`` and, unlike 0.14 (which then
            used wall-clock time), still counts time in frames, so
            ``fps=None`` equals ``fps=d_cutoff``.
    """

    def __init__(self,
                 x0,
                 dx0=0.0,
                 min_cutoff=1.7,
                 beta=0.3,
                 d_cutoff=30.0,
                 fps=None):
        x0 = np.asarray(x0)
        self.data_shape = x0.shape
        if fps is not None:
            check(fps > 0, f'OneEuroFilter: fps must be positive, got {fps}')
            d_cutoff = float(fps)
        self.min_cutoff = np.full(x0.shape, min_cutoff, dtype=np.float64)
        self.beta = np.full(x0.shape, beta, dtype=np.float64)
        self.d_cutoff = np.full(x0.shape, d_cutoff, dtype=np.float64)
        self.x_prev = x0.astype(np.float32)
        self.dx_prev = np.full(x0.shape, dx0, dtype=np.float64)

    def __call__(self, x, t_e=1.0):
        """Filter one sample.

        Args:
            x (np.ndarray[K, 2]): The new sample, shaped like ``x0``.
            t_e (float): Time since the previous sample, in frames.
                Default: 1.0.

        Returns:
            np.ndarray[K, 2]: The filtered sample (-10 where ``x <= 0``).
        """
        x = np.asarray(x)
        check(
            x.shape == self.data_shape,
            f'OneEuroFilter: x must have the shape {self.data_shape} of x0, '
            f'got {x.shape}')
        check(t_e > 0, f'OneEuroFilter: t_e must be positive, got {t_e}')
        a_d = smoothing_factor(t_e, self.d_cutoff)
        dx = (x - self.x_prev) / t_e
        dx_hat = exponential_smoothing(a_d, dx, self.dx_prev)
        cutoff = self.min_cutoff + self.beta * np.abs(dx_hat)
        a = smoothing_factor(t_e, cutoff)
        x_hat = exponential_smoothing(a, x, self.x_prev)
        x_hat[x <= 0] = -10
        self.x_prev = x_hat
        self.dx_prev = dx_hat
        return x_hat
