from ...registry import DATASETS
from .bottom_up_base_dataset import BottomUpBaseDataset


@DATASETS.register_module()
class BottomUpMhpDataset(BottomUpBaseDataset):
    """MHPv2.0 dataset for bottom-up pose estimation.

    "Understanding Humans in Crowded Scenes: Deep Nested Adversarial
    Learning and A New Benchmark for Multi-Human Parsing", ACM MM'2018.
    <https://lv-mhp.github.io/>

    MHP keypoints (MPII's 16): :mod:`mmpose.core.dataset_meta.mpii`.
    COCOeval mAP ignoring annotation areas. Constructor arguments:
    :class:`BottomUpBaseDataset`.
    """

    dataset_name = 'mhp'
    use_area = False
