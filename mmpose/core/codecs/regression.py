"""Keypoint coordinates normalised by the input size (DeepPose-style
regression)."""
import numpy as np

from mmpose.utils import check
from ..post_processing.post_transforms import fliplr_regression
from .base import BaseKeypointCodec
from .builder import CODECS


@CODECS.register_module()
class RegressionLabel(BaseKeypointCodec):
    """Regression codec: coordinates divided by the input image size.

    Note:
        num_keypoints: K

    Args:
        image_size (array-like[2] | None): Input size (w, h); needed by
            ``encode`` and ``decode``.
    """

    def __init__(self, image_size=None):
        super().__init__(image_size, None)

    def _image_size(self):
        check(self.image_size is not None,
              f'{type(self).__name__} needs image_size, got None')
        return np.asarray(self.image_size)

    def encode(self, joints_3d, joints_3d_visible):
        """Encode one instance (see :meth:`BaseKeypointCodec.encode`).

        Returns:
            dict:
            - target (np.ndarray[K, 2]): float32 normalised (x, y).
            - target_weight (np.ndarray[K, 2]): visibility, 0 outside the
              image.
        """
        image_size = self._image_size()
        x, y = joints_3d[:, 0], joints_3d[:, 1]
        inside = ((x >= 0) & (x <= image_size[0] - 1) & (y >= 0) &
                  (y <= image_size[1] - 1))
        target = (joints_3d[:, :2] / image_size).astype(np.float32)
        target_weight = joints_3d_visible[:, :2] * inside[:, None]
        return dict(target=target, target_weight=target_weight)

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
        coords = encoded * self._image_size()
        return coords, np.ones((N, K, 1), dtype=np.float32)

    def flip_back(self, output, flip_pairs):
        """Flip normalised coordinates of a flipped input back (around
        x = 0.5).

        Args:
            output (np.ndarray[N, K, 2]): Coordinates of the flipped input.
            flip_pairs (list[tuple]): Pairs of mirrored keypoints.

        Returns:
            np.ndarray[N, K, 2]: Coordinates for the unflipped input.
        """
        return fliplr_regression(output, flip_pairs)
