"""Pinhole camera with optional radial and tangential lens distortion."""
import numpy as np

from mmpose.utils import check
from .camera_base import CAMERAS, SingleCameraBase


def _check_points(X, name):
    check(
        isinstance(X, np.ndarray) and X.ndim >= 2 and X.shape[-1] == 3,
        f'SimpleCamera.{name}: X must be an np.ndarray[..., K, 3], got '
        f'{getattr(X, "shape", type(X).__name__)}')


@CAMERAS.register_module()
class SimpleCamera(SingleCameraBase):
    """Camera model to calculate coordinate transformation with given
    intrinsic/extrinsic camera parameters.

    Note:
        Joint coordinates are ``np.ndarray[..., K, C]`` (K keypoints, C
        coordinates): ``[K, C]`` for one person, ``[N, K, C]`` for a batch,
        ``[N, T, K, C]`` for a batch of pose sequences. Every method works
        on all leading axes at once (points are row vectors).

    Args:
        param (dict): camera parameters including:
            - R: 3x3, camera rotation matrix (camera-to-world)
            - T: 3x1, camera translation (camera-to-world)
            - K: (optional) 2x3, camera intrinsic matrix
            - k: (optional) nx1, camera radial distortion coefficients
              (n = 3, or 6 for the rational model k1..k3 / k4..k6)
            - p: (optional) 2x1, camera tangential distortion coefficients
            - f: (optional) 2x1, camera focal length
            - c: (optional) 2x1, camera center
            If K is not provided, it is calculated from f and c.

    The projections are those of :class:`SingleCameraBase`, the pixel one
    with lens distortion when k and p are given.
    """

    def __init__(self, param):
        self.param = {}
        R = np.array(param['R'], dtype=np.float32)
        T = np.array(param['T'], dtype=np.float32)
        check(R.shape == (3, 3), f'SimpleCamera: R must be 3x3, got {R.shape}')
        check(T.shape == (3, 1), f'SimpleCamera: T must be 3x1, got {T.shape}')
        # Transposed once here because the points are row vectors.
        self.param['R_c2w'] = R.T
        self.param['T_c2w'] = T.T
        self.param['R_w2c'] = R
        self.param['T_w2c'] = -self.param['T_c2w'] @ self.param['R_w2c']

        if 'K' in param:
            K = np.array(param['K'], dtype=np.float32)
            check(K.shape == (2, 3),
                  f'SimpleCamera: K must be 2x3, got {K.shape}')
            self.param['K'] = K.T
            self.param['f'] = np.array([K[0, 0], K[1, 1]])[:, np.newaxis]
            self.param['c'] = np.array([K[0, 2], K[1, 2]])[:, np.newaxis]
        elif 'f' in param and 'c' in param:
            f = np.array(param['f'], dtype=np.float32)
            c = np.array(param['c'], dtype=np.float32)
            check(f.shape == (2, 1),
                  f'SimpleCamera: f must be 2x1, got {f.shape}')
            check(c.shape == (2, 1),
                  f'SimpleCamera: c must be 2x1, got {c.shape}')
            self.param['K'] = np.concatenate((np.diagflat(f), c), axis=-1).T
            self.param['f'] = f
            self.param['c'] = c
        else:
            raise ValueError('Camera intrinsic parameters are missing. '
                             'Either "K" or "f"&"c" should be provided.')

        if 'k' in param and 'p' in param:
            self.undistortion = True
            self.param['k'] = np.array(param['k'], dtype=np.float32).flatten()
            self.param['p'] = np.array(param['p'], dtype=np.float32).flatten()
            check(self.param['k'].size in (3, 6),
                  'SimpleCamera: k must hold 3 or 6 coefficients, got '
                  f'{self.param["k"].size}')
            check(self.param['p'].size == 2,
                  'SimpleCamera: p must hold 2 coefficients, got '
                  f'{self.param["p"].size}')
        else:
            self.undistortion = False

    def world_to_camera(self, X):
        """World coordinates ``np.ndarray[..., K, 3]`` to camera
        coordinates of the same shape."""
        _check_points(X, 'world_to_camera')
        return X @ self.param['R_w2c'] + self.param['T_w2c']

    def camera_to_world(self, X):
        """Camera coordinates ``np.ndarray[..., K, 3]`` to world coordinates
        of the same shape."""
        _check_points(X, 'camera_to_world')
        return X @ self.param['R_c2w'] + self.param['T_c2w']

    def camera_to_pixel(self, X):
        """Camera coordinates ``np.ndarray[..., K, 3]`` to pixel coordinates
        ``np.ndarray[..., K, 2]``.

        With distortion, the normalised image point (x, y), r2 = x^2 + y^2,
        becomes (Brown-Conrady, with Human3.6M's order of p)
        ``(x, y) * (radial + 2 * (p[1] * x + p[0] * y)) + r2 * (p[1], p[0])``
        where ``radial = 1 + k1 r2 + k2 r2^2 + k3 r2^3`` (divided by
        ``1 + k4 r2 + k5 r2^2 + k6 r2^3`` when 6 coefficients are given),
        as 0.14 computes it.
        """
        _check_points(X, 'camera_to_pixel')
        _X = X[..., :2] / X[..., 2:]
        if self.undistortion:
            k = self.param['k']
            p = self.param['p']
            r2 = (_X**2).sum(-1)
            powers = np.stack([r2, r2**2, r2**3], axis=-1)
            radial = 1 + powers @ k[:3]
            if k.size == 6:
                radial = radial / (1 + powers @ k[3:])
            tangential = 2 * (p[1] * _X[..., 0] + p[0] * _X[..., 1])
            _X = _X * (radial + tangential)[..., None] + \
                r2[..., None] * p[::-1]
        return _X @ self.param['K'][:2] + self.param['K'][2]
