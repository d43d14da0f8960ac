from ...registry import DATASETS
from .topdown_coco_style_dataset import TopDownCocoStyleDataset


@DATASETS.register_module()
class TopDownAicDataset(TopDownCocoStyleDataset):
    """AicDataset dataset for top-down pose estimation.

    `AI Challenger : A Large-scale Dataset for Going Deeper
    in Image Understanding <https://arxiv.org/abs/1711.06475>`__

    AIC keypoint indexes::

{keypoint_table}

    Keypoint metadata (AIC sigmas): :mod:`mmpose.core.dataset_meta.aic`.
    Loading and mAP as :class:`TopDownCocoStyleDataset`, with COCOeval
    ignoring annotation areas (``use_area=False``).
    The constructor arguments (``ann_file``, ``img_prefix``, ``data_cfg``,
    ``pipeline``, ``test_mode``) are those of :class:`TopDownBaseDataset`.
    """

    dataset_name = 'aic'
    use_area = False
