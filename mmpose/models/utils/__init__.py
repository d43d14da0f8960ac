from .ops import resize

__all__ = ['resize']
