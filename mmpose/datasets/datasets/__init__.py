from .top_down import (TopDownBaseDataset, TopDownCocoDataset,
                       TopDownCocoStyleDataset)

__all__ = [
    'TopDownBaseDataset', 'TopDownCocoStyleDataset', 'TopDownCocoDataset'
]
