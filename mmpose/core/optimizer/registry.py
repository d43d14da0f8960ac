from mmpose.utils.registry import make_registry

OPTIMIZERS = make_registry('optimizers')
