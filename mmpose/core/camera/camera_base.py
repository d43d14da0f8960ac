"""The camera interface shared by every camera model, and its registry."""
from abc import ABCMeta, abstractmethod

from mmcv.utils import Registry

CAMERAS = Registry('camera')


class SingleCameraBase(metaclass=ABCMeta):
    """Base class for a single camera model.

    Note:
        Joint coordinates are arrays of shape ``[..., K, C]`` (K keypoints,
        C coordinates), e.g. ``[K, C]`` for one pose, ``[N, K, C]`` for a
        batch and ``[N, T, K, C]`` for a batch of sequences of T frames.

    Args:
        param (dict): Camera parameters.

    Methods:
        world_to_camera: Project points from world coordinates to camera
            coordinates.
        camera_to_world: Project points from camera coordinates to world
            coordinates.
        camera_to_pixel: Project points from camera coordinates to pixel
            coordinates.
        world_to_pixel: Project points from world coordinates to pixel
            coordinates.
    """

    @abstractmethod
    def __init__(self, param):
        """Load camera parameters and check validity."""

    def world_to_camera(self, X):
        """World coordinates to camera coordinates."""
        raise NotImplementedError

    def camera_to_world(self, X):
        """Camera coordinates to world coordinates."""
        raise NotImplementedError

    def camera_to_pixel(self, X):
        """Camera coordinates to pixel coordinates."""
        raise NotImplementedError

    def world_to_pixel(self, X):
        """World coordinates to pixel coordinates."""
        return self.camera_to_pixel(self.world_to_camera(X))
