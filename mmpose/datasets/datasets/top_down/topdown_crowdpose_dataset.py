from mmpose.core.evaluation.coco_eval import CROWDPOSE_STATS_NAMES
from ...registry import DATASETS
from .topdown_coco_style_dataset import TopDownCocoStyleDataset


@DATASETS.register_module()
class TopDownCrowdPoseDataset(TopDownCocoStyleDataset):
    """CrowdPoseDataset dataset for top-down pose estimation.

    `CrowdPose: Efficient Crowded Scenes Pose Estimation and
    A New Benchmark` CVPR'2019. More details can be found in the `paper
    <https://arxiv.org/abs/1812.00324>`__ .

    CrowdPose keypoint indexes::

{keypoint_table}

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.crowdpose`. Loading
    as :class:`TopDownCocoStyleDataset`; mAP with CrowdPose's COCOeval
    variant (``keypoints_crowd``: AP by crowd index easy/medium/hard),
    ignoring annotation areas.
    The constructor arguments (``ann_file``, ``img_prefix``, ``data_cfg``,
    ``pipeline``, ``test_mode``) are those of :class:`TopDownBaseDataset`.
    """

    dataset_name = 'crowdpose'
    coco_iou_type = 'keypoints_crowd'
    use_area = False
    stats_names = CROWDPOSE_STATS_NAMES
