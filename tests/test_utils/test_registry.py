import pytest
from torch import nn

from mmpose.utils.registry import close_names, make_registry


def _registry():
    reg = make_registry('toy')

    @reg.register_module()
    class ResNet(nn.Module):

        def __init__(self, depth=18):
            super().__init__()
            self.depth = depth

    @reg.register_module()
    class ResNetV1d(ResNet):
        pass

    @reg.register_module()
    class HRNet(nn.Module):
        pass

    return reg


def test_build_known_type():
    reg = _registry()
    model = reg.build(dict(type='ResNet', depth=50))
    assert model.depth == 50


def test_unknown_type_names_registry_and_close_names():
    reg = _registry()
    with pytest.raises(KeyError) as err:
        reg.build(dict(type='ResNit'))
    message = str(err.value)
    assert '"ResNit"' in message
    assert 'toy registry' in message
    assert 'ResNet' in message


def test_unknown_type_without_close_names_lists_registered():
    reg = _registry()
    with pytest.raises(KeyError) as err:
        reg.build(dict(type='Zzzzz'))
    assert 'HRNet' in str(err.value) and 'ResNetV1d' in str(err.value)


def test_missing_type_and_non_dict():
    reg = _registry()
    with pytest.raises(KeyError, match='no "type" key'):
        reg.build(dict(depth=3))
    with pytest.raises(TypeError, match='must be a dict'):
        reg.build(['ResNet'])


def test_close_names_substring_fallback():
    reg = _registry()
    assert close_names('v1d', reg) == ['ResNetV1d']


def test_model_registries_explain_unknown_types():
    from mmpose.models import build_backbone, build_loss
    with pytest.raises(KeyError, match='backbone registry'):
        build_backbone(dict(type='NoSuchBackbone'))
    with pytest.raises(KeyError, match='loss registry'):
        build_loss(dict(type='NoSuchLoss'))
