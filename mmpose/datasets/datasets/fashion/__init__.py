from .deepfashion_dataset import DeepFashionDataset
from .fashion_base_dataset import FashionBaseDataset

__all__ = ['FashionBaseDataset', 'DeepFashionDataset']
