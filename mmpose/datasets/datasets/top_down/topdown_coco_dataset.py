from ...registry import DATASETS
from .topdown_coco_style_dataset import TopDownCocoStyleDataset


@DATASETS.register_module()
class TopDownCocoDataset(TopDownCocoStyleDataset):
    """CocoDataset dataset for top-down pose estimation.

    `Microsoft COCO: Common Objects in Context' ECCV'2014
    More details can be found in the `paper
    <https://arxiv.org/abs/1405.0312>`__ .

    The dataset loads raw features and apply specified transforms
    to return a dict containing the image tensors and other information.

    COCO keypoint indexes::

        0: 'nose',
        1: 'left_eye',
        2: 'right_eye',
        3: 'left_ear',
        4: 'right_ear',
        5: 'left_shoulder',
        6: 'right_shoulder',
        7: 'left_elbow',
        8: 'right_elbow',
        9: 'left_wrist',
        10: 'right_wrist',
        11: 'left_hip',
        12: 'right_hip',
        13: 'left_knee',
        14: 'right_knee',
        15: 'left_ankle',
        16: 'right_ankle'

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.coco`. Loading and
    evaluation: :class:`TopDownCocoStyleDataset`.
    The constructor arguments (``ann_file``, ``img_prefix``, ``data_cfg``,
    ``pipeline``, ``test_mode``) are those of :class:`TopDownBaseDataset`.
    """

    dataset_name = 'coco'
