import logging

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmcv.runner import EpochBasedRunner

from mmpose.core.fp16 import (Fp16OptimizerHook, auto_fp16, cast_tensor_type,
                              force_fp32, wrap_fp16_model)


class _TinyNet(nn.Module):
    """Linear -> BatchNorm1d -> Linear; loss = mean square of the output."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.fc1 = nn.Linear(4, 8)
        self.bn = nn.BatchNorm1d(8)
        self.fc2 = nn.Linear(8, 1)
        self.fp16_enabled = False
        self.seen_dtypes = []

    @auto_fp16(apply_to=('x', ))
    def forward(self, x):
        self.seen_dtypes.append(x.dtype)
        return self.fc2(self.bn(self.fc1(x)))

    @force_fp32(apply_to=('out', ))
    def loss(self, out):
        self.seen_dtypes.append(out.dtype)
        return (out**2).mean()

    def train_step(self, data_batch, optimizer, **kwargs):
        loss = self.loss(self(data_batch))
        return dict(
            loss=loss, log_vars=dict(loss=loss.item()), num_samples=4)


def _runner(model, tmp_path, lr=0.1):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    return EpochBasedRunner(
        model,
        optimizer=optimizer,
        work_dir=str(tmp_path),
        logger=logging.getLogger('fp16-test'),
        max_iters=None,
        max_epochs=1)


def _data(n=3):
    g = torch.Generator().manual_seed(1)
    return [torch.randn(4, 4, generator=g) for _ in range(n)]


def test_cast_tensor_type_recurses():
    inputs = dict(
        a=torch.ones(2), b=[torch.ones(1), 'text', np.ones(1)],
        c=torch.ones(1, dtype=torch.int64))
    out = cast_tensor_type(inputs, torch.float, torch.half)
    assert out['a'].dtype == torch.half
    assert out['b'][0].dtype == torch.half and out['b'][1] == 'text'
    assert isinstance(out['b'][2], np.ndarray)
    assert out['c'].dtype == torch.int64


def test_decorators_act_only_when_enabled():
    model = _TinyNet()
    x = torch.randn(4, 4)
    model.loss(model(x))
    assert model.seen_dtypes == [torch.float, torch.float]
    wrap_fp16_model(model)
    model.seen_dtypes.clear()
    model.loss(model(x))
    assert model.seen_dtypes == [torch.half, torch.float]


def test_wrap_keeps_norm_layers_fp32():
    model = _TinyNet()
    wrap_fp16_model(model)
    assert model.fc1.weight.dtype == torch.half
    assert model.bn.weight.dtype == torch.float
    assert model.bn.running_mean.dtype == torch.float
    out = model(torch.randn(4, 4))
    assert out.dtype == torch.half
    assert model.fp16_enabled


def test_static_scale_updates_fp32_master_like_fp32_sgd(tmp_path):
    data = _data()
    reference = _TinyNet()
    ref_opt = torch.optim.SGD(reference.parameters(), lr=0.1)
    for batch in data:
        ref_opt.zero_grad()
        reference.loss(reference(batch)).backward()
        ref_opt.step()

    model = _TinyNet()
    runner = _runner(model, tmp_path)
    hook = Fp16OptimizerHook(loss_scale=512., distributed=False)
    runner.register_hook(hook)
    runner.run([data], [('train', 1)])

    master = [p for g in runner.optimizer.param_groups for p in g['params']]
    assert all(p.dtype == torch.float for p in master)
    # the model's weights are the fp16 copies of the master weights
    for fp16_param, fp32_param in zip(model.parameters(), master):
        if fp16_param.dtype == torch.half:
            assert torch.equal(fp16_param.data, fp32_param.data.half())
    # the fp32 master follows the fp32 run up to fp16 rounding of activations
    for fp32_param, ref_param in zip(master, reference.parameters()):
        np.testing.assert_allclose(
            fp32_param.detach().numpy(), ref_param.detach().numpy(),
            atol=2e-2)
    assert hook.loss_scale == 512.


def test_dynamic_scale_skips_overflow_and_lowers_scale(tmp_path):
    model = _TinyNet()
    runner = _runner(model, tmp_path)
    hook = Fp16OptimizerHook(
        loss_scale=dict(init_scale=2.**20, mode='dynamic', scale_window=2),
        distributed=False)
    runner.register_hook(hook)
    runner.call_hook('before_run')
    master = [p for g in runner.optimizer.param_groups for p in g['params']]
    before = [p.detach().clone() for p in master]

    # a loss of 1e3 times 2**20 overflows fp16 gradients (max 65504)
    x = torch.full((4, 4), 30.)
    runner.outputs = runner.model.train_step(x, runner.optimizer)
    hook.after_train_iter(runner)
    assert hook.loss_scale == 2.**19
    assert all(torch.equal(a, b) for a, b in zip(before, master))

    # a small input at a small scale gives finite grads: the step is taken
    hook.loss_scaler.cur_scale = 4.
    runner.outputs = runner.model.train_step(
        torch.randn(4, 4) * 0.1, runner.optimizer)
    hook.after_train_iter(runner)
    assert any(not torch.equal(a, b) for a, b in zip(before, master))


def test_bad_loss_scale():
    with pytest.raises(ValueError, match='loss_scale'):
        Fp16OptimizerHook(loss_scale='auto')
