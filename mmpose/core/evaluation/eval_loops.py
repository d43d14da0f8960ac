"""Inference loops over a data loader, single- and multi-process.

They live in ``core`` (not ``apis``) because the evaluation hooks run them
during training and ``core`` never imports ``apis``; ``mmpose.apis`` re-exports
``single_gpu_test`` and ``multi_gpu_test`` under their 0.14 names.

The result list holds one entry per *batch* (whatever the model returns for
it), as in MMPose 0.14, where ``dataset.evaluate(outputs, ...)`` iterates over
batch outputs.
"""
import os.path as osp
import pickle
import shutil
import tempfile

import mmcv
import torch
import torch.distributed as dist
from mmcv.runner import get_dist_info


def _batch_size(data):
    """Use the first input as the main key to count the batch's samples."""
    first = next(iter(data.values()))
    if hasattr(first, 'data') and not isinstance(first, torch.Tensor):
        # A DataContainer holds one list/tensor per device.
        first = first.data[0]
    return len(first)


def single_gpu_test(model, data_loader):
    """Test model with a single gpu.

    This method tests model with a single gpu and displays test progress bar.

    Args:
        model (nn.Module): Model to be tested.
        data_loader (nn.Dataloader): Pytorch data loader.

    Returns:
        list: The prediction results, one entry per batch, in loader order.
    """
    model.eval()
    results = []
    prog_bar = mmcv.ProgressBar(len(data_loader.dataset))
    for data in data_loader:
        with torch.no_grad():
            result = model(return_loss=False, **data)
        results.append(result)
        for _ in range(_batch_size(data)):
            prog_bar.update()
    return results


def multi_gpu_test(model, data_loader, tmpdir=None, gpu_collect=False):
    """Test model with multiple gpus.

    This method tests model with multiple gpus and collects the results under
    two different modes: gpu and cpu modes. By setting 'gpu_collect=True' it
    encodes results to gpu tensors and use gpu communication for results
    collection. On cpu mode it saves the results on different gpus to 'tmpdir'
    and collects them by the rank 0 worker.

    Args:
        model (nn.Module): Model to be tested.
        data_loader (nn.Dataloader): Pytorch data loader.
        tmpdir (str): Path of directory to save the temporary results from
            different gpus under cpu mode.
        gpu_collect (bool): Option to use either gpu or cpu to collect
            results.

    Returns:
        list | None: The prediction results on rank 0 (see
        :func:`collect_results_cpu` for their order), None on other ranks.
    """
    model.eval()
    results = []
    dataset = data_loader.dataset
    rank, world_size = get_dist_info()
    if rank == 0:
        prog_bar = mmcv.ProgressBar(len(dataset))
    for data in data_loader:
        with torch.no_grad():
            result = model(return_loss=False, **data)
        results.append(result)
        if rank == 0:
            for _ in range(_batch_size(data) * world_size):
                prog_bar.update()

    if gpu_collect:
        return collect_results_gpu(results, len(dataset))
    return collect_results_cpu(results, len(dataset), tmpdir)


def _interleave(part_list, size):
    """Merge per-rank parts back into the order the sampler dealt them.

    ``DistributedSampler`` deals index ``i`` to rank ``i % world_size``, so
    taking the ``j``-th entry of every rank in turn restores dataset order
    (exactly so with one sample per batch); the padding the sampler added to
    even out the ranks falls at the end and is cut off by ``size``.
    """
    ordered = []
    for j in range(max(len(part) for part in part_list)):
        ordered.extend(part[j] for part in part_list if j < len(part))
    return ordered[:size]


def collect_results_cpu(result_part, size, tmpdir=None):
    """Collect results from all ranks through files in a shared directory.

    Args:
        result_part (list): This rank's results.
        size (int): Number of samples of the whole dataset.
        tmpdir (str, optional): Directory visible to every rank. If None, a
            fresh one is made under ``./.dist_test`` by rank 0 and its path is
            broadcast to the others; it is removed afterwards.

    Returns:
        list | None: The merged results on rank 0, None on other ranks.
    """
    rank, world_size = get_dist_info()
    if world_size == 1:
        return list(result_part)[:size]
    if tmpdir is None:
        holder = [None]
        if rank == 0:
            mmcv.mkdir_or_exist('.dist_test')
            holder[0] = tempfile.mkdtemp(dir='.dist_test')
        dist.broadcast_object_list(holder, src=0)
        tmpdir = holder[0]
    else:
        mmcv.mkdir_or_exist(tmpdir)
    with open(osp.join(tmpdir, f'part_{rank}.pkl'), 'wb') as f:
        pickle.dump(result_part, f, protocol=pickle.HIGHEST_PROTOCOL)
    dist.barrier()
    if rank != 0:
        # Rank 0 removes tmpdir only after everyone wrote: nothing to wait on.
        return None
    part_list = []
    for i in range(world_size):
        with open(osp.join(tmpdir, f'part_{i}.pkl'), 'rb') as f:
            part_list.append(pickle.load(f))
    shutil.rmtree(tmpdir)
    return _interleave(part_list, size)


def collect_results_gpu(result_part, size):
    """Collect results from all ranks with an ``all_gather``.

    The parts travel as pickled objects through the process group's backend
    (NCCL tensors on GPU, gloo on CPU).

    Args:
        result_part (list): This rank's results.
        size (int): Number of samples of the whole dataset.

    Returns:
        list | None: The merged results on rank 0, None on other ranks.
    """
    rank, world_size = get_dist_info()
    if world_size == 1:
        return list(result_part)[:size]
    part_list = [None] * world_size
    dist.all_gather_object(part_list, result_part)
    if rank != 0:
        return None
    return _interleave(part_list, size)
