import socket

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn

from mmpose.core.utils import WeightNormClipHook, allreduce_grads


def test_weight_norm_clip_hook_clips_before_forward():
    layer = nn.Linear(3, 3)
    with torch.no_grad():
        layer.weight.fill_(2.)  # norm 6
    handle = WeightNormClipHook(max_norm=1.5).register(layer)
    layer(torch.zeros(1, 3))
    assert layer.weight.norm().item() == pytest.approx(1.5, rel=1e-5)
    # a weight within the limit is left alone
    with torch.no_grad():
        layer.weight.fill_(0.1)
    layer(torch.zeros(1, 3))
    assert torch.allclose(layer.weight, torch.full((3, 3), 0.1))
    handle.remove()


def test_weight_norm_clip_hook_unknown_param():
    layer = nn.Linear(2, 2)
    WeightNormClipHook(module_param_names=['weight', 'gain']).register(layer)
    with pytest.raises(AssertionError, match='gain'):
        layer(torch.zeros(1, 2))


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


MODES = [(True, -1), (True, 1), (False, -1)]


def _allreduce_worker(rank, world_size, port, queue):
    dist.init_process_group(
        'gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank,
        world_size=world_size)
    results = []
    for coalesce, bucket_size_mb in MODES:
        params = [nn.Parameter(torch.zeros(3)), nn.Parameter(torch.zeros(2, 2))]
        params[0].grad = torch.full((3, ), float(rank + 1))
        params[1].grad = torch.full((2, 2), float(10 * (rank + 1)))
        allreduce_grads(
            params, coalesce=coalesce, bucket_size_mb=bucket_size_mb)
        results.append([p.grad.tolist() for p in params])
    queue.put((rank, results))
    dist.destroy_process_group()


def test_allreduce_grads_averages_over_processes():
    """Coalesced (one bucket, 1 MB buckets) and per-tensor modes, 2 ranks."""
    ctx = mp.get_context('spawn')
    queue = ctx.Queue()
    port = _free_port()
    procs = [
        ctx.Process(target=_allreduce_worker, args=(r, 2, port, queue))
        for r in range(2)
    ]
    for p in procs:
        p.start()
    results = dict(queue.get(timeout=300) for _ in procs)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    for rank in range(2):
        for grads in results[rank]:
            assert grads[0] == [1.5] * 3
            assert grads[1] == [[15.0, 15.0], [15.0, 15.0]]
