from .base_backbone import BaseBackbone
from .resnet import ResNet, ResNetV1d

__all__ = ['BaseBackbone', 'ResNet', 'ResNetV1d']
