"""``use_adversarial_train`` as 0.14's mesh configs use it in train_model.

The model steps its own optimizers (one per sub-module) in ``train_step``;
train_model registers no optimizer hook and, when distributed, wraps the
model in DistributedDataParallelWrapper (one DDP per sub-module).
"""
import sys
from pathlib import Path

import mmcv
import pytest
import torch
import torch.distributed as dist
import torch.nn as nn
from mmcv.runner.checkpoint import get_state_dict

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
from toy_adversarial import ToyAdversarialModel, sgd_optimizers  # noqa
from toy_pose_modules import (ToyPoseDataset, toy_config,  # noqa: E402
                              toy_modules_registered)

from mmpose.apis import train_model  # noqa: E402
from mmpose.models import POSENETS  # noqa: E402

__all__ = ['toy_modules_registered']
LR = dict(generator=0.1, discriminator=0.05)


@pytest.fixture
def adversarial_model_registered(fresh_mmpose_logger, monkeypatch):
    import mmcv.runner.epoch_based_runner as ebr
    monkeypatch.setattr(ebr.time, 'sleep', lambda seconds: None)
    POSENETS.register_module(module=ToyAdversarialModel, force=True)
    yield
    POSENETS.module_dict.pop('ToyAdversarialModel', None)


def _reference(epochs):
    """The same training written out: one full batch per epoch."""
    model = ToyAdversarialModel()
    optimizers = sgd_optimizers(model, LR)
    dataset = ToyPoseDataset(num_samples=6)
    batch = dict(
        img=torch.stack([dataset[i]['img'] for i in range(6)]),
        target=torch.stack([dataset[i]['target'] for i in range(6)]))
    for _ in range(epochs):
        model.train_step(batch, optimizers)
    return model.state_dict()


def _config(tmp_path):
    return mmcv.Config(
        toy_config(
            tmp_path,
            total_epochs=2,
            model=dict(type='ToyAdversarialModel'),
            data=dict(
                samples_per_gpu=6,
                workers_per_gpu=0,
                train=dict(type='ToyPoseDataset', num_samples=6)),
            optimizer={
                name: dict(type='SGD', lr=lr)
                for name, lr in LR.items()
            },
            optimizer_config=None,
            lr_config=dict(policy='fixed'),
            use_adversarial_train=True))


def _train(cfg, distributed):
    model = ToyAdversarialModel()
    dataset = ToyPoseDataset(num_samples=6)
    train_model(model, dataset, cfg, distributed, timestamp='adv', meta={})
    return model


def test_adversarial_train_steps_the_models_own_optimizers(
        tmp_path, adversarial_model_registered):
    model = _train(_config(tmp_path), distributed=False)
    expected = _reference(epochs=2)
    for name, value in get_state_dict(model).items():
        torch.testing.assert_close(value, expected[name])
    # The weights moved: no optimizer hook stepped them a second time with
    # zero gradients, and they are not the initial ones.
    assert not torch.equal(expected['generator.weight'],
                           ToyAdversarialModel().generator.weight)
    ckpt = torch.load(tmp_path / 'epoch_2.pth')
    assert set(ckpt['optimizer']) == {'generator', 'discriminator'}


def test_distributed_adversarial_train_wraps_each_sub_module(
        tmp_path, adversarial_model_registered):
    dist.init_process_group(
        'gloo', init_method=f'file://{tmp_path / "pg"}', rank=0,
        world_size=1)
    try:
        model = _train(_config(tmp_path / 'work'), distributed=True)
    finally:
        dist.destroy_process_group()
    assert isinstance(model.generator, nn.parallel.DistributedDataParallel)
    assert isinstance(model.discriminator,
                      nn.parallel.DistributedDataParallel)
    expected = _reference(epochs=2)
    state = get_state_dict(model)
    assert set(state) == set(expected)
    for name, value in state.items():
        torch.testing.assert_close(value, expected[name])
    saved = torch.load(tmp_path / 'work' / 'epoch_2.pth')['state_dict']
    assert set(saved) == set(expected)
