"""Inference loops over a data loader, single- and multi-process.

They live in ``core`` (not ``apis``) because the evaluation hooks run them
during training and ``core`` never imports ``apis``; ``mmpose.apis`` re-exports
``single_gpu_test`` and ``multi_gpu_test`` under their 0.14 names.

The result list holds one entry per *batch* (whatever the model returns for
it), as in MMPose 0.14, where ``dataset.evaluate(outputs, ...)`` iterates over
batch outputs.
"""
import functools
import os.path as osp
import pickle
import shutil
import tempfile

import mmcv
import numpy as np
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
        list | None: The prediction results on rank 0, None on other ranks.
        When every batch result is a dict of per-sample values (as the pose
        models return), they are those of :func:`single_gpu_test` on the
        same data: dataset order, each sample once (the sampler's padding
        dropped), batched by ``data_loader.batch_size``. Otherwise they are
        collected per batch (see :func:`collect_results_cpu`).
    """
    model.eval()
    results = []
    # The same results split into one entry per sample, while every batch's
    # result can be split (a dict of per-sample sequences): those are what
    # the collection puts back in dataset order.
    sample_results = []
    dataset = data_loader.dataset
    rank, world_size = get_dist_info()
    if rank == 0:
        prog_bar = mmcv.ProgressBar(len(dataset))
    for data in data_loader:
        with torch.no_grad():
            result = model(return_loss=False, **data)
        results.append(result)
        batch_size = _batch_size(data)
        if sample_results is not None:
            parts = _split_batch_result(result, batch_size)
            if parts is None:
                sample_results = None
            else:
                sample_results.extend(parts)
        if rank == 0:
            for _ in range(batch_size * world_size):
                prog_bar.update()

    collect = collect_results_gpu if gpu_collect else functools.partial(
        collect_results_cpu, tmpdir=tmpdir)
    if sample_results is None or world_size == 1:
        # Results of several samples that cannot be told apart: collected
        # per batch, in the order of 0.14 (exact for one sample per batch).
        _check_batches_align(results, len(dataset), world_size,
                             data_loader.batch_size or 1)
        return collect(results, len(dataset))
    ordered = collect(sample_results, len(dataset))
    if ordered is None:
        return None
    # Batched as single_gpu_test batches the same loader.
    step = data_loader.batch_size or 1
    return [
        _merge_sample_results(ordered[i:i + step])
        for i in range(0, len(ordered), step)
    ]


def _check_batches_align(results, size, world_size, batch_size):
    """Refuse per-batch collection that would keep the sampler's padding.

    DistributedSampler pads the dataset to a multiple of ``world_size``; with
    several samples per batch and a dataset that does not fill every rank's
    batches evenly, per-batch results cannot be cut back to ``size`` samples.
    """
    if world_size == 1 or batch_size == 1 or size % (world_size *
                                                     batch_size) == 0:
        return
    raise ValueError(
        f'multi_gpu_test: the model returns {type(results[0]).__name__} '
        'results that cannot be split per sample (a dict of per-sample '
        f'lists/arrays can), and the {size} samples do not divide into '
        f'{world_size} processes x {batch_size} samples per batch, so the '
        'collected batches would hold padding samples twice. Test with '
        'samples_per_gpu=1 (data.test_dataloader), a world size and batch '
        f'whose product divides {size}, or return per-sample values.')


def _split_batch_result(result, batch_size):
    """One result per sample from a batch's result dict, or None.

    Every value must be per sample (a list, tuple, array or tensor of length
    ``batch_size``) or None (kept as None in each part).
    """
    if not isinstance(result, dict):
        return [result] if batch_size == 1 else None
    for value in result.values():
        if value is not None and not (
                isinstance(value, (list, tuple, np.ndarray, torch.Tensor))
                and len(value) == batch_size):
            return None
    return [{
        key: None if value is None else value[i:i + 1]
        for key, value in result.items()
    } for i in range(batch_size)]


def _merge_sample_results(parts):
    """Inverse of :func:`_split_batch_result` for consecutive samples."""
    if not isinstance(parts[0], dict):
        return parts[0]
    merged = {}
    for key, value in parts[0].items():
        values = [part[key] for part in parts]
        if value is None:
            merged[key] = None
        elif isinstance(value, np.ndarray):
            merged[key] = np.concatenate(values)
        elif isinstance(value, torch.Tensor):
            merged[key] = torch.cat(values)
        else:
            merged[key] = type(value)(item for v in values for item in v)
    return merged


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
