from abc import ABCMeta

import numpy as np
import torch
from torch.utils.data import ConcatDataset, Dataset

from mmpose.utils import check
from ...registry import DATASETS
from .mesh_base_dataset import MeshBaseDataset


@DATASETS.register_module()
class MeshMixDataset(Dataset, metaclass=ABCMeta):
    """Mix Dataset for 3D human mesh estimation.

    The dataset combines data from multiple datasets (MeshBaseDataset) and
    sample the data from different datasets with the provided proportions.
    The dataset loads raw features and apply specified transforms
    to return a dict containing the image tensors and other information.

    Every ``dataset[idx]`` ignores ``idx`` and draws a sample: dataset ``i``
    with probability ``partition[i]``, then one of its samples uniformly
    (with torch's random generator, as 0.14's ``WeightedRandomSampler``).
    The length is that of the largest dataset.

    Args:
        configs (list): List of configs for multiple datasets (the
            arguments of :class:`MeshBaseDataset`, without ``type``).
        partition (list): Sample proportion of multiple datasets.
            The the elements of it should be non-negative and the
            sum of it should be 1.
    """

    def __init__(self, configs, partition):
        """Load data from multiple datasets."""
        check(
            len(partition) == len(configs),
            f'partition has {len(partition)} proportions for '
            f'{len(configs)} configs')
        check(
            min(partition) >= 0,
            f'partition must not be negative, got {list(partition)}')
        check(
            np.isclose(sum(partition), 1),
            f'partition must sum to 1, got {list(partition)} '
            f'(sum {sum(partition)})')
        datasets = [MeshBaseDataset(**cfg) for cfg in configs]
        for dataset, proportion in zip(datasets, partition):
            check(
                proportion == 0 or len(dataset) > 0,
                f'{dataset.ann_file} has no samples but a partition of '
                f'{proportion}')
        self.dataset = ConcatDataset(datasets)
        self.length = max(len(ds) for ds in datasets)
        weights = np.concatenate([
            np.full(len(ds), p / max(len(ds), 1))
            for p, ds in zip(partition, datasets)
        ])
        self.weights = torch.as_tensor(weights, dtype=torch.double)

    def __len__(self):
        """Get the size of the dataset."""
        return self.length

    def __getitem__(self, idx):
        """Given index, sample the data from multiple datasets with the given
        proportion."""
        idx_new = int(torch.multinomial(self.weights, 1, replacement=True))
        return self.dataset[idx_new]
