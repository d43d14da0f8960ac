from .base import BasePose
from .top_down import TopDown

__all__ = ['BasePose', 'TopDown']
