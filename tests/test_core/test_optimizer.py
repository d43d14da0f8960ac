import pytest
import torch
import torch.nn as nn

from mmpose.core.optimizer import build_optimizers


class _TwoPart(nn.Module):

    def __init__(self):
        super().__init__()
        self.generator = nn.Linear(2, 2)
        self.discriminator = nn.Linear(2, 1)


def test_single_optimizer():
    model = _TwoPart()
    optimizer = build_optimizers(model, dict(type='SGD', lr=0.1))
    assert isinstance(optimizer, torch.optim.SGD)
    assert len(optimizer.param_groups[0]['params']) == 4


def test_one_optimizer_per_submodule():
    model = _TwoPart()
    optimizers = build_optimizers(
        model,
        dict(
            generator=dict(type='Adam', lr=1e-3),
            discriminator=dict(type='SGD', lr=0.1, momentum=0.9)))
    assert isinstance(optimizers['generator'], torch.optim.Adam)
    assert isinstance(optimizers['discriminator'], torch.optim.SGD)
    params = optimizers['discriminator'].param_groups[0]['params']
    assert params[0] is model.discriminator.weight


def test_unknown_submodule():
    with pytest.raises(AttributeError, match='critic'):
        build_optimizers(_TwoPart(), dict(critic=dict(type='SGD', lr=0.1)))
