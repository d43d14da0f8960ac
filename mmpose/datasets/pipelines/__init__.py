from .shared_transform import Compose
from .top_down_target import (TopDownGenerateTarget,
                              TopDownGenerateTargetRegression)

__all__ = ['Compose']
__all__ += ['TopDownGenerateTarget', 'TopDownGenerateTargetRegression']
