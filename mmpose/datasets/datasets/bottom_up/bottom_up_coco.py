from ...registry import DATASETS
from .bottom_up_base_dataset import BottomUpBaseDataset


@DATASETS.register_module()
class BottomUpCocoDataset(BottomUpBaseDataset):
    """COCO dataset for bottom-up pose estimation.

    The dataset loads raw features and apply specified transforms
    to return a dict containing the image tensors and other information.

    COCO keypoints (nose, eyes, ears, shoulders, elbows, wrists, hips, knees,
    ankles; 17): :mod:`mmpose.core.dataset_meta.coco`. Loading and COCOeval
    mAP: :class:`BottomUpBaseDataset`, whose constructor arguments
    (``ann_file``, ``img_prefix``, ``data_cfg``, ``pipeline``,
    ``test_mode``) it takes.
    """

    dataset_name = 'coco'
