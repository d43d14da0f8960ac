from ...registry import DATASETS
from .hand_base_dataset import HandBaseDataset


@DATASETS.register_module()
class FreiHandDataset(HandBaseDataset):
    """FreiHand dataset for top-down hand pose estimation.

    `FreiHAND: A Dataset for Markerless Capture of Hand Pose
    and Shape from Single RGB Images' ICCV'2019.
    More details can be found in the `paper
    <https://arxiv.org/pdf/1909.04349.pdf>`__ .

    FreiHand keypoint indexes: the 21 of :class:`HandBaseDataset`.

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.hand`. Loading and
    metrics: :class:`HandBaseDataset`.
    """

    dataset_name = 'freihand'
