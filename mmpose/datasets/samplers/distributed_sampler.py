import torch
from torch.utils.data import DistributedSampler as _DistributedSampler


class DistributedSampler(_DistributedSampler):
    """DistributedSampler inheriting from
    `torch.utils.data.DistributedSampler`.

    In pytorch of lower versions, there is no `shuffle` argument. This child
    class will port one to DistributedSampler. The permutation depends on
    ``seed + epoch`` only, so every rank draws the same order and takes its
    own interleaved share of it (padded to equal length).

    Args:
        dataset (Dataset): Dataset to sample from.
        num_replicas (int, optional): Number of processes. Default: world
            size.
        rank (int, optional): Rank of this process. Default: current rank.
        shuffle (bool): Whether to shuffle the indices. Default: True.
        seed (int): Random seed shared by all processes. Default: 0.
    """

    def __init__(self,
                 dataset,
                 num_replicas=None,
                 rank=None,
                 shuffle=True,
                 seed=0):
        super().__init__(
            dataset, num_replicas=num_replicas, rank=rank, shuffle=shuffle)
        # Some models use the seed to initialise their weights, so it may be
        # None; the sampler still needs a concrete integer.
        self.seed = seed if seed is not None else 0

    def __iter__(self):
        """Deterministically shuffle based on epoch."""
        if self.shuffle:
            g = torch.Generator()
            g.manual_seed(self.epoch + self.seed)
            indices = torch.randperm(len(self.dataset), generator=g).tolist()
        else:
            indices = torch.arange(len(self.dataset)).tolist()

        # add extra samples to make it evenly divisible
        indices += indices[:(self.total_size - len(indices))]
        assert len(indices) == self.total_size

        # subsample
        indices = indices[self.rank:self.total_size:self.num_replicas]
        assert len(indices) == self.num_samples
        return iter(indices)
