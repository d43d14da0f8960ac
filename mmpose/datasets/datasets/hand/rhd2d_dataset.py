from ...registry import DATASETS
from .hand_base_dataset import HandBaseDataset


@DATASETS.register_module()
class Rhd2DDataset(HandBaseDataset):
    """Rendered Handpose Dataset for top-down hand pose estimation.

    `Learning to Estimate 3D Hand Pose from Single RGB Images'
    ICCV'2017. More details can be found in the `paper
    <https://arxiv.org/pdf/1705.01389.pdf>`__ .

    The dataset loads raw features and apply specified transforms
    to return a dict containing the image tensors and other information.

    RHD keypoint indexes::

        0: 'wrist',
        1: 'thumb4',
        2: 'thumb3',
        3: 'thumb2',
        4: 'thumb1',
        5: 'forefinger4',
        6: 'forefinger3',
        7: 'forefinger2',
        8: 'forefinger1',
        9: 'middle_finger4',
        10: 'middle_finger3',
        11: 'middle_finger2',
        12: 'middle_finger1',
        13: 'ring_finger4',
        14: 'ring_finger3',
        15: 'ring_finger2',
        16: 'ring_finger1',
        17: 'pinky_finger4',
        18: 'pinky_finger3',
        19: 'pinky_finger2',
        20: 'pinky_finger1'

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.hand`. Loading and
    metrics: :class:`HandBaseDataset`.
    """

    dataset_name = 'rhd'
