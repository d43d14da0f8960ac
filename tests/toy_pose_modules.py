"""A tiny model and dataset for the training/testing API tests.

They are registered (as ``ToyPoseModel`` in POSENETS and ``ToyPoseDataset`` in
DATASETS) only while a test runs: a test module takes the autouse fixture
``toy_modules_registered`` by importing it, so tests that walk a registry
never meet them. Tools run as subprocesses import ``toy_pose_plugin``
(``PYTHONPATH=tests`` plus ``custom_imports`` in :func:`toy_config`), which
registers them for that process.
"""
import json
import os.path as osp
from collections import OrderedDict

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmcv.parallel import DataContainer
from torch.utils.data import Dataset

from mmpose.datasets import DATASETS
from mmpose.models import POSENETS


class ToyPoseDataset(Dataset):
    """Item ``i``: a 3x4x4 image filled with ``i / n``, target ``i / n``.

    ``evaluate`` reports ``AP`` (the next value of ``ap_schedule`` if given,
    else ``1 - EPE``) and ``EPE`` (mean |pred - target|), and checks that the
    outputs arrive in dataset order.
    """

    def __init__(self,
                 num_samples=6,
                 ap_schedule=None,
                 test_mode=False,
                 pipeline=None):
        self.num_samples = num_samples
        self.ap_schedule = list(ap_schedule or [])
        self.test_mode = test_mode
        self.eval_calls = 0

    def __len__(self):
        return self.num_samples

    def __getitem__(self, idx):
        value = idx / self.num_samples
        return dict(
            img=torch.full((3, 4, 4), value),
            target=torch.tensor([value]),
            img_metas=DataContainer(dict(index=idx), cpu_only=True))

    def evaluate(self, outputs, res_folder, metric='AP', **kwargs):
        indices = [i for out in outputs for i in out['index']]
        preds = np.concatenate([out['preds'] for out in outputs])
        targets = np.array(indices, dtype=np.float64) / self.num_samples
        epe = float(np.abs(preds - targets).mean())
        with open(osp.join(res_folder, 'result_keypoints.json'), 'w') as f:
            json.dump(dict(index=indices), f)
        if self.eval_calls < len(self.ap_schedule):
            ap = self.ap_schedule[self.eval_calls]
        else:
            ap = 1.0 - epe
        self.eval_calls += 1
        return OrderedDict(
            AP=ap, EPE=epe, in_order=float(indices == sorted(indices)))


class ToyPoseModel(nn.Module):
    """Mean of the image through a 1x1 conv, BatchNorm and a linear layer."""

    def __init__(self, channels=3, pretrained=None):
        super().__init__()
        self.conv = nn.Conv2d(channels, 2, 1)
        self.bn = nn.BatchNorm2d(2)
        self.fc = nn.Linear(2, 1)

    def init_weights(self, pretrained=None):
        pass

    def _predict(self, img):
        feat = self.bn(self.conv(img)).mean(dim=(2, 3))
        return self.fc(feat)

    def forward(self, img, target=None, img_metas=None, return_loss=True):
        pred = self._predict(img)
        if return_loss:
            return dict(mse_loss=((pred - target)**2).mean())
        return dict(
            preds=pred[:, 0].detach().cpu().numpy().astype(np.float64),
            index=[meta['index'] for meta in img_metas])

    def train_step(self, data_batch, optimizer, **kwargs):
        losses = self.forward(**data_batch)
        loss = sum(losses.values())
        log_vars = OrderedDict(
            (name, value.item()) for name, value in losses.items())
        log_vars['loss'] = loss.item()
        return dict(
            loss=loss, log_vars=log_vars, num_samples=len(data_batch['img']))

    def val_step(self, data_batch, optimizer=None, **kwargs):
        return self.train_step(data_batch, optimizer)


_TOY_MODULES = ((DATASETS, ToyPoseDataset), (POSENETS, ToyPoseModel))


def register_toy_modules():
    """Register the toy classes (again) in their registries."""
    for registry, cls in _TOY_MODULES:
        registry.register_module(module=cls, force=True)


@pytest.fixture(autouse=True)
def toy_modules_registered():
    """Register the toy classes for one test, then take them out again."""
    register_toy_modules()
    yield
    for registry, cls in _TOY_MODULES:
        registry.module_dict.pop(cls.__name__, None)


def toy_config(work_dir, total_epochs=2, **overrides):
    """A complete training/testing config dict for the toy model."""
    cfg = dict(
        custom_imports=dict(imports=['toy_pose_plugin']),
        model=dict(type='ToyPoseModel'),
        data=dict(
            samples_per_gpu=2,
            workers_per_gpu=0,
            train=dict(type='ToyPoseDataset', num_samples=6),
            val=dict(type='ToyPoseDataset', num_samples=5),
            test=dict(type='ToyPoseDataset', num_samples=5)),
        optimizer=dict(type='SGD', lr=0.01, momentum=0.9),
        optimizer_config=dict(grad_clip=None),
        lr_config=dict(policy='step', step=[100]),
        checkpoint_config=dict(interval=1),
        log_config=dict(interval=1, hooks=[dict(type='TextLoggerHook')]),
        evaluation=dict(interval=1, metric='AP', key_indicator='AP'),
        total_epochs=total_epochs,
        dist_params=dict(backend='gloo'),
        log_level='INFO',
        load_from=None,
        resume_from=None,
        workflow=[('train', 1)],
        work_dir=str(work_dir),
        gpu_ids=[0],
        seed=0)
    cfg.update(overrides)
    return cfg


def train_toy(work_dir,
              distributed=False,
              validate=False,
              timestamp='20260101_000000',
              **overrides):
    """Train the toy model of ``toy_config(work_dir, **overrides)`` with
    ``train_model``; returns ``(cfg, model)``."""
    import mmcv

    from mmpose.apis import train_model
    from mmpose.datasets import build_dataset
    from mmpose.models import build_posenet
    cfg = mmcv.Config(toy_config(work_dir, **overrides))
    model = build_posenet(cfg.model)
    train_model(
        model,
        build_dataset(cfg.data.train),
        cfg,
        distributed=distributed,
        validate=validate,
        timestamp=timestamp,
        meta=dict())
    return cfg, model
