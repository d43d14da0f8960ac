from mmpose.utils.registry import make_registry

BACKBONES = make_registry('backbone')
NECKS = make_registry('neck')
HEADS = make_registry('head')
LOSSES = make_registry('loss')
POSENETS = make_registry('posenet')

__all__ = ['BACKBONES', 'NECKS', 'HEADS', 'LOSSES', 'POSENETS']
