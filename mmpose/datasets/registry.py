from mmpose.utils.registry import make_registry

DATASETS = make_registry('dataset')
PIPELINES = make_registry('pipeline')

__all__ = ['DATASETS', 'PIPELINES']
