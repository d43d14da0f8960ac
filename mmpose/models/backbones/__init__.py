from .alexnet import AlexNet
from .base_backbone import BaseBackbone
from .cpm import CPM
from .hourglass import HourglassNet
from .hrnet import HRNet
from .mobilenet_v2 import MobileNetV2
from .mobilenet_v3 import MobileNetV3
from .mspn import MSPN
from .regnet import RegNet
from .resnest import ResNeSt
from .resnet import ResNet, ResNetV1d
from .resnext import ResNeXt
from .rsn import RSN
from .scnet import SCNet
from .seresnet import SEResNet
from .seresnext import SEResNeXt
from .shufflenet_v1 import ShuffleNetV1
from .shufflenet_v2 import ShuffleNetV2
from .tcn import TCN
from .vgg import VGG

__all__ = [
    'BaseBackbone', 'ResNet', 'ResNetV1d', 'CPM', 'HourglassNet', 'HRNet',
    'TCN', 'MSPN', 'RSN', 'AlexNet', 'VGG', 'MobileNetV2', 'MobileNetV3',
    'ShuffleNetV1', 'ShuffleNetV2', 'ResNeXt', 'SEResNet', 'SEResNeXt',
    'ResNeSt', 'SCNet', 'RegNet'
]
