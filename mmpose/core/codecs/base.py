"""The interface every keypoint codec follows."""
from abc import ABCMeta, abstractmethod

import numpy as np


class BaseKeypointCodec(metaclass=ABCMeta):
    """Encode keypoints into training targets and decode model outputs.

    ``encode`` is what the target-generating pipeline step calls for one
    instance; ``decode`` is what ``keypoints_from_heatmaps`` /
    ``keypoints_from_regression`` call on a batch. Both work in the target
    space (heatmap pixels or normalised coordinates); mapping back to the
    image is the caller's business.

    Args:
        image_size (array-like[2] | None): Input image size (w, h); needed by
            ``encode``.
        heatmap_size (array-like[2] | None): Target size (w, h); needed by
            heatmap ``encode``.
    """

    def __init__(self, image_size=None, heatmap_size=None):
        self.image_size = image_size
        self.heatmap_size = heatmap_size

    def _sizes(self):
        """``image_size`` and ``heatmap_size`` as float64 arrays (w, h)."""
        if self.image_size is None or self.heatmap_size is None:
            raise ValueError(
                f'{type(self).__name__}.encode needs image_size and '
                f'heatmap_size, got {self.image_size!r} and '
                f'{self.heatmap_size!r}')
        return (np.asarray(self.image_size, dtype=np.float64),
                np.asarray(self.heatmap_size, dtype=np.float64))

    @abstractmethod
    def encode(self, joints_3d, joints_3d_visible):
        """Encode the keypoints of one instance.

        Note:
            num_keypoints: K

        Args:
            joints_3d (np.ndarray[K, 3]): Keypoints (x, y, z) in the input
                image.
            joints_3d_visible (np.ndarray[K, 3]): Visibility (first column).

        Returns:
            tuple: (target, target_weight).
        """

    @abstractmethod
    def decode(self, encoded):
        """Decode a batch of model outputs.

        Args:
            encoded (np.ndarray): Model outputs, batch first.

        Returns:
            tuple: (coords np.ndarray[N, K, 2] in target space,
            scores np.ndarray[N, K, 1]).
        """
