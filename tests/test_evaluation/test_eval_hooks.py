import json
import os
import sys
from pathlib import Path

import mmcv
import pytest
import torch
from mmcv.parallel import MMDataParallel

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from toy_pose_modules import (ToyPoseDataset,  # noqa: E402,F401
                              ToyPoseModel, toy_modules_registered)

from mmpose.apis.train import AtomicCheckpointRunner  # noqa: E402
from mmpose.core.evaluation import DistEvalHook, EvalHook  # noqa: E402
from mmpose.datasets import build_dataloader  # noqa: E402


@pytest.fixture(autouse=True)
def no_epoch_pause(monkeypatch):
    """Skip the 2 s pause mmcv's runner takes at every epoch start."""
    import mmcv.runner.epoch_based_runner as ebr
    monkeypatch.setattr(ebr.time, 'sleep', lambda seconds: None)


def _loader(dataset, batch=2):
    return build_dataloader(
        dataset, batch, 0, dist=False, shuffle=False, drop_last=False)


def _run(work_dir, hook, epochs):
    model = ToyPoseModel()
    runner = AtomicCheckpointRunner(
        MMDataParallel(model, device_ids=None),
        optimizer=torch.optim.SGD(model.parameters(), lr=0.0),
        work_dir=str(work_dir),
        logger=mmcv.get_logger('eval_hook_test'),
        meta=dict(),
        max_epochs=epochs)
    runner.timestamp = 'log'
    runner.register_training_hooks(
        dict(policy='fixed'),
        dict(grad_clip=None),
        log_config=dict(interval=1, hooks=[dict(type='TextLoggerHook')]))
    runner.register_hook(hook, priority='ABOVE_NORMAL')
    runner.run([_loader(ToyPoseDataset(num_samples=4))], [('train', 1)])
    return runner


def _bests(work_dir):
    return sorted(f for f in os.listdir(work_dir) if f.startswith('best_'))


@pytest.mark.parametrize('key, rule', [('AP', 'greater'), ('AP .5', 'greater'),
                                       ('PCK', 'greater'), ('AUC', 'greater'),
                                       ('acc_pose', 'greater'),
                                       ('AR', 'greater'), ('EPE', 'less'),
                                       ('NME', 'less'), ('MPJPE', 'less'),
                                       ('P-MPJPE', 'less'),
                                       ('3DPCK', 'greater')])
def test_rule_is_inferred_from_the_key_indicator(key, rule):
    hook = EvalHook(_loader(ToyPoseDataset()), key_indicator=key)
    assert hook.rule == rule
    assert hook.compare_func(2, 1) == (rule == 'greater')


def test_unknown_indicator_and_bad_arguments_are_explained():
    loader = _loader(ToyPoseDataset())
    with pytest.raises(ValueError, match="'score_x'.*rule="):
        EvalHook(loader, key_indicator='score_x')
    # An explicit rule makes any indicator usable.
    assert EvalHook(
        loader, key_indicator='score_x', rule='less').rule == 'less'
    with pytest.raises(KeyError, match='rule must be one of'):
        EvalHook(loader, rule='bigger')
    with pytest.raises(ValueError, match='key_indicator'):
        EvalHook(loader, key_indicator=None)
    with pytest.raises(TypeError, match='DataLoader'):
        EvalHook(ToyPoseDataset())
    with pytest.raises(ValueError, match='interval'):
        DistEvalHook(loader, interval=0)
    # Without a best checkpoint no indicator is needed.
    assert EvalHook(loader, save_best=False, key_indicator=None).rule is None


def test_greater_rule_keeps_the_best_epoch_only(tmp_path):
    dataset = ToyPoseDataset(num_samples=5, ap_schedule=[0.2, 0.6, 0.4, 0.0])
    hook = EvalHook(_loader(dataset), interval=1, metric='mAP')
    runner = _run(tmp_path, hook, epochs=4)
    assert dataset.eval_calls == 4
    assert _bests(tmp_path) == ['best_AP_epoch_2.pth']
    assert runner.meta['hook_msgs']['best_score'] == 0.6
    ckpt = torch.load(tmp_path / 'best_AP_epoch_2.pth')
    assert ckpt['meta']['epoch'] == 2
    with open(tmp_path / 'log.log.json') as f:
        val = [json.loads(line) for line in f][1:]
    val = [r for r in val if r['mode'] == 'val']
    assert [r['AP'] for r in val] == [0.2, 0.6, 0.4, 0.0]
    assert all(r['in_order'] == 1.0 for r in val)


def test_less_rule_interval_and_zero_scores(tmp_path):
    # AP 0.0 at the first evaluation is still recorded as the best so far.
    dataset = ToyPoseDataset(num_samples=5, ap_schedule=[0.0, 0.5, 0.7])
    hook = EvalHook(
        _loader(dataset), interval=2, key_indicator='AP', rule='less')
    _run(tmp_path, hook, epochs=6)
    # Evaluated after epochs 2, 4 and 6 only.
    assert dataset.eval_calls == 3
    assert _bests(tmp_path) == ['best_AP_epoch_2.pth']


def test_epe_indicator_and_missing_indicator(tmp_path):
    dataset = ToyPoseDataset(num_samples=5)
    hook = EvalHook(_loader(dataset), key_indicator='EPE')
    runner = _run(tmp_path / 'epe', hook, epochs=1)
    assert hook.rule == 'less'
    assert _bests(tmp_path / 'epe') == ['best_EPE_epoch_1.pth']
    assert isinstance(runner.meta['hook_msgs']['best_score'], float)

    hook = EvalHook(_loader(dataset), key_indicator='PCKh')
    with pytest.raises(KeyError, match="'PCKh'.*'AP', 'EPE'"):
        _run(tmp_path / 'pckh', hook, epochs=1)


def test_save_best_false_only_logs(tmp_path):
    dataset = ToyPoseDataset(num_samples=3)
    _run(tmp_path, EvalHook(_loader(dataset), save_best=False), epochs=1)
    assert dataset.eval_calls == 1
    assert _bests(tmp_path) == []


def test_eval_hook_passes_the_work_dir_positionally(tmp_path):
    seen = {}

    class FolderDataset(ToyPoseDataset):

        def evaluate(self, outputs, res_folder, metric='AP', **kwargs):
            seen['res_folder'] = res_folder
            seen['kwargs'] = sorted(kwargs)
            return super().evaluate(outputs, res_folder, metric, **kwargs)

    hook = EvalHook(_loader(FolderDataset(num_samples=2)), foo=1)
    results = hook.test_fn(
        MMDataParallel(ToyPoseModel(), device_ids=None), hook.dataloader)

    class FakeRunner:
        logger = mmcv.get_logger('eval_hook_test')
        log_buffer = mmcv.runner.LogBuffer()
        work_dir = str(tmp_path)

    assert hook.evaluate(FakeRunner, results) == pytest.approx(
        FakeRunner.log_buffer.output['AP'])
    # As 0.14: evaluate(results, runner.work_dir, logger=..., **eval_kwargs).
    assert seen == dict(res_folder=str(tmp_path), kwargs=['foo', 'logger'])
    assert (tmp_path / 'result_keypoints.json').is_file()
    assert FakeRunner.log_buffer.ready
