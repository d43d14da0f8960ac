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
    (with torch's random generator, as 0.14's ``WeightedRandomSampler``,
    which drew from the same distribution in one step). The length is that
    of the largest dataset.

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
        self.partition = torch.as_tensor(partition, dtype=torch.double)
        self._sizes = [len(ds) for ds in datasets]
        self._starts = [0] + self.dataset.cumulative_sizes[:-1]

    def __len__(self):
        """Get the size of the dataset."""
        return self.length

    def __getitem__(self, idx):
        """Given index, sample the data from multiple datasets with the given
        proportion."""
        # 0.14 drew one index from weights p_i / len_i over all samples
        # (O(total samples) per draw, ~0.1 s with the HMR mix); drawing the
        # dataset, then a sample of it, gives the same distribution.
        i = int(torch.multinomial(self.partition, 1))
        j = int(torch.randint(self._sizes[i], ()))
        return self.dataset[self._starts[i] + j]
