from .topdown_base_dataset import TopDownBaseDataset
from .topdown_coco_dataset import TopDownCocoDataset
from .topdown_coco_style_dataset import TopDownCocoStyleDataset

__all__ = [
    'TopDownBaseDataset', 'TopDownCocoStyleDataset', 'TopDownCocoDataset'
]
