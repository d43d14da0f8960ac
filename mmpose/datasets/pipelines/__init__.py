from .shared_transform import Compose

__all__ = ['Compose']
