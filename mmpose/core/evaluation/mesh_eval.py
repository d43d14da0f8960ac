"""0.14's module path of ``compute_similarity_transform`` (Procrustes
alignment), which lives in :mod:`mmpose.core.evaluation.pose3d_eval`."""
from .pose3d_eval import compute_similarity_transform

__all__ = ['compute_similarity_transform']
