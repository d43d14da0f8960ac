from .bottom_up_aic import BottomUpAicDataset
from .bottom_up_base_dataset import BottomUpBaseDataset
from .bottom_up_coco import BottomUpCocoDataset
from .bottom_up_crowdpose import BottomUpCrowdPoseDataset
from .bottom_up_mhp import BottomUpMhpDataset

__all__ = [
    'BottomUpBaseDataset', 'BottomUpCocoDataset', 'BottomUpCrowdPoseDataset',
    'BottomUpAicDataset', 'BottomUpMhpDataset'
]
