from .builder import build_optimizers
from .registry import OPTIMIZERS

__all__ = ['build_optimizers', 'OPTIMIZERS']
