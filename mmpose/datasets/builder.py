import copy
import platform
import random
from functools import partial

import numpy as np
import torch
from mmcv.parallel import collate
from mmcv.runner import get_dist_info
from torch.utils.data import DataLoader
from torch.utils.data.dataset import ConcatDataset

from .dataset_wrappers import RepeatDataset
from .registry import DATASETS
from .samplers import DistributedSampler

if platform.system() != 'Windows':
    # https://github.com/pytorch/pytorch/issues/973
    import resource
    rlimit = resource.getrlimit(resource.RLIMIT_NOFILE)
    hard_limit = rlimit[1]
    soft_limit = min(4096, hard_limit)
    if rlimit[0] < soft_limit:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft_limit, hard_limit))


def _concat_dataset(cfg, default_args=None):
    """Build one dataset per ``ann_file``/``img_prefix`` and concatenate."""
    ann_files = cfg['ann_file']
    img_prefixes = cfg.get('img_prefix', None)
    datasets = []
    for i, ann_file in enumerate(ann_files):
        data_cfg = copy.deepcopy(cfg)
        data_cfg['ann_file'] = ann_file
        if isinstance(img_prefixes, (list, tuple)):
            data_cfg['img_prefix'] = img_prefixes[i]
        datasets.append(build_dataset(data_cfg, default_args))
    return ConcatDataset(datasets)


def build_dataset(cfg, default_args=None):
    """Build a dataset from config dict.

    Args:
        cfg (dict | list[dict]): Config dict. It should at least contain the
            key "type". A list of configs builds a ``ConcatDataset``; a config
            of type ``RepeatDataset`` wraps its ``dataset`` ``times`` times;
            a list-valued ``ann_file`` concatenates one dataset per file.
        default_args (dict, optional): Default initialization arguments.
            Default: None.

    Returns:
        Dataset: The constructed dataset.
    """
    if isinstance(cfg, (list, tuple)):
        dataset = ConcatDataset([build_dataset(c, default_args) for c in cfg])
    elif cfg['type'] == 'RepeatDataset':
        dataset = RepeatDataset(
            build_dataset(cfg['dataset'], default_args), cfg['times'])
    elif isinstance(cfg.get('ann_file'), (list, tuple)):
        dataset = _concat_dataset(cfg, default_args)
    else:
        dataset = DATASETS.build(cfg, default_args=default_args)
        _check_not_empty(dataset, cfg)
    return dataset


def _check_not_empty(dataset, cfg):
    """An annotation file without any sample is an error naming the file,
    not an empty epoch (or a NaN score) much later."""
    if not hasattr(dataset, '__len__') or len(dataset) > 0:
        return
    ann_file = cfg.get('ann_file', None)
    source = f'annotation file {ann_file}' if ann_file else 'its config'
    raise ValueError(f'{cfg["type"]}: {source} gives no samples (no '
                     'annotations, or none with labelled keypoints); check '
                     'the file and the config key ann_file')


def build_dataloader(dataset,
                     samples_per_gpu,
                     workers_per_gpu,
                     num_gpus=1,
                     dist=True,
                     shuffle=True,
                     seed=None,
                     drop_last=True,
                     pin_memory=True,
                     **kwargs):
    """Build PyTorch DataLoader.

    In distributed training, each GPU/process has a dataloader.
    In non-distributed training, there is only one dataloader for all GPUs.

    Args:
        dataset (Dataset): A PyTorch dataset.
        samples_per_gpu (int): Number of training samples on each GPU, i.e.,
            batch size of each GPU.
        workers_per_gpu (int): How many subprocesses to use for data loading
            for each GPU.
        num_gpus (int): Number of GPUs. Only used in non-distributed training.
        dist (bool): Distributed training/test or not. Default: True.
        shuffle (bool): Whether to shuffle the data at every epoch.
            Default: True.
        seed (int, optional): Seed of the sampler and the worker processes.
            Default: None.
        drop_last (bool): Whether to drop the last incomplete batch in epoch.
            Default: True
        pin_memory (bool): Whether to use pin_memory in DataLoader (only
            where CUDA is available). Default: True
        kwargs: any keyword argument to be used to initialize DataLoader

    Returns:
        DataLoader: A PyTorch dataloader.
    """
    rank, world_size = get_dist_info()
    if dist:
        sampler = DistributedSampler(
            dataset, world_size, rank, shuffle=shuffle, seed=seed)
        shuffle = False
        batch_size = samples_per_gpu
        num_workers = workers_per_gpu
    else:
        sampler = None
        batch_size = num_gpus * samples_per_gpu
        num_workers = num_gpus * workers_per_gpu

    # Pinning needs an accelerator; without one torch warns on every loader.
    pin_memory = pin_memory and torch.cuda.is_available()
    init_fn = partial(
        worker_init_fn, num_workers=num_workers, rank=rank,
        seed=seed) if seed is not None else None

    return DataLoader(
        dataset,
        batch_size=batch_size,
        sampler=sampler,
        num_workers=num_workers,
        collate_fn=partial(collate, samples_per_gpu=samples_per_gpu),
        pin_memory=pin_memory,
        shuffle=shuffle,
        worker_init_fn=init_fn,
        drop_last=drop_last,
        **kwargs)


def worker_init_fn(worker_id, num_workers, rank, seed):
    """Seed each data-loading worker differently but reproducibly.

    Args:
        worker_id (int): Worker id, from 0 to num_workers - 1.
        num_workers (int): Number of workers of this process.
        rank (int): Rank of this process.
        seed (int): The base seed.
    """
    worker_seed = num_workers * rank + worker_id + seed
    np.random.seed(worker_seed)
    random.seed(worker_seed)
