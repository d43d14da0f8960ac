from .base import BasePose
from .bottom_up import BottomUp
from .pose_lifter import PoseLifter
from .top_down import TopDown

__all__ = ['BasePose', 'TopDown']
__all__ += ['BottomUp']
__all__ += ['PoseLifter']
from .multi_task import MultiTask  # noqa: E402

__all__ += ['MultiTask']
from .mesh import ParametricMesh  # noqa: E402

__all__ += ['ParametricMesh']
