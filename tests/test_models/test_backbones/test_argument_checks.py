"""MMPose 0.14's exception contracts of the backbones and their blocks.

Where 0.14 checked an argument with ``assert``, code written for it catches
``AssertionError``: our checks raise ``ArgumentError``, both an
AssertionError and a ValueError, with a message naming the argument. Where
0.14 raised KeyError, TypeError or NotImplementedError, the type is the same.
"""
import importlib

import pytest
import torch

from mmpose.models.backbones import (CPM, MSPN, RSN, TCN, VGG, HourglassNet,
                                     MobileNetV2, MobileNetV3, RegNet, ResNet,
                                     ResNeXt, SCNet, SEResNet, ShuffleNetV1,
                                     ShuffleNetV2)
from mmpose.models.backbones.cpm import CpmBlock
from mmpose.models.backbones.hrnet import HRModule
from mmpose.models.backbones.mobilenet_v2 import \
    InvertedResidual as MobileNetV2Block
from mmpose.models.backbones.mspn import Bottleneck as MSPNBottleneck
from mmpose.models.backbones.mspn import DownsampleModule
from mmpose.models.backbones.resnet import (BasicBlock, Bottleneck,
                                            get_expansion)
from mmpose.models.backbones.rsn import RSB
from mmpose.models.backbones.scnet import SCConv
from mmpose.models.backbones.shufflenet_v1 import ShuffleUnit
from mmpose.models.backbones.shufflenet_v2 import \
    InvertedResidual as ShuffleNetV2Block
from mmpose.models.backbones.tcn import BasicTemporalBlock
from mmpose.models.backbones.utils import (InvertedResidual, SELayer,
                                           channel_shuffle)
from mmpose.utils import ArgumentError

# widths 8, 16, 32, 32: three stages
REGNET_ARCH = dict(w0=8, wa=8.0, wm=2.0, group_w=8, depth=4, bot_mul=1.0)
REGNET_3 = dict(strides=(2, 2, 2), dilations=(1, 1, 1), out_indices=(2, ))

# (id, call, text the message must contain)
ASSERTED = [
    # the cases of issue 9
    ('RegNet arch name', lambda: RegNet('regnetx_400mf233'),
     'regnetx_400mf233'),
    ('VGG num_stages', lambda: VGG(11, num_stages=0), 'num_stages'),
    ('CPM num_stages', lambda: CPM(3, 17, num_stages=-1), 'num_stages'),
    ('HourglassNet num_stacks', lambda: HourglassNet(num_stacks=0),
     'num_stacks'),
    ('MSPN num_stages', lambda: MSPN(num_stages=0), 'num_stages'),
    ('ShuffleUnit add', lambda: ShuffleUnit(64, 24, combine='add'),
     'in_channels must be equal'),
    ('TCN kernel_sizes', lambda: TCN(34, num_blocks=2, kernel_sizes=(3, 3)),
     'kernel_sizes'),
    # ResNet family
    ('BasicBlock expansion', lambda: BasicBlock(64, 64, expansion=2),
     'expansion'),
    ('Bottleneck style', lambda: Bottleneck(64, 64, style='tf'), 'style'),
    ('Bottleneck out_channels', lambda: Bottleneck(64, 66),
     'divisible by expansion'),
    ('get_expansion', lambda: get_expansion(Bottleneck, 0), 'positive'),
    ('ResNet num_stages', lambda: ResNet(18, num_stages=5), 'num_stages'),
    ('ResNet strides', lambda: ResNet(18, strides=(1, 2)), 'strides'),
    ('ResNet out_indices', lambda: ResNet(18, out_indices=(4, )),
     'out_indices'),
    ('ResNeXt style', lambda: ResNeXt(50, style='tf'), 'style'),
    ('RegNet wa', lambda: RegNet(dict(REGNET_ARCH, wa=-1.)), 'wa'),
    ('RegNet w0', lambda: RegNet(dict(REGNET_ARCH, w0=12)), 'w0'),
    ('RegNet wm', lambda: RegNet(dict(REGNET_ARCH, wm=1.)), 'wm'),
    ('RegNet out_indices',
     lambda: RegNet(REGNET_ARCH, **dict(REGNET_3, out_indices=(3, ))),
     'out_indices'),
    # multi-stage networks
    ('CpmBlock kernels', lambda: CpmBlock(3, [4, 5], [3]), 'kernels'),
    ('CPM in_channels', lambda: CPM(1, 17), 'in_channels'),
    ('HourglassNet stage_blocks', lambda: HourglassNet(stage_blocks=(2, )),
     'stage_blocks'),
    ('HourglassNet downsample_times',
     lambda: HourglassNet(downsample_times=6), 'downsample_times'),
    ('MSPN num_units', lambda: MSPN(num_units=1, num_blocks=[2]),
     'num_units'),
    ('MSPN num_blocks', lambda: MSPN(num_units=3), 'num_blocks'),
    ('DownsampleModule num_blocks',
     lambda: DownsampleModule(MSPNBottleneck, [1, 1, 1], num_units=2),
     'num_blocks'),
    ('RSN num_steps', lambda: RSN(num_steps=1), 'num_steps'),
    ('RSB num_steps', lambda: RSB(8, 8, num_steps=1), 'num_steps'),
    ('TCN odd kernels', lambda: TCN(34, kernel_sizes=(3, 2, 3)), 'odd'),
    ('BasicTemporalBlock length',
     lambda: BasicTemporalBlock(4, 4, 8, kernel_size=3, dilation=3)(
         torch.rand(1, 4, 6)), 'input length'),
    # light-weight networks and their blocks
    ('MobileNetV2 block stride',
     lambda: MobileNetV2Block(16, 16, stride=3, expand_ratio=6), 'stride'),
    ('MobileNetV3 arch', lambda: MobileNetV3('tiny'), 'arch'),
    ('ShuffleNetV2 block', lambda: ShuffleNetV2Block(16, 24),
     'in_channels must be equal'),
    ('InvertedResidual stride', lambda: InvertedResidual(8, 8, 8, stride=3),
     'stride'),
    ('InvertedResidual se_cfg',
     lambda: InvertedResidual(8, 8, 8, se_cfg=[8]), 'se_cfg'),
    ('InvertedResidual mid_channels',
     lambda: InvertedResidual(8, 8, 16, with_expand_conv=False),
     'mid_channels'),
    ('SELayer act_cfg', lambda: SELayer(16, act_cfg=(dict(type='ReLU'), )),
     'act_cfg'),
    ('channel_shuffle groups',
     lambda: channel_shuffle(torch.rand(1, 6, 2, 2), 4), 'groups'),
]

