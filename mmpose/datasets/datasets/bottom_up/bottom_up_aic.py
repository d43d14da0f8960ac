from ...registry import DATASETS
from .bottom_up_base_dataset import BottomUpBaseDataset


@DATASETS.register_module()
class BottomUpAicDataset(BottomUpBaseDataset):
    """Aic dataset for bottom-up pose estimation.

    "AI Challenger : A Large-scale Dataset for Going Deeper
    in Image Understanding", arXiv'2017.

    AIC keypoints (limbs, head top, neck; 14):
    :mod:`mmpose.core.dataset_meta.aic`. COCOeval mAP ignoring annotation
    areas. Constructor arguments: :class:`BottomUpBaseDataset`.
    """

    dataset_name = 'aic'
    use_area = False
