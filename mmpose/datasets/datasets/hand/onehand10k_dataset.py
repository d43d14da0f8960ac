from ...registry import DATASETS
from .hand_base_dataset import HandBaseDataset


@DATASETS.register_module()
class OneHand10KDataset(HandBaseDataset):
    """OneHand10K dataset for top-down hand pose estimation.

    `Mask-pose Cascaded CNN for 2D Hand Pose Estimation from
    Single Color Images' TCSVT'2019. More details can be found in the `paper
    <https://www.yangangwang.com/papers/WANG-MCC-2018-10.pdf>`__ .

    OneHand10K keypoint indexes: the 21 of :class:`HandBaseDataset`.

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.hand`. Loading and
    metrics: :class:`HandBaseDataset`.
    """

    dataset_name = 'onehand10k'
