from .base_backbone import BaseBackbone
from .cpm import CPM
from .hourglass import HourglassNet
from .hrnet import HRNet
from .resnet import ResNet, ResNetV1d
from .tcn import TCN

__all__ = [
    'BaseBackbone', 'ResNet', 'ResNetV1d', 'CPM', 'HourglassNet', 'HRNet',
    'TCN'
]
