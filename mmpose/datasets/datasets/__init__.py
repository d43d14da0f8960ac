from .top_down import (TopDownAicDataset, TopDownBaseDataset,
                       TopDownCocoDataset, TopDownCocoStyleDataset,
                       TopDownCrowdPoseDataset, TopDownMhpDataset,
                       TopDownMpiiDataset, TopDownOCHumanDataset)

__all__ = [
    'TopDownBaseDataset', 'TopDownCocoStyleDataset', 'TopDownCocoDataset',
    'TopDownAicDataset', 'TopDownCrowdPoseDataset', 'TopDownMhpDataset',
    'TopDownMpiiDataset', 'TopDownOCHumanDataset'
]
