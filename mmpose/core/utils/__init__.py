from .dist_utils import allreduce_grads
from .regularizations import PytorchModuleHook, WeightNormClipHook

__all__ = ['allreduce_grads', 'WeightNormClipHook', 'PytorchModuleHook']
