from .topdown_aic_dataset import TopDownAicDataset
from .topdown_base_dataset import TopDownBaseDataset
from .topdown_coco_dataset import TopDownCocoDataset
from .topdown_coco_wholebody_dataset import TopDownCocoWholeBodyDataset
from .topdown_coco_style_dataset import TopDownCocoStyleDataset
from .topdown_crowdpose_dataset import TopDownCrowdPoseDataset
from .topdown_jhmdb_dataset import TopDownJhmdbDataset
from .topdown_mhp_dataset import TopDownMhpDataset
from .topdown_mpii_dataset import TopDownMpiiDataset
from .topdown_mpii_trb_dataset import TopDownMpiiTrbDataset
from .topdown_ochuman_dataset import TopDownOCHumanDataset
from .topdown_posetrack18_dataset import TopDownPoseTrack18Dataset

__all__ = [
    'TopDownBaseDataset', 'TopDownCocoStyleDataset', 'TopDownCocoDataset',
    'TopDownAicDataset', 'TopDownCrowdPoseDataset', 'TopDownMhpDataset',
    'TopDownMpiiDataset', 'TopDownOCHumanDataset', 'TopDownJhmdbDataset',
    'TopDownPoseTrack18Dataset', 'TopDownMpiiTrbDataset',
    'TopDownCocoWholeBodyDataset'
]
