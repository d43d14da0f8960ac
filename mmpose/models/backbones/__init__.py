from .base_backbone import BaseBackbone
from .cpm import CPM
from .hourglass import HourglassNet
from .hrnet import HRNet
from .mspn import MSPN
from .resnet import ResNet, ResNetV1d
from .rsn import RSN
from .tcn import TCN

__all__ = [
    'BaseBackbone', 'ResNet', 'ResNetV1d', 'CPM', 'HourglassNet', 'HRNet',
    'TCN', 'MSPN', 'RSN'
]