# 0.14 raised ValueError here: ArgumentError still is one.
VALUE_ERRORS = [
    ('ShuffleUnit combine', lambda: ShuffleUnit(24, 24, combine='mul'),
     'combine'),
    ('ShuffleNetV1 groups', lambda: ShuffleNetV1(groups=5), 'groups'),
    ('ShuffleNetV2 widen_factor', lambda: ShuffleNetV2(widen_factor=0.75),
     'widen_factor'),
    ('MobileNetV2 out_indices', lambda: MobileNetV2(out_indices=(8, )),
     'out_indices'),
    ('MobileNetV2 frozen_stages', lambda: MobileNetV2(frozen_stages=9),
     'frozen_stages'),
    ('HRModule num_blocks',
     lambda: HRModule(2, BasicBlock, [1], [8, 16], [8, 16]), 'num_blocks'),
    ('SCConv channels', lambda: SCConv(8, 16, 1, 2), 'out_channels'),
]

OTHER_TYPES = [
    ('ResNet depth', lambda: ResNet(20), KeyError, 'depth 20'),
    ('SEResNet depth', lambda: SEResNet(18), KeyError, '18'),
    ('SCNet depth', lambda: SCNet(18), KeyError, 'depth 18'),
    ('VGG depth', lambda: VGG(18), KeyError, 'depth 18'),
    ('RegNet arch dict', lambda: RegNet(dict(w0=8)), KeyError, 'arch'),
    ('RegNet arch type', lambda: RegNet(['regnetx_400mf']), TypeError,
     'arch'),
    ('RegNet deep_stem',
     lambda: RegNet(REGNET_ARCH, deep_stem=True, **REGNET_3),
     NotImplementedError, 'deep_stem'),
    ('get_expansion type', lambda: get_expansion(Bottleneck, '4'), TypeError,
     'expansion'),
    ('init_weights pretrained', lambda: ResNet(18).init_weights(0),
     TypeError, 'pretrained'),
]


def _ids(table):
    return [row[0] for row in table]


@pytest.mark.parametrize('name, call, text', ASSERTED, ids=_ids(ASSERTED))
def test_asserted_arguments_raise_assertion_error(name, call, text):
    with pytest.raises(AssertionError, match=text) as err:
        call()
    # one project type, which newer code can catch as a ValueError
    assert isinstance(err.value, ArgumentError)
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize(
    'name, call, text', VALUE_ERRORS, ids=_ids(VALUE_ERRORS))
def test_value_errors_stay_value_errors(name, call, text):
    with pytest.raises(ValueError, match=text):
        call()


@pytest.mark.parametrize(
    'name, call, error, text', OTHER_TYPES, ids=_ids(OTHER_TYPES))
def test_other_exception_types_as_in_0_14(name, call, error, text):
    with pytest.raises(error, match=text) as err:
        call()
    assert not isinstance(err.value, AssertionError)


# Names 0.14 code imports from the ResNet variants' modules (imported there
# from a sibling module in 0.14, so the module list does not record them).
EXTRA_NAMES = [
    ('seresnet', 'SELayer', 'utils.se_layer'),
    ('seresnet', 'ResLayer', 'resnet'),
    ('resnext', 'ResLayer', 'resnet'),
    ('seresnext', 'ResLayer', 'resnet'),
    ('resnest', 'ResLayer', 'resnet'),
]


@pytest.mark.parametrize('module, name, home', EXTRA_NAMES)
def test_names_imported_from_variant_modules(module, name, home):
    prefix = 'mmpose.models.backbones.'
    value = getattr(importlib.import_module(prefix + module), name)
    assert value is getattr(importlib.import_module(prefix + home), name)
