from ...registry import DATASETS
from .topdown_coco_style_dataset import TopDownCocoStyleDataset


@DATASETS.register_module()
class TopDownOCHumanDataset(TopDownCocoStyleDataset):
    """OChuman dataset for top-down pose estimation.

    `Pose2Seg: Detection Free Human Instance Segmentation' CVPR'2019.
    More details can be found in the `paper
    <https://arxiv.org/abs/1803.10683>`__ .

    "Occluded Human (OCHuman)" dataset contains 8110 heavily occluded
    human instances within 4731 images. OCHuman dataset is designed for
    validation and testing. To evaluate on OCHuman, the model should be
    trained on COCO training set, and then test the robustness of the
    model to occlusion using OCHuman.

    OCHuman keypoint indexes: the 17 of COCO (see
    :class:`TopDownCocoDataset`).

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.coco`. Loading and
    mAP as :class:`TopDownCocoStyleDataset`.
    The constructor arguments (``ann_file``, ``img_prefix``, ``data_cfg``,
    ``pipeline``, ``test_mode``) are those of :class:`TopDownBaseDataset`.
    """

    dataset_name = 'ochuman'
