"""Behaviour shared through ``MobileBackbone``: freezing, norm_eval,
with_cp, init and errors, checked on each of its backbones."""
import pytest
import torch
import torch.nn as nn
from backbone_checks import (all_frozen, assert_init_from_checkpoint,
                             assert_with_cp_matches, norms_in_eval)
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.models.backbones import (MobileNetV2, MobileNetV3, ShuffleNetV1,
                                     ShuffleNetV2)
from mmpose.models.backbones.base_mobile import (check_stage_args,
                                                 checkpointed)

# (class, kwargs making it small, number of stages)
FAMILIES = [
    (MobileNetV2, dict(widen_factor=0.25), 8),
    (MobileNetV3, dict(arch='small'), 11),
    (ShuffleNetV1, dict(groups=1, widen_factor=0.25), 3),
    (ShuffleNetV2, dict(widen_factor=0.5), 4),
]
IDS = [cls.__name__ for cls, _, _ in FAMILIES]


@pytest.mark.parametrize('cls,kwargs,num_stages', FAMILIES, ids=IDS)
def test_frozen_stages(cls, kwargs, num_stages):
    model = cls(frozen_stages=2, **kwargs)
    model.init_weights()
    model.train()
    stages = model._stages()
    assert len(stages) == num_stages
    assert all_frozen(model.conv1)
    for stage in stages[:2]:
        assert all_frozen(stage)
    for stage in stages[2:]:
        assert stage.training
        assert all(p.requires_grad for p in stage.parameters())

    # -1 freezes nothing, not even the stem
    model = cls(frozen_stages=-1, **kwargs)
    model.train()
    assert all(p.requires_grad for p in model.parameters())


@pytest.mark.parametrize('cls,kwargs,num_stages', FAMILIES, ids=IDS)
def test_norm_eval(cls, kwargs, num_stages):
    model = cls(norm_eval=True, **kwargs)
    model.train()
    assert norms_in_eval(model)
    assert model.training
    model = cls(norm_eval=False, **kwargs)
    model.train()
    assert all(m.training for m in model.modules()
               if isinstance(m, _BatchNorm))


@pytest.mark.parametrize('cls,kwargs,num_stages', FAMILIES, ids=IDS)
def test_with_cp(cls, kwargs, num_stages):
    assert_with_cp_matches(lambda with_cp: cls(with_cp=with_cp, **kwargs),
                           torch.randn(2, 3, 16, 16))


@pytest.mark.parametrize('cls,kwargs,num_stages', FAMILIES, ids=IDS)
def test_init_weights(cls, kwargs, num_stages, tmp_path):
    model = cls(**kwargs)
    model.init_weights()
    for m in model.modules():
        if isinstance(m, _BatchNorm):
            assert torch.all(m.weight == 1)
            assert torch.all(m.running_mean == 0)
    assert_init_from_checkpoint(lambda: cls(**kwargs), tmp_path)
    with pytest.raises(TypeError, match='pretrained'):
        model.init_weights(pretrained=1)
    with pytest.raises(FileNotFoundError):
        model.init_weights(pretrained=str(tmp_path / 'missing.pth'))


@pytest.mark.parametrize('cls,kwargs,num_stages', FAMILIES, ids=IDS)
def test_out_indices(cls, kwargs, num_stages):
    model = cls(out_indices=tuple(range(num_stages)), **kwargs)
    model.eval()
    outs = model(torch.rand(1, 3, 32, 32))
    assert isinstance(outs, tuple) and len(outs) == num_stages
    # a single index gives the tensor itself
    out = cls(out_indices=(0, ), **kwargs).eval()(torch.rand(1, 3, 32, 32))
    assert isinstance(out, torch.Tensor)
    assert out.shape == outs[0].shape

    with pytest.raises(ValueError, match='out_indices'):
        cls(out_indices=(num_stages, ), **kwargs)
    with pytest.raises(ValueError, match='frozen_stages'):
        cls(frozen_stages=num_stages + 1, **kwargs)


def test_check_stage_args():
    check_stage_args('Net', (0, 2), 1, 3)
    check_stage_args('Net', (-1, ), -1, 3, allow_negative=True)
    with pytest.raises(ValueError, match=r'Net: .*out_indices.*range\(0, 3\)'):
        check_stage_args('Net', (-1, ), -1, 3)
    with pytest.raises(ValueError, match=r'frozen_stages.*range\(-1, 2\)'):
        check_stage_args('Net', (0, ), 2, 3, num_frozen=2)


def test_checkpointed_skips_without_grad():
    calls = []

    def inner(x):
        calls.append(torch.is_grad_enabled())
        return x * x

    x = torch.full((2, ), 3.)
    assert torch.equal(checkpointed(inner, x, with_cp=True), x * x)
    y = torch.ones(2, requires_grad=True)
    checkpointed(inner, y, with_cp=True).sum().backward()
    assert torch.equal(y.grad, torch.full((2, ), 2.))
    # no-grad input runs once; checkpointed input runs forward + recompute
    assert len(calls) == 3


def test_frozen_stem_keeps_running_stats():
    model = MobileNetV2(widen_factor=0.25, frozen_stages=0)
    model.train()
    before = model.conv1.bn.running_mean.clone()
    model(torch.rand(2, 3, 16, 16))
    assert torch.equal(model.conv1.bn.running_mean, before)
    assert isinstance(model.conv1.conv, nn.Conv2d)
