"""TensorboardLoggerHook in a training run. ``tensorboard`` is an optional
extra (requirements/optional.txt): ``make install`` installs it and
``make test`` requires it; elsewhere the test is skipped without it."""
import sys
from pathlib import Path

import mmcv
import pytest

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
from scale_helpers import read_log_json  # noqa: E402
from toy_pose_modules import toy_config, toy_modules_registered  # noqa

pytestmark = pytest.mark.usefixtures('fresh_mmpose_logger')


def test_tensorboard_logger_hook_writes_the_training_scalars(tmp_path):
    pytest.importorskip('tensorboard')
    from tensorboard.backend.event_processing.event_accumulator import \
        EventAccumulator

    from mmpose.apis import train_model
    from mmpose.datasets import build_dataset
    from mmpose.models import build_posenet
    work_dir = tmp_path / 'work'
    cfg = mmcv.Config(
        toy_config(
            work_dir,
            total_epochs=2,
            log_config=dict(
                interval=1,
                hooks=[
                    dict(type='TextLoggerHook'),
                    dict(type='TensorboardLoggerHook')
                ])))
    train_model(
        build_posenet(cfg.model),
        build_dataset(cfg.data.train),
        cfg,
        validate=True,
        timestamp='tb',
        meta=dict())

    events = list((work_dir / 'tf_logs').glob('events.out.tfevents.*'))
    assert len(events) == 1
    acc = EventAccumulator(str(events[0]))
    acc.Reload()
    tags = acc.Tags()['scalars']
    assert {'train/loss', 'train/mse_loss', 'learning_rate'} <= set(tags)
    # 6 samples, 2 per batch, 2 epochs: 6 iterations, as in the text log.
    logged = read_log_json(work_dir / 'tb.log.json')
    losses = [e.value for e in acc.Scalars('train/loss')]
    assert [e.step for e in acc.Scalars('train/loss')] == list(range(1, 7))
    assert losses == pytest.approx([r['loss'] for r in logged], abs=1e-4)
    # the evaluation results are logged too
    assert 'val/AP' in tags
