import os
import pickle
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.distributed as dist
from mmcv.parallel import MMDataParallel

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# yapf: disable
from gloo_jobs import gloo_job  # noqa: E402
from scale_helpers import read_log_json  # noqa: E402
from toy_pose_modules import (ToyPoseDataset, ToyPoseModel,  # noqa: E402,F401
                              toy_modules_registered, train_toy)

from mmpose.apis import multi_gpu_test, single_gpu_test  # noqa: E402
from mmpose.core.evaluation.eval_loops import _interleave  # noqa: E402
from mmpose.core.utils.dist_utils import (  # noqa: E402
    CPUDistributedDataParallel, wrap_model)
from mmpose.datasets import build_dataloader  # noqa: E402
# yapf: enable


def test_single_gpu_test_returns_one_result_per_batch_in_order():
    loader = build_dataloader(
        ToyPoseDataset(num_samples=5),
        2,
        0,
        dist=False,
        shuffle=False,
        drop_last=False)
    model = MMDataParallel(ToyPoseModel(), device_ids=None)
    results = single_gpu_test(model, loader)
    assert [r['index'] for r in results] == [[0, 1], [2, 3], [4]]
    assert all(r['preds'].shape == (len(r['index']), ) for r in results)
    # Test mode: BatchNorm uses its running statistics, so a sample's
    # prediction does not depend on its batch mates.
    alone = single_gpu_test(
        model,
        build_dataloader(
            ToyPoseDataset(num_samples=5), 1, 0, dist=False, shuffle=False))
    np.testing.assert_allclose(
        np.concatenate([r['preds'] for r in results]),
        np.concatenate([r['preds'] for r in alone]),
        rtol=1e-6, atol=1e-6)


def test_interleave_restores_the_sampler_order():
    # 5 samples over 2 ranks: rank 0 gets 0, 2, 4; rank 1 gets 1, 3, 0 (pad).
    parts = [['s0', 's2', 's4'], ['s1', 's3', 's0']]
    assert _interleave(parts, 5) == ['s0', 's1', 's2', 's3', 's4']
    assert _interleave([['a'], []], 1) == ['a']


def test_multi_gpu_test_without_process_group_is_single():
    loader = build_dataloader(
        ToyPoseDataset(num_samples=3), 1, 0, dist=False, shuffle=False)
    model = wrap_model(ToyPoseModel())
    for gpu_collect in (False, True):
        results = multi_gpu_test(model, loader, gpu_collect=gpu_collect)
        assert [r['index'] for r in results] == [[0], [1], [2]]


def _run(rank, world_size, folder, _):
    torch.manual_seed(0)
    model = wrap_model(ToyPoseModel(), distributed=True)
    assert isinstance(model, CPUDistributedDataParallel)
    loader = build_dataloader(
        ToyPoseDataset(num_samples=5),
        1,
        0,
        dist=True,
        shuffle=False,
        drop_last=False)
    out = {}
    out['cpu'] = multi_gpu_test(
        model, loader, tmpdir=os.path.join(folder, 'collect'))
    out['gpu'] = multi_gpu_test(model, loader, gpu_collect=True)

    # One epoch of distributed training with evaluation on both ranks.
    _, trained = train_toy(
        os.path.join(folder, 'work'),
        distributed=True,
        validate=True,
        timestamp='dist',
        total_epochs=1)
    out['params'] = {
        k: v.detach().clone()
        for k, v in trained.state_dict().items()
    }
    with open(os.path.join(folder, f'rank{rank}.pkl'), 'wb') as f:
        pickle.dump(out, f)


gloo_job('toy_test_and_train', lambda folder: None, _run)


def test_multi_gpu_test_and_distributed_training_on_gloo(gloo_outputs):
    tmp_path, _ = gloo_outputs('toy_test_and_train')
    outs = []
    for rank in range(2):
        with open(tmp_path / f'rank{rank}.pkl', 'rb') as f:
            outs.append(pickle.load(f))
    for mode in ('cpu', 'gpu'):
        assert [r['index'] for r in outs[0][mode]] == [[i] for i in range(5)]
        assert outs[1][mode] is None
    np.testing.assert_allclose([r['preds'][0] for r in outs[0]['cpu']],
                               [r['preds'][0] for r in outs[0]['gpu']])
    assert not (tmp_path / 'collect').exists()
    # DDP kept both ranks' weights identical (gradients were all-reduced).
    # (BatchNorm statistics are per rank: buffers are not broadcast.)
    for key, value in outs[0]['params'].items():
        if 'running_' not in key:
            torch.testing.assert_close(value, outs[1]['params'][key])
    work = sorted(os.listdir(tmp_path / 'work'))
    assert 'epoch_1.pth' in work and 'best_AP_epoch_1.pth' in work
    assert 'dist.log.json' in work
    # The distributed evaluation saw every sample once, in dataset order.
    val = read_log_json(tmp_path / 'work' / 'dist.log.json', mode='val')
    assert len(val) == 1 and val[0]['in_order'] == 1.0


@pytest.mark.parametrize('launcher', ['mpi', 'none'])
def test_init_dist_rejects_unknown_launchers(launcher):
    from mmpose.core.utils.dist_utils import init_dist
    with pytest.raises(ValueError, match='launcher'):
        init_dist(launcher)


def _free_port():
    import socket
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.mark.parametrize('launcher', ['pytorch', 'slurm'])
def test_init_dist_on_cpu_uses_gloo(launcher, monkeypatch):
    from mmpose.core.utils.dist_utils import init_dist
    monkeypatch.setenv('MASTER_ADDR', '127.0.0.1')
    monkeypatch.setenv('MASTER_PORT', str(_free_port()))
    for name in ('RANK', 'WORLD_SIZE', 'LOCAL_RANK'):
        monkeypatch.delenv(name, raising=False)
    if launcher == 'pytorch':
        monkeypatch.setenv('RANK', '0')
        monkeypatch.setenv('WORLD_SIZE', '1')
    else:
        monkeypatch.setenv('SLURM_PROCID', '0')
        monkeypatch.setenv('SLURM_NTASKS', '1')
        monkeypatch.setenv('SLURM_NODELIST', 'localhost')
    if torch.cuda.is_available():
        pytest.skip('the CPU fallback only applies without CUDA')
    with pytest.warns(UserWarning, match='gloo'):
        init_dist(launcher, backend='nccl')
    try:
        assert dist.get_backend() == 'gloo'
        assert dist.get_world_size() == 1
    finally:
        dist.destroy_process_group()
