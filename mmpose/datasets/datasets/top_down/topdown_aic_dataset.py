from ...registry import DATASETS
from .topdown_coco_style_dataset import TopDownCocoStyleDataset


@DATASETS.register_module()
class TopDownAicDataset(TopDownCocoStyleDataset):
    """AicDataset dataset for top-down pose estimation.

    `AI Challenger : A Large-scale Dataset for Going Deeper
    in Image Understanding <https://arxiv.org/abs/1711.06475>`__

    The dataset loads raw features and apply specified transforms
    to return a dict containing the image tensors and other information.

    AIC keypoint indexes::

        0: "right_shoulder",
        1: "right_elbow",
        2: "right_wrist",
        3: "left_shoulder",
        4: "left_elbow",
        5: "left_wrist",
        6: "right_hip",
        7: "right_knee",
        8: "right_ankle",
        9: "left_hip",
        10: "left_knee",
        11: "left_ankle",
        12: "head_top",
        13: "neck"

    Keypoint metadata (AIC sigmas): :mod:`mmpose.core.dataset_meta.aic`.
    Loading and mAP as :class:`TopDownCocoStyleDataset`, with COCOeval
    ignoring annotation areas (``use_area=False``).
    The constructor arguments (``ann_file``, ``img_prefix``, ``data_cfg``,
    ``pipeline``, ``test_mode``) are those of :class:`TopDownBaseDataset`.
    """

    dataset_name = 'aic'
    use_area = False
