from ...registry import DATASETS
from ..top_down.topdown_coco_style_dataset import TopDownCocoStyleDataset


@DATASETS.register_module()
class AnimalMacaqueDataset(TopDownCocoStyleDataset):
    """MacaquePose dataset for animal pose estimation.

    `MacaquePose: A novel 'in the wild' macaque monkey pose dataset
    for markerless motion capture' bioRxiv'2020. More details can be found
    in the `paper
    <https://www.biorxiv.org/content/10.1101/2020.07.30.229989v1>`__ .

    Macaque keypoint indexes: the 17 of COCO (see
    :class:`~mmpose.datasets.TopDownCocoDataset`).

    Keypoint metadata (COCO's tables): :mod:`mmpose.core.dataset_meta.animal`.
    Loading, detection boxes and mAP as :class:`TopDownCocoStyleDataset`.
    The constructor arguments (``ann_file``, ``img_prefix``, ``data_cfg``,
    ``pipeline``, ``test_mode``) are those of
    :class:`~mmpose.datasets.datasets.top_down.TopDownBaseDataset`.
    """

    dataset_name = 'macaque'
