from ...registry import DATASETS
from .hand_base_dataset import HandBaseDataset


@DATASETS.register_module()
class Rhd2DDataset(HandBaseDataset):
    """Rendered Handpose Dataset for top-down hand pose estimation.

    `Learning to Estimate 3D Hand Pose from Single RGB Images'
    ICCV'2017. More details can be found in the `paper
    <https://arxiv.org/pdf/1705.01389.pdf>`__ .

    RHD keypoint indexes::

{keypoint_table}

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.hand`. Loading and
    metrics: :class:`HandBaseDataset`.
    """

    dataset_name = 'rhd'
