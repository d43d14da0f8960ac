"""Keypoint coordinates normalised by the input size (DeepPose-style
regression)."""
import numpy as np

from .base import BaseKeypointCodec


class RegressionLabel(BaseKeypointCodec):
    """Regression codec: coordinates divided by the input image size.

    Note:
        num_keypoints: K

    Args:
        image_size (array-like[2]): Input size (w, h).
    """

    def __init__(self, image_size):
        super().__init__(image_size, None)

    def encode(self, joints_3d, joints_3d_visible):
        """Encode one instance (see :meth:`BaseKeypointCodec.encode`).

        Returns:
            tuple:
            - target (np.ndarray[K, 2]): float32 normalised (x, y).
            - target_weight (np.ndarray[K, 2]): visibility, 0 outside the
              image.
        """
        image_size = np.asarray(self.image_size)
        x, y = joints_3d[:, 0], joints_3d[:, 1]
        inside = ((x >= 0) & (x <= image_size[0] - 1) & (y >= 0) &
                  (y <= image_size[1] - 1))
        target = (joints_3d[:, :2] / image_size).astype(np.float32)
        target_weight = joints_3d_visible[:, :2] * inside[:, None]
        return target, target_weight

    def decode(self, encoded):
        """Decode a batch of normalised coordinates.

        Args:
            encoded (np.ndarray[N, K, 2]): Model outputs.

        Returns:
            tuple:
            - coords (np.ndarray[N, K, 2]): (x, y) in input pixels.
            - scores (np.ndarray[N, K, 1]): float32 ones.
        """
        N, K, _ = encoded.shape
        coords = encoded * np.asarray(self.image_size)
        return coords, np.ones((N, K, 1), dtype=np.float32)
