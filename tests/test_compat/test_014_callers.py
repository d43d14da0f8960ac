"""User objects written for MMPose 0.14 are called the way 0.14 called them.

A 0.14 dataset may name ``evaluate``'s second parameter anything (here
``work_dir``, as 0.14's own EvalHook passed ``runner.work_dir``) and need not
accept ``res_folder=`` or ``metric=``: the evaluation hooks call
``evaluate(results, runner.work_dir, logger=runner.logger, **eval_kwargs)``
and ``tools/test.py`` calls ``evaluate(outputs, work_dir, **eval_config)``,
both positionally.
"""
import sys
from pathlib import Path

import mmcv
import pytest
import torch
from mmcv.parallel import MMDataParallel

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
sys.path.insert(0, str(TESTS))
# 0.14's tools are imported as ``tools.<name>`` from the repository root.
sys.path.insert(0, str(REPO))
from toy_pose_modules import (ToyPoseDataset, ToyPoseModel,  # noqa: E402
                              toy_config, toy_modules_registered)

from mmpose.apis.train import AtomicCheckpointRunner  # noqa: E402
from mmpose.core.evaluation import DistEvalHook, EvalHook  # noqa: E402
from mmpose.datasets import DATASETS, build_dataloader  # noqa: E402

__all__ = ['toy_modules_registered']


class Pose014Dataset(ToyPoseDataset):
    """A dataset as written for 0.14: positional folder, ``logger`` only."""

    calls = []

    def evaluate(self, results, work_dir, logger=None):
        type(self).calls.append((work_dir, logger))
        return super().evaluate(results, work_dir)


@pytest.fixture
def pose014_registered():
    Pose014Dataset.calls = []
    DATASETS.register_module(module=Pose014Dataset, force=True)
    yield
    DATASETS.module_dict.pop('Pose014Dataset', None)


@pytest.fixture(autouse=True)
def no_epoch_pause(monkeypatch):
    import mmcv.runner.epoch_based_runner as ebr
    monkeypatch.setattr(ebr.time, 'sleep', lambda seconds: None)


def _loader(dataset):
    return build_dataloader(
        dataset, 1, 0, dist=False, shuffle=False, drop_last=False)


@pytest.mark.parametrize('hook_type', [EvalHook, DistEvalHook])
def test_eval_hooks_pass_the_work_dir_positionally(tmp_path, hook_type,
                                                   pose014_registered):
    extra = dict(broadcast_bn_buffer=False) if hook_type is DistEvalHook \
        else {}
    hook = hook_type(_loader(Pose014Dataset(num_samples=3)), **extra)
    model = ToyPoseModel()
    logger = mmcv.get_logger('pose014_hook_test')
    runner = AtomicCheckpointRunner(
        MMDataParallel(model, device_ids=None),
        optimizer=torch.optim.SGD(model.parameters(), lr=0.0),
        work_dir=str(tmp_path),
        logger=logger,
        meta=dict(),
        max_epochs=1)
    runner.register_training_hooks(dict(policy='fixed'),
                                   dict(grad_clip=None))
    runner.register_hook(hook, priority='ABOVE_NORMAL')
    runner.run([_loader(ToyPoseDataset(num_samples=2))], [('train', 1)])
    assert Pose014Dataset.calls == [(str(tmp_path), logger)]
    # The result files land in the work dir, as in 0.14.
    assert (tmp_path / 'result_keypoints.json').is_file()
    assert (tmp_path / 'best_AP_epoch_1.pth').is_file()


def test_test_tool_passes_the_work_dir_positionally(tmp_path,
                                                    pose014_registered,
                                                    fresh_mmpose_logger):
    from tools.test import main
    cfg = toy_config(tmp_path / 'unused')
    cfg['data']['test'] = dict(type='Pose014Dataset', num_samples=3)
    # No metric: this dataset's evaluate takes none (as in 0.14, a metric
    # from the config or --eval would be passed on as metric=...).
    cfg['evaluation'] = dict(interval=1, key_indicator='AP')
    config = tmp_path / 'pose014_cfg.py'
    mmcv.Config(cfg).dump(str(config))
    checkpoint = tmp_path / 'toy.pth'
    torch.save(dict(state_dict=ToyPoseModel().state_dict()), checkpoint)
    work_dir = tmp_path / 'eval'
    results = main([str(config), str(checkpoint), '--work-dir',
                    str(work_dir)])
    assert Pose014Dataset.calls == [(str(work_dir), None)]
    assert results['in_order'] == 1.0
    assert (work_dir / 'result_keypoints.json').is_file()


def test_train_tool_adds_new_cfg_option_keys(tmp_path, fresh_mmpose_logger):
    """0.14 users fine-tune with keys their config file does not set."""
    from tools.train import main
    cfg = toy_config(tmp_path / 'unused', total_epochs=2)
    for key in ('work_dir', 'seed', 'gpu_ids'):
        cfg.pop(key)
    config = tmp_path / 'toy_cfg.py'
    mmcv.Config(cfg).dump(str(config))
    work_dir = tmp_path / 'work'
    main([
        str(config), '--work-dir',
        str(work_dir), '--no-validate', '--cfg-options',
        'checkpoint_config.max_keep_ckpts=1', 'optimizer.weight_decay=0.5'
    ])
    dumped = mmcv.Config.fromfile(str(work_dir / 'toy_cfg.py'))
    assert dumped.checkpoint_config.max_keep_ckpts == 1
    assert dumped.optimizer.weight_decay == 0.5
    # max_keep_ckpts=1 took effect: the first epoch's checkpoint is gone.
    checkpoints = sorted(p.name for p in work_dir.glob('epoch_*.pth'))
    assert checkpoints == ['epoch_2.pth']
