from ...registry import DATASETS
from ..top_down.topdown_coco_style_dataset import TopDownCocoStyleDataset


@DATASETS.register_module()
class AnimalPoseDataset(TopDownCocoStyleDataset):
    """Animal-Pose dataset for animal pose estimation.

    `Cross-domain Adaptation For Animal Pose Estimation' ICCV'2019.
    More details can be found in the `paper
    <https://arxiv.org/abs/1908.05806>`__ .

    Animal-Pose keypoint indexes::

{keypoint_table}

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.animal`. Loading,
    detection boxes and mAP as :class:`TopDownCocoStyleDataset`.
    The constructor arguments (``ann_file``, ``img_prefix``, ``data_cfg``,
    ``pipeline``, ``test_mode``) are those of
    :class:`~mmpose.datasets.datasets.top_down.TopDownBaseDataset`.
    """

    dataset_name = 'animalpose'
