from ...registry import DATASETS
from ..top_down.topdown_coco_style_dataset import TopDownCocoStyleDataset


@DATASETS.register_module()
class AnimalATRWDataset(TopDownCocoStyleDataset):
    """ATRW dataset for animal pose estimation.

    `ATRW: A Benchmark for Amur Tiger Re-identification in the Wild'
    ACM MM'2020. More details can be found in the `paper
    <https://arxiv.org/abs/1906.05586>`__ .

    Keypoint metadata (names, flip pairs, OKS sigmas):
    :mod:`mmpose.core.dataset_meta.atrw`. Loading, detection boxes and mAP
    as :class:`TopDownCocoStyleDataset`. The constructor arguments
    (``ann_file``, ``img_prefix``, ``data_cfg``, ``pipeline``,
    ``test_mode``) are those of
    :class:`~mmpose.datasets.datasets.top_down.TopDownBaseDataset`.
    """

    dataset_name = 'atrw'
