from .hmr_head import MeshHMRHead

__all__ = ['MeshHMRHead']
