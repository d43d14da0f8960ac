"""Helpers of the training-at-scale tests (DDP, resume, launchers).

A tiny top-down model without BatchNorm (so that 1 and 2 processes compute
the same thing: BN statistics would be per process), its config on a tiny COCO
dataset written by :func:`fixtures.write_coco_keypoint_dataset`, a free TCP
port and a spawn helper that never leaves processes behind.

The backbone is registered only while a test runs (a test module takes the
autouse fixture ``scale_modules_registered`` by importing it), so tests that
walk a registry never meet it; spawned workers call
:func:`register_scale_modules`, and tools run as subprocesses import
``scale_plugin`` (``PYTHONPATH=tests`` plus the ``custom_imports`` of
:func:`tiny_topdown_config`).
"""
import os
import socket

import pytest
import torch.multiprocessing as mp
import torch.nn as nn

from mmpose.models import BACKBONES


class TinyNoBNNet(nn.Module):
    """Two stride-2 3x3 convolutions with ReLU: output stride 4, no norm."""

    def __init__(self, in_channels=3, channels=8):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, channels, 3, 2, 1)
        self.conv2 = nn.Conv2d(channels, channels, 3, 2, 1)
        self.relu = nn.ReLU()

    def init_weights(self, pretrained=None):
        pass

    def forward(self, x):
        return self.relu(self.conv2(self.relu(self.conv1(x))))


def register_scale_modules():
    """Register :class:`TinyNoBNNet` in BACKBONES (again)."""
    BACKBONES.register_module(module=TinyNoBNNet, force=True)


@pytest.fixture(autouse=True)
def scale_modules_registered():
    """Register the test backbone for one test, then take it out again."""
    register_scale_modules()
    yield
    BACKBONES.module_dict.pop(TinyNoBNNet.__name__, None)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def spawn(target, world_size, args=(), timeout=240):
    """Run ``target(rank, world_size, *args)`` in ``world_size`` spawned
    processes; raise if one fails or they do not finish within ``timeout``
    seconds (all of them are terminated then)."""
    ctx = mp.get_context('spawn')
    procs = [
        ctx.Process(target=target, args=(rank, world_size) + tuple(args))
        for rank in range(world_size)
    ]
    for p in procs:
        p.start()
    try:
        for p in procs:
            p.join(timeout)
        codes = [p.exitcode for p in procs]
        if any(code != 0 for code in codes):
            raise RuntimeError(f'worker exit codes {codes} (None: timed out '
                               f'after {timeout}s)')
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
                p.join(10)


def set_dist_env(rank, world_size, port):
    """The variables torchrun sets, for ``init_dist('pytorch')``."""
    os.environ.update(
        RANK=str(rank),
        LOCAL_RANK=str(rank),
        WORLD_SIZE=str(world_size),
        MASTER_ADDR='127.0.0.1',
        MASTER_PORT=str(port))


REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYNTHETIC_CONFIG = os.path.join(REPO, 'configs', 'top_down', 'synthetic',
                                'res18_synthetic_coco_128x96.py')


def tiny_topdown_config(ann_file, img_prefix, work_dir, total_epochs=2,
                        samples_per_gpu=4, **overrides):
    """The synthetic-COCO top-down config (data pipelines, dataset settings,
    schedule keys) made tiny: TinyNoBNNet + a TopDownSimpleHead of one 1x1
    conv on 48x64 crops, the given COCO files, no random augmentation (the
    ``*Random*`` steps are removed) and no shuffling, Adam, logging every
    iteration, a checkpoint every epoch, gloo. Returns a plain dict."""
    import mmcv
    cfg = mmcv.Config.fromfile(SYNTHETIC_CONFIG)._cfg_dict.to_dict()
    data_cfg = dict(cfg['data_cfg'], image_size=[48, 64],
                    heatmap_size=[12, 16])
    splits = {}
    for split in ('train', 'val', 'test'):
        pipeline = [
            step for step in cfg['data'][split]['pipeline']
            if 'Random' not in step['type']
        ]
        splits[split] = dict(
            cfg['data'][split],
            ann_file=str(ann_file),
            img_prefix=str(img_prefix),
            data_cfg=data_cfg,
            pipeline=pipeline)
    cfg['model']['backbone'] = dict(type='TinyNoBNNet')
    cfg['model']['keypoint_head'].update(
        in_channels=8, num_deconv_layers=0, extra=dict(final_conv_kernel=1))
    cfg.update(
        custom_imports=dict(imports=['scale_plugin']),
        data=dict(
            samples_per_gpu=samples_per_gpu,
            workers_per_gpu=0,
            train_dataloader=dict(shuffle=False),
            val_dataloader=dict(samples_per_gpu=1),
            test_dataloader=dict(samples_per_gpu=1),
            **splits),
        optimizer=dict(type='Adam', lr=1e-2),
        lr_config=dict(policy='step', step=[1]),
        checkpoint_config=dict(interval=1),
        log_config=dict(interval=1, hooks=[dict(type='TextLoggerHook')]),
        evaluation=dict(interval=100, metric='mAP', key_indicator='AP'),
        total_epochs=total_epochs,
        dist_params=dict(backend='gloo'),
        work_dir=str(work_dir))
    for key in ('runner', 'data_root'):
        cfg.pop(key, None)
    cfg.update(overrides)
    return cfg


def read_log_json(path, mode='train'):
    """The ``mode`` records of a TextLoggerHook ``*.log.json``."""
    import json
    records = []
    with open(path) as f:
        for line in f:
            record = json.loads(line)
            if record.get('mode') == mode:
                records.append(record)
    return records
