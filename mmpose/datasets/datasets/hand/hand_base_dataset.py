from ..base.keypoint_error_dataset import TopDownKeypointErrorDataset


class HandBaseDataset(TopDownKeypointErrorDataset):
    """Base class for top-down hand pose datasets in COCO keypoint format.

    One sample per annotated hand (its box padded by ``bbox_padding``),
    evaluated by PCK (threshold 0.2 of the box's longer side), PCKh, AUC
    (up to 30 px) and EPE: all of
    :class:`~mmpose.datasets.datasets.base.keypoint_error_dataset.\\
TopDownKeypointErrorDataset`. A hand dataset class holds its keypoint
    table, ``dataset_name`` and what differs.

    Hand keypoint indexes::

        0: 'wrist',
        1: 'thumb1',
        2: 'thumb2',
        3: 'thumb3',
        4: 'thumb4',
        5: 'forefinger1',
        6: 'forefinger2',
        7: 'forefinger3',
        8: 'forefinger4',
        9: 'middle_finger1',
        10: 'middle_finger2',
        11: 'middle_finger3',
        12: 'middle_finger4',
        13: 'ring_finger1',
        14: 'ring_finger2',
        15: 'ring_finger3',
        16: 'ring_finger4',
        17: 'pinky_finger1',
        18: 'pinky_finger2',
        19: 'pinky_finger3',
        20: 'pinky_finger4'

    The constructor arguments (``ann_file``, ``img_prefix``, ``data_cfg``,
    ``pipeline``, ``test_mode``) are those of
    :class:`~mmpose.datasets.datasets.top_down.TopDownBaseDataset`.
    """
