from ..base.keypoint_error_dataset import TopDownKeypointErrorDataset


class AnimalBaseDataset(TopDownKeypointErrorDataset):
    """Base class of the animal datasets evaluated by keypoint error (Fly,
    Locust, Zebra, Horse-10): one sample per annotated animal, PCK (0.2 of
    the box's longer side), AUC (up to 30 px) and EPE as
    :class:`~mmpose.datasets.datasets.base.keypoint_error_dataset.\\
TopDownKeypointErrorDataset`. MacaquePose and Animal-Pose are COCO-style
    (:class:`~mmpose.datasets.datasets.top_down.TopDownCocoStyleDataset`).

    The constructor arguments (``ann_file``, ``img_prefix``, ``data_cfg``,
    ``pipeline``, ``test_mode``) are those of
    :class:`~mmpose.datasets.datasets.top_down.TopDownBaseDataset`.
    """
