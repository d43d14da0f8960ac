"""DistributedDataParallelWrapper on CPU, in a one-process gloo group."""
import copy
import sys
from pathlib import Path

import pytest
import torch
import torch.distributed as dist
import torch.nn as nn
from mmcv.parallel import DataContainer, is_module_wrapper
from mmcv.runner.checkpoint import get_state_dict

from mmpose.core.distributed_wrapper import (CompatDistributedDataParallel,
                                             DistributedDataParallelWrapper)
from mmpose.utils import ArgumentError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from toy_adversarial import ToyAdversarialModel, sgd_optimizers  # noqa: E402

LR = dict(generator=0.1, discriminator=0.05)


class ToyGAN(ToyAdversarialModel):
    """With children that must stay unwrapped."""

    def __init__(self):
        super().__init__()
        self.act = nn.ReLU()
        self.frozen = nn.Linear(2, 2).requires_grad_(False)
        self.absent = None


@pytest.fixture
def one_process_group(tmp_path):
    dist.init_process_group(
        'gloo', init_method=f'file://{tmp_path / "pg"}', rank=0, world_size=1)
    yield
    dist.destroy_process_group()


def test_children_with_trainable_parameters_get_their_own_ddp(
        one_process_group):
    model = ToyGAN()
    wrapper = DistributedDataParallelWrapper(
        model, device_ids=None, find_unused_parameters=True)
    assert is_module_wrapper(wrapper) and wrapper.module is model
    assert isinstance(model.generator, nn.parallel.DistributedDataParallel)
    assert isinstance(model.discriminator, nn.parallel.DistributedDataParallel)
    assert model.generator.find_unused_parameters
    assert not model.generator.broadcast_buffers
    # No parameters, or frozen ones only: nothing to synchronise.
    assert isinstance(model.act, nn.ReLU)
    assert type(model.frozen) is nn.Linear and model.absent is None
    # Checkpoints keep the unwrapped model's keys.
    assert list(get_state_dict(wrapper)) == list(ToyGAN().state_dict())


def test_steps_unpack_data_containers_and_train_as_unwrapped(
        one_process_group):
    reference = ToyGAN()
    model = copy.deepcopy(reference)
    wrapper = DistributedDataParallelWrapper(model, device_ids=None)
    ref_opt, opt = sgd_optimizers(reference, LR), sgd_optimizers(model, LR)
    target = torch.tensor([[1.], [-2.]])
    batches = [
        torch.arange(24.).reshape(2, 3, 2, 2) / 24 * (i + 1) for i in range(3)
    ]
    for img in batches:
        expected = reference.train_step(
            dict(img=img, target=target), ref_opt)
        got = wrapper.train_step(
            dict(img=DataContainer(img, stack=True), target=target), opt)
        assert got['log_vars'] == pytest.approx(
            expected['log_vars'], rel=1e-6)
    for name, value in reference.state_dict().items():
        torch.testing.assert_close(get_state_dict(wrapper)[name], value)
    img = batches[0]
    torch.testing.assert_close(
        wrapper(DataContainer(img, stack=True)), reference(img))
    torch.testing.assert_close(
        wrapper.val_step(dict(img=DataContainer(img, stack=True))),
        reference(img))
    # scatter unpacks the containers for one target device per input.
    inputs, kwargs = wrapper.scatter((DataContainer(img, stack=True), ),
                                     dict(x=img), [-1])
    assert torch.equal(inputs[0][0], img) and torch.equal(kwargs[0]['x'], img)


def test_compat_ddp_forward_and_steps_unpack_data_containers(
        one_process_group):
    # mmcv 1.7's own forward fails on PyTorch 2 (a removed attribute).
    reference = ToyGAN()
    ddp = CompatDistributedDataParallel(copy.deepcopy(reference))
    img = torch.arange(24.).reshape(2, 3, 2, 2)
    torch.testing.assert_close(
        ddp(DataContainer(img, stack=True)), reference(img))
    torch.testing.assert_close(
        ddp.val_step(dict(img=DataContainer(img, stack=True))),
        reference(img))
    opt = sgd_optimizers(ddp.module, LR)
    out = ddp.train_step(
        dict(img=DataContainer(img, stack=True), target=img[:, :1, 0, 0]),
        opt)
    expected = reference.train_step(
        dict(img=img, target=img[:, :1, 0, 0]), sgd_optimizers(reference, LR))
    assert out['log_vars'] == pytest.approx(expected['log_vars'], rel=1e-6)


def test_one_device_per_process():
    with pytest.raises(AssertionError, match='device_ids must have length 1'):
        DistributedDataParallelWrapper(ToyGAN(), device_ids=[0, 1])
    with pytest.raises(ArgumentError):
        DistributedDataParallelWrapper(ToyGAN(), device_ids=[])
