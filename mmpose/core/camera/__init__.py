from .camera_base import CAMERAS, SingleCameraBase
from .single_camera import SimpleCamera

__all__ = ['CAMERAS', 'SingleCameraBase', 'SimpleCamera']
