"""0.x import path of the checkpoint helpers (``backbones.utils.utils``)."""
from .pretrained import get_state_dict, load_checkpoint

__all__ = ['load_checkpoint', 'get_state_dict']
