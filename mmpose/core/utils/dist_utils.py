"""Distributed helpers: gradient all-reduce, process-group set-up and model
wrapping, on GPU and on CPU alike.

mmcv's ``init_dist`` and ``MMDistributedDataParallel`` assume CUDA (they call
``torch.cuda.set_device`` and skip the DataContainer unwrapping when there are
no device ids); ``init_dist`` and ``wrap_model`` fall back to gloo and CPU so
that the same training and test entry points run, and are tested, on machines
without GPU.
"""
import os
import subprocess
import warnings
from collections import OrderedDict

import torch
import torch.distributed as dist
from mmcv.parallel import MMDataParallel
from mmcv.runner import init_dist as _mmcv_init_dist
from torch._utils import (_flatten_dense_tensors, _take_tensors,
                          _unflatten_dense_tensors)

from ..distributed_wrapper import CompatDistributedDataParallel


def _allreduce_coalesced(tensors, world_size, bucket_size_mb=-1):
    """All-reduce ``tensors`` in flattened buckets (one per dtype or size)."""
    if bucket_size_mb > 0:
        bucket_size_bytes = bucket_size_mb * 1024 * 1024
        buckets = _take_tensors(tensors, bucket_size_bytes)
    else:
        grouped = OrderedDict()
        for tensor in tensors:
            grouped.setdefault(tensor.type(), []).append(tensor)
        buckets = grouped.values()

    for bucket in buckets:
        flat_tensors = _flatten_dense_tensors(bucket)
        dist.all_reduce(flat_tensors)
        flat_tensors.div_(world_size)
        for tensor, synced in zip(
                bucket, _unflatten_dense_tensors(flat_tensors, bucket)):
            tensor.copy_(synced)


def allreduce_grads(params, coalesce=True, bucket_size_mb=-1):
    """Allreduce gradients.

    Averages the gradients of ``params`` over all processes of the default
    process group (any backend: nccl on CUDA, gloo on CPU).

    Args:
        params (list[torch.Parameters]): List of parameters of a model
        coalesce (bool, optional): Whether allreduce parameters as a whole.
            Default: True.
        bucket_size_mb (int, optional): Size of bucket, the unit is MB.
            Default: -1.
    """
    grads = [
        param.grad.data for param in params
        if param.requires_grad and param.grad is not None
    ]
    world_size = dist.get_world_size()
    if coalesce:
        _allreduce_coalesced(grads, world_size, bucket_size_mb)
    else:
        for tensor in grads:
            dist.all_reduce(tensor.div_(world_size))


def init_dist(launcher, backend=None, **kwargs):
    """Initialise the default process group for ``launcher``.

    Args:
        launcher (str): 'pytorch' (torchrun: RANK, WORLD_SIZE, MASTER_ADDR,
            MASTER_PORT in the environment) or 'slurm' (SLURM_* variables).
        backend (str, optional): Backend of torch.distributed. Default: nccl
            when CUDA is available, else gloo (which also replaces a
            requested nccl without CUDA).
        kwargs: Passed to the process group initialisation (e.g. ``port`` for
            slurm).
    """
    if backend is None:
        backend = 'nccl' if torch.cuda.is_available() else 'gloo'
    if launcher not in ('pytorch', 'slurm'):
        raise ValueError(f'launcher must be "pytorch" or "slurm" for '
                         f'distributed runs, but got {launcher!r}')
    if kwargs.get('init_method') is None:
        check_launcher_env(launcher)
    if torch.cuda.is_available():
        _mmcv_init_dist(launcher, backend=backend, **kwargs)
        return
    if backend == 'nccl':
        # The model-zoo configs all say nccl; on CPU gloo is the one to use.
        warnings.warn('dist_params.backend="nccl" needs CUDA, which is not '
                      'available: using "gloo" instead')
        backend = 'gloo'
    if launcher == 'slurm':
        _slurm_env_to_torch_env(kwargs.pop('port', None))
    dist.init_process_group(backend=backend, **kwargs)


# What each launcher must have put in the environment.
LAUNCHER_ENV = dict(
    pytorch=('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'),
    slurm=('SLURM_PROCID', 'SLURM_NTASKS', 'SLURM_NODELIST'))
_LAUNCHER_HINT = dict(
    pytorch='start the script with torchrun (tools/dist_train.sh, '
    'tools/dist_test.sh)',
    slurm='start the script with srun (tools/slurm_train.sh, '
    'tools/slurm_test.sh)')


def check_launcher_env(launcher):
    """Raise if the variables ``launcher`` sets are missing.

    Args:
        launcher (str): 'pytorch' or 'slurm'.

    Raises:
        RuntimeError: naming every missing variable and how to launch.
    """
    missing = [name for name in LAUNCHER_ENV[launcher] if name not in
               os.environ]
    if missing:
        raise RuntimeError(
            f'--launcher {launcher} needs the environment variables '
            f'{", ".join(LAUNCHER_ENV[launcher])}, but '
            f'{", ".join(missing)} {"is" if len(missing) == 1 else "are"} '
            f'not set: {_LAUNCHER_HINT[launcher]}, or use --launcher none '
            'for a single process')


def _slurm_env_to_torch_env(port=None):
    """Translate SLURM's variables into the ones ``init_process_group`` reads
    (the CPU counterpart of mmcv's slurm set-up, minus the device binding)."""
    node_list = os.environ['SLURM_NODELIST']
    if 'MASTER_ADDR' not in os.environ:
        os.environ['MASTER_ADDR'] = subprocess.getoutput(
            f'scontrol show hostname {node_list} | head -n1')
    if port is not None:
        os.environ['MASTER_PORT'] = str(port)
    os.environ.setdefault('MASTER_PORT', '29500')
    os.environ['WORLD_SIZE'] = os.environ['SLURM_NTASKS']
    os.environ['RANK'] = os.environ['SLURM_PROCID']
    os.environ['LOCAL_RANK'] = os.environ.get('SLURM_LOCALID', '0')


# The earlier name of the DistributedDataParallel that runs on CPU processes.
CPUDistributedDataParallel = CompatDistributedDataParallel


def wrap_model(model,
               distributed=False,
               gpu_ids=None,
               find_unused_parameters=True,
               broadcast_buffers=False):
    """Wrap ``model`` for the runner or the test loops.

    Args:
        model (nn.Module): The model.
        distributed (bool): Whether a process group is initialised and the
            model is to be wrapped with DistributedDataParallel.
        gpu_ids (list[int], optional): GPUs of a non-distributed run (only
            the first is used). Default: [0]. Ignored without CUDA.
        find_unused_parameters (bool): Passed to DistributedDataParallel.
        broadcast_buffers (bool): Passed to DistributedDataParallel.

    Returns:
        nn.Module: ``MMDataParallel``, or, distributed,
        :class:`CompatDistributedDataParallel` (mmcv's
        ``MMDistributedDataParallel`` made to run on PyTorch 2 and on CPU).
    """
    cuda = torch.cuda.is_available()
    if distributed:
        ddp_kwargs = dict(
            broadcast_buffers=broadcast_buffers,
            find_unused_parameters=find_unused_parameters)
        if cuda:
            return CompatDistributedDataParallel(
                model.cuda(),
                device_ids=[torch.cuda.current_device()],
                **ddp_kwargs)
        return CompatDistributedDataParallel(model, **ddp_kwargs)
    if cuda:
        gpu_ids = list(gpu_ids) if gpu_ids else [0]
        return MMDataParallel(model.cuda(gpu_ids[0]), device_ids=gpu_ids[:1])
    return MMDataParallel(model.cpu(), device_ids=None)
