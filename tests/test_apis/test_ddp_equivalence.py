"""Two gloo processes train exactly like one process on the same global batch.

The model (tests/scale_helpers.py: two convolutions + a 1x1 head) has no
BatchNorm on purpose: BN normalises with the statistics of the local batch,
which differ between one process seeing 4 samples and two seeing 2 each (and
its running buffers are not synchronised), so a BN model would legitimately
diverge unless it used SyncBN. Without BN the mean-over-batch loss of the
global batch is the average of the two half-batch means, DDP averages the
gradients, and so losses and weights agree to float rounding.

Same global batch: ``shuffle=False``; 1 process takes samples 4i..4i+3 per
iteration, and DistributedSampler deals rank r the indices r, r+2, ... so that
the two ranks' batches of 2 together hold the same four samples.
"""
import sys
from pathlib import Path

import mmcv
import numpy as np
import pytest
import torch

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
from fixtures import write_coco_keypoint_dataset  # noqa: E402
from gloo_jobs import gloo_job  # noqa: E402
from scale_helpers import (read_log_json,  # noqa: E402,F401
                           scale_modules_registered, tiny_topdown_config)

EPOCHS = 2


def _train(cfg, distributed):
    from mmpose.apis import train_model
    from mmpose.datasets import build_dataset
    from mmpose.models import build_posenet
    torch.manual_seed(0)
    model = build_posenet(cfg.model)
    # The COCO top-down dataset jitters box centres with np.random when it
    # loads (as in 0.14): same seed, same samples in every process.
    np.random.seed(0)
    dataset = build_dataset(cfg.data.train)
    # The exact (all-reduced on 2 processes) loss of every iteration; the
    # log file rounds to 4 decimals.
    model.losses = []
    train_step = model.train_step

    def recording_train_step(*args, **kwargs):
        outputs = train_step(*args, **kwargs)
        model.losses.append(outputs['log_vars']['loss'])
        return outputs

    model.train_step = recording_train_step
    train_model(
        model,
        dataset,
        cfg,
        distributed=distributed,
        validate=False,
        timestamp='run',
        meta=dict())
    return model


def _dataset(folder):
    # 8 persons: 2 iterations per epoch at a global batch of 4.
    return write_coco_keypoint_dataset(
        folder / 'coco',
        image_sizes=((160, 200), (180, 160), (200, 220)),
        persons_per_image=(3, 3, 2),
        extra_annotations=False)


def _config(folder, name, samples_per_gpu):
    data = _dataset(folder)
    return tiny_topdown_config(
        data['ann_file'], data['img_prefix'], folder / name,
        total_epochs=EPOCHS, samples_per_gpu=samples_per_gpu)


def _prepare(folder):
    return _config(folder, 'ddp', samples_per_gpu=2)


def _run(rank, world_size, folder, cfg_dict):
    model = _train(mmcv.Config(cfg_dict), distributed=True)
    torch.save(
        dict(state_dict=model.state_dict(), losses=model.losses),
        f'{folder}/rank{rank}.pt')


gloo_job('ddp_equivalence', _prepare, _run)


def test_two_processes_match_one_process_on_the_same_global_batch(
        gloo_outputs, fresh_mmpose_logger):
    tmp_path, _ = gloo_outputs('ddp_equivalence')
    single_cfg = _config(tmp_path, 'single', samples_per_gpu=4)
    single = _train(mmcv.Config(single_cfg), distributed=False)

    ranks = [
        torch.load(tmp_path / f'rank{r}.pt', weights_only=False)
        for r in range(2)
    ]
    # Loss curves: on 2 processes the loss is the all-reduced mean over the
    # ranks, so both ranks report the global batch's loss.
    single_loss = torch.tensor(single.losses, dtype=torch.float64)
    assert len(single_loss) == 2 * EPOCHS
    for rank in ranks:
        ddp_loss = torch.tensor(rank['losses'], dtype=torch.float64)
        torch.testing.assert_close(
            ddp_loss, single_loss, rtol=1e-5, atol=1e-8)
    # The log files tell the same story (rounded to a few decimals).
    single_log = read_log_json(tmp_path / 'single' / 'run.log.json')
    ddp_log = read_log_json(tmp_path / 'ddp' / 'run.log.json')
    assert [(r['epoch'], r['iter']) for r in ddp_log] == [
        (r['epoch'], r['iter']) for r in single_log]
    assert [r['loss'] for r in ddp_log] == pytest.approx(
        [r['loss'] for r in single_log], abs=2e-4)
    # ... and training did something, far beyond that tolerance.
    assert (single_loss[0] - single_loss[-1]).abs() > 1e-3 * single_loss[0]

    initial = _initial_state(single_cfg)
    final = {k: v for k, v in single.state_dict().items()}
    ranks = [rank['state_dict'] for rank in ranks]
    checkpoint = torch.load(
        tmp_path / 'ddp' / f'epoch_{EPOCHS}.pth', weights_only=False)
    for key, value in final.items():
        moved = (value - initial[key]).abs().max()
        assert moved > 1e-3, key
        for other in ranks + [checkpoint['state_dict']]:
            torch.testing.assert_close(
                other[key], value, rtol=1e-4, atol=1e-6)
    weight_diff = max((ranks[0][k] - final[k]).abs().max().item()
                      for k in final)
    print(f'DDP vs single: max |loss diff| '
          f'{(ddp_loss - single_loss).abs().max().item():.3g} over '
          f'{len(single_loss)} iterations, max |weight diff| '
          f'{weight_diff:.3g}')
    # Both ranks hold identical weights (same all-reduced gradients).
    for key in final:
        torch.testing.assert_close(ranks[0][key], ranks[1][key], rtol=0,
                                   atol=0)


def _initial_state(cfg_dict):
    from mmpose.models import build_posenet
    torch.manual_seed(0)
    return build_posenet(mmcv.Config(cfg_dict).model).state_dict()
