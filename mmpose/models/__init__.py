from .backbones import *  # noqa: F401,F403
from .builder import (build_backbone, build_head, build_loss, build_neck,
                      build_posenet)
from .detectors import *  # noqa: F401,F403
from .keypoint_heads import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .mesh_heads import *  # noqa: F401,F403
from .necks import *  # noqa: F401,F403
from .registry import BACKBONES, HEADS, LOSSES, NECKS, POSENETS

__all__ = [
    'BACKBONES', 'HEADS', 'NECKS', 'LOSSES', 'POSENETS', 'build_backbone',
    'build_head', 'build_loss', 'build_posenet', 'build_neck'
]
