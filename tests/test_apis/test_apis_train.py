import json
import os
import sys
from pathlib import Path

import mmcv
import pytest
import torch
from mmcv.runner import load_checkpoint

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from toy_pose_modules import (ToyPoseModel, toy_config,  # noqa: E402,F401
                              toy_modules_registered, train_toy)

from mmpose.apis import train_model  # noqa: E402
from mmpose.apis.train import AtomicCheckpointRunner  # noqa: E402
from mmpose.datasets import build_dataset  # noqa: E402
from mmpose.models import build_posenet  # noqa: E402


@pytest.fixture(autouse=True)
def no_epoch_pause(monkeypatch):
    """Skip the 2 s pause mmcv's runner takes at every epoch start."""
    import mmcv.runner.epoch_based_runner as ebr
    monkeypatch.setattr(ebr.time, 'sleep', lambda seconds: None)


def _train(work_dir, validate=False, timestamp='20260101_000000', **kw):
    return train_toy(work_dir, validate=validate, timestamp=timestamp, **kw)


def _json_log(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def test_train_model_writes_log_and_checkpoints(tmp_path):
    _, model = _train(tmp_path, total_epochs=1)
    files = set(os.listdir(tmp_path))
    assert {'epoch_1.pth', 'latest.pth', '20260101_000000.log.json'} <= files
    # No temporary files are left behind by the atomic saving.
    assert not [f for f in files if f.endswith('.tmp')]
    assert os.readlink(tmp_path / 'latest.pth') == 'epoch_1.pth'
    records = [
        r for r in _json_log(tmp_path / '20260101_000000.log.json')
        if r.get('mode') == 'train'
    ]
    # 6 samples, 2 per batch: 3 iterations, each logged (interval=1).
    assert [r['iter'] for r in records] == [1, 2, 3]
    assert all('loss' in r and 'lr' in r for r in records)
    ckpt = torch.load(tmp_path / 'epoch_1.pth')
    assert ckpt['meta']['epoch'] == 1 and ckpt['meta']['iter'] == 3
    assert 'optimizer' in ckpt
    # The checkpoint holds the trained weights (MMDataParallel prefix gone).
    reloaded = ToyPoseModel()
    load_checkpoint(reloaded, str(tmp_path / 'epoch_1.pth'), strict=True)
    for key, value in model.state_dict().items():
        torch.testing.assert_close(reloaded.state_dict()[key], value.cpu())


def test_train_model_validates_resumes_and_keeps_one_best(tmp_path):
    _train(tmp_path, validate=True, total_epochs=2, timestamp='a')
    val = [
        r for r in _json_log(tmp_path / 'a.log.json') if r.get('mode') == 'val'
    ]
    assert [r['epoch'] for r in val] == [1, 2]
    assert all({'AP', 'EPE'} <= set(r) and r['in_order'] == 1 for r in val)
    best_ap = max(r['AP'] for r in val)
    best_epoch = 1 + [r['AP'] for r in val].index(best_ap)
    bests = [f for f in os.listdir(tmp_path) if f.startswith('best_')]
    assert bests == [f'best_AP_epoch_{best_epoch}.pth']
    meta = torch.load(tmp_path / 'epoch_2.pth')['meta']
    # Evaluation ran before the epoch checkpoint, which therefore records it.
    assert meta['hook_msgs']['best_score'] == pytest.approx(best_ap, abs=1e-4)

    _train(
        tmp_path,
        validate=True,
        total_epochs=3,
        timestamp='b',
        resume_from=str(tmp_path / 'epoch_2.pth'))
    records = _json_log(tmp_path / 'b.log.json')
    assert {r['epoch'] for r in records if 'mode' in r} == {3}
    ap3 = [r['AP'] for r in records if r.get('mode') == 'val'][0]
    bests = [f for f in os.listdir(tmp_path) if f.startswith('best_')]
    hook_msgs = torch.load(tmp_path / 'epoch_3.pth')['meta']['hook_msgs']
    assert bests == [os.path.basename(hook_msgs['best_ckpt'])]
    assert hook_msgs['best_score'] == pytest.approx(
        max(best_ap, ap3), abs=1e-4)


def test_train_model_load_from_starts_at_epoch_one(tmp_path):
    _train(tmp_path / 'first', total_epochs=1)
    cfg, model = _train(
        tmp_path / 'second',
        total_epochs=1,
        timestamp='t',
        load_from=str(tmp_path / 'first' / 'epoch_1.pth'),
        optimizer=dict(type='SGD', lr=0.0, momentum=0.0))
    # lr 0: the weights are exactly the loaded ones (load_from, not resume).
    first = torch.load(tmp_path / 'first' / 'epoch_1.pth')['state_dict']
    for key, value in model.state_dict().items():
        if not key.startswith('bn.'):  # running stats still update
            torch.testing.assert_close(value.cpu(), first[key])
    assert os.path.exists(tmp_path / 'second' / 'epoch_1.pth')


def test_atomic_checkpoint_survives_a_failed_write(tmp_path, monkeypatch):
    cfg, _ = _train(tmp_path, total_epochs=1)
    before = (tmp_path / 'epoch_1.pth').read_bytes()
    model = ToyPoseModel()
    runner = AtomicCheckpointRunner(
        model,
        optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
        work_dir=str(tmp_path),
        logger=mmcv.get_logger('toy'),
        max_epochs=1)

    def crash(obj, f, *args, **kwargs):
        f.write(b'half a checkpoint')
        raise OSError('disk full')

    monkeypatch.setattr(torch, 'save', crash)
    with pytest.raises(OSError, match='disk full'):
        runner.save_checkpoint(str(tmp_path))
    monkeypatch.undo()
    assert (tmp_path / 'epoch_1.pth').read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == sorted(
        ['epoch_1.pth', 'latest.pth', '20260101_000000.log.json'])


def test_train_model_requires_epochs(tmp_path):
    cfg = mmcv.Config(toy_config(tmp_path))
    cfg.pop('total_epochs')
    with pytest.raises(KeyError, match='total_epochs'):
        train_model(
            build_posenet(cfg.model), build_dataset(cfg.data.train), cfg)


def test_fp16_config_selects_fp16_optimizer_hook(tmp_path):
    from mmpose.apis.train import _optimizer_hook_config
    from mmpose.core.fp16 import Fp16OptimizerHook
    cfg = mmcv.Config(
        toy_config(
            tmp_path,
            fp16=dict(loss_scale=256.0),
            optimizer_config=dict(grad_clip=dict(max_norm=1.0))))
    hook = _optimizer_hook_config(cfg, distributed=False)
    assert isinstance(hook, Fp16OptimizerHook)
    assert hook.grad_clip == dict(max_norm=1.0)
    assert not hook.distributed and hook.loss_scale == 256.0


def test_train_model_runs_a_train_val_workflow(tmp_path):
    cfg = mmcv.Config(
        toy_config(
            tmp_path, total_epochs=1, workflow=[('train', 1), ('val', 1)]))
    datasets = [
        build_dataset(cfg.data.train),
        build_dataset(dict(type='ToyPoseDataset', num_samples=4))
    ]
    train_model(
        build_posenet(cfg.model), datasets, cfg, timestamp='wf', meta=dict())
    records = _json_log(tmp_path / 'wf.log.json')
    modes = [r['mode'] for r in records if 'mode' in r]
    # 3 training iterations logged one by one, then one validation record.
    assert modes == ['train'] * 3 + ['val']
    assert 'loss' in records[-1]
