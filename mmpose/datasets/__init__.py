from .builder import build_dataloader, build_dataset
from .dataset_wrappers import RepeatDataset
from .datasets import *  # noqa: F401,F403
from .pipelines import Compose
from .registry import DATASETS, PIPELINES
from .samplers import DistributedSampler

__all__ = [
    'build_dataloader', 'build_dataset', 'Compose', 'DistributedSampler',
    'DATASETS', 'PIPELINES', 'RepeatDataset'
]
