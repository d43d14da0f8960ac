from mmpose.core.evaluation.coco_eval import CROWDPOSE_STATS_NAMES
from ...registry import DATASETS
from .bottom_up_base_dataset import BottomUpBaseDataset


@DATASETS.register_module()
class BottomUpCrowdPoseDataset(BottomUpBaseDataset):
    """CrowdPose dataset for bottom-up pose estimation.

    The dataset loads raw features and apply specified transforms
    to return a dict containing the image tensors and other information.

    CrowdPose keypoints (limbs, top of the head, neck; 14):
    :mod:`mmpose.core.dataset_meta.crowdpose`. mAP with CrowdPose's
    COCOeval variant (``keypoints_crowd``: AP by crowd index), ignoring
    areas. Constructor arguments: :class:`BottomUpBaseDataset`.
    """

    dataset_name = 'crowdpose'
    coco_iou_type = 'keypoints_crowd'
    use_area = False
    stats_names = CROWDPOSE_STATS_NAMES
