from ...registry import DATASETS
from .topdown_coco_style_dataset import TopDownCocoStyleDataset


@DATASETS.register_module()
class TopDownMhpDataset(TopDownCocoStyleDataset):
    """MHPv2.0 dataset for top-down pose estimation.

    The Multi-Human Parsing project of Learning and Vision (LV) Group,
    National University of Singapore (NUS) is proposed to push the frontiers
    of fine-grained visual understanding of humans in crowd scene.
    <https://lv-mhp.github.io/>

    Note that, the evaluation metric used here is mAP (adapted from COCO),
    which may be different from the official evaluation codes.
    'https://github.com/ZhaoJ9014/Multi-Human-Parsing/tree/master/'
    'Evaluation/Multi-Human-Pose'
    Please be cautious if you use the results in papers.

    MHP keypoint indexes::

{keypoint_table}

    Keypoint metadata (MPII layout, MHP sigmas):
    :mod:`mmpose.core.dataset_meta.mpii`. Loading and mAP as
    :class:`TopDownCocoStyleDataset`, ignoring annotation areas.
    The constructor arguments (``ann_file``, ``img_prefix``, ``data_cfg``,
    ``pipeline``, ``test_mode``) are those of :class:`TopDownBaseDataset`.
    """

    dataset_name = 'mhp'
    use_area = False
