import numpy as np
import pytest
import torch
from mmcv.parallel import DataContainer
from torch.utils.data import ConcatDataset, Dataset

from mmpose.datasets import (DATASETS, DistributedSampler, RepeatDataset,
                             build_dataloader, build_dataset)


class _ToyRangeDataset(Dataset):
    """Item i is a dict holding i, as the loader's collate expects."""

    def __init__(self, ann_file, img_prefix=None, length=5):
        self.ann_file = ann_file
        self.img_prefix = img_prefix
        self.length = length

    def __len__(self):
        return self.length

    def __getitem__(self, idx):
        return dict(
            value=torch.tensor([idx]),
            meta=DataContainer(dict(idx=idx), cpu_only=True),
            noise=torch.tensor([np.random.rand()]))


@pytest.fixture(autouse=True)
def toy_range_dataset_registered():
    """``_ToyRangeDataset`` is in DATASETS only while a test of this module
    runs (the suite checks that no test leaves a class in a registry)."""
    DATASETS.register_module(module=_ToyRangeDataset, force=True)
    yield
    DATASETS.module_dict.pop('_ToyRangeDataset', None)


def test_build_single_list_and_repeat():
    single = build_dataset(dict(type='_ToyRangeDataset', ann_file='a'))
    assert len(single) == 5
    concat = build_dataset([
        dict(type='_ToyRangeDataset', ann_file='a', length=2),
        dict(type='_ToyRangeDataset', ann_file='b', length=3)
    ])
    assert isinstance(concat, ConcatDataset) and len(concat) == 5
    repeat = build_dataset(
        dict(
            type='RepeatDataset',
            times=3,
            dataset=dict(type='_ToyRangeDataset', ann_file='a', length=2)))
    assert isinstance(repeat, RepeatDataset) and len(repeat) == 6
    assert repeat[5]['value'].item() == 1


def test_build_with_list_of_ann_files():
    dataset = build_dataset(
        dict(
            type='_ToyRangeDataset',
            ann_file=['a', 'b'],
            img_prefix=['pa', 'pb'],
            length=2))
    assert isinstance(dataset, ConcatDataset)
    assert [d.ann_file for d in dataset.datasets] == ['a', 'b']
    assert [d.img_prefix for d in dataset.datasets] == ['pa', 'pb']


def test_default_args_and_unknown_type():
    dataset = build_dataset(
        dict(type='_ToyRangeDataset', ann_file='a'),
        default_args=dict(length=7))
    assert len(dataset) == 7
    with pytest.raises(KeyError, match='dataset registry'):
        build_dataset(dict(type='_ToyRangeDatasat', ann_file='a'))


def test_non_distributed_loader_batches_and_collates():
    dataset = build_dataset(
        dict(type='_ToyRangeDataset', ann_file='a', length=5))
    loader = build_dataloader(
        dataset, samples_per_gpu=2, workers_per_gpu=0, dist=False,
        shuffle=False, drop_last=False, pin_memory=False)
    batches = list(loader)
    assert [b['value'].flatten().tolist() for b in batches] == [[0, 1], [2,
                                                                    3], [4]]
    # DataContainer metas are collated into per-gpu lists
    assert batches[0]['meta'].data == [[dict(idx=0), dict(idx=1)]]
    loader = build_dataloader(
        dataset, samples_per_gpu=2, workers_per_gpu=0, dist=False,
        shuffle=False, drop_last=True, pin_memory=False)
    assert len(loader) == 2


def test_distributed_loader_uses_sampler_with_seed():
    dataset = build_dataset(
        dict(type='_ToyRangeDataset', ann_file='a', length=10))
    loader = build_dataloader(
        dataset, samples_per_gpu=2, workers_per_gpu=0, dist=True, seed=3,
        pin_memory=False)
    assert isinstance(loader.sampler, DistributedSampler)
    assert loader.sampler.seed == 3


def test_worker_seeding_is_reproducible():

    def draw():
        dataset = build_dataset(
            dict(type='_ToyRangeDataset', ann_file='a', length=4))
        loader = build_dataloader(
            dataset, samples_per_gpu=2, workers_per_gpu=2, dist=False,
            shuffle=False, seed=11, pin_memory=False)
        return torch.cat([b['noise'] for b in loader]).flatten().tolist()

    first, second = draw(), draw()
    assert first == second
    # the two workers draw from different seeds
    assert first[0] != first[2]


def test_distributed_sampler_partitions_and_shuffles():
    dataset = list(range(10))
    shards = [
        list(DistributedSampler(dataset, num_replicas=3, rank=r, seed=5))
        for r in range(3)
    ]
    assert all(len(s) == 4 for s in shards)
    covered = set(sum(shards, []))
    assert covered == set(range(10))
    again = list(DistributedSampler(dataset, num_replicas=3, rank=0, seed=5))
    assert again == shards[0]
    ordered = list(
        DistributedSampler(dataset, num_replicas=2, rank=1, shuffle=False))
    assert ordered == [1, 3, 5, 7, 9]
    sampler = DistributedSampler(dataset, num_replicas=1, rank=0, seed=5)
    epoch0 = list(sampler)
    sampler.set_epoch(1)
    assert list(sampler) != epoch0
    assert DistributedSampler(dataset, 1, 0, seed=None).seed == 0
