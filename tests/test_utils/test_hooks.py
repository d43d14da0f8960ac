"""OutputHook records named sub-module outputs; rgetattr follows dotted
paths."""
import numpy as np
import pytest
import torch
import torch.nn as nn

from mmpose.utils.hooks import OutputHook, rgetattr


class _Split(nn.Module):

    def forward(self, x):
        return [x, x * 2]


class _Model(nn.Sequential):
    """Linear, ReLU, a list-valued layer; ``head`` is outside the chain."""

    def __init__(self):
        super().__init__(nn.Linear(3, 4), nn.ReLU(), _Split())
        self.head = nn.Sequential(nn.Linear(4, 2))

    def forward(self, x):
        return self[2](self[1](self[0](x)))


def _model():
    return _Model()


def test_rgetattr():
    model = _model()
    assert rgetattr(model, 'head.0') is model.head[0]
    assert rgetattr(model, 'head.0.weight') is model.head[0].weight
    assert rgetattr(model, 'head.missing', None) is None
    with pytest.raises(AttributeError):
        rgetattr(model, 'head.missing')


def test_output_hook_records_numpy_and_lists():
    model = _model()
    x = torch.randn(2, 3)
    with OutputHook(model, outputs=['0', '1', '2']) as hook:
        model(x)
    first = model[0](x).detach().numpy()
    assert isinstance(hook.layer_outputs['0'], np.ndarray)
    np.testing.assert_allclose(hook.layer_outputs['0'], first, rtol=1e-6)
    np.testing.assert_allclose(hook.layer_outputs['1'],
                               np.maximum(first, 0), rtol=1e-6)
    relu = np.maximum(first, 0)
    assert len(hook.layer_outputs['2']) == 2
    np.testing.assert_allclose(hook.layer_outputs['2'][1], relu * 2,
                               rtol=1e-6)
    # removed on exit: a later forward records nothing new
    hook.layer_outputs.clear()
    model(x)
    assert hook.layer_outputs == {}


def test_output_hook_as_tensor_and_missing_module():
    model = _model()
    with OutputHook(model, outputs=('head.0', ), as_tensor=True) as hook:
        out = model.head(torch.randn(2, 4))
    assert hook.layer_outputs['head.0'] is out
    with pytest.raises(AttributeError, match='no module named'):
        OutputHook(model, outputs=['backbone'])
    assert OutputHook(model).handles == []
