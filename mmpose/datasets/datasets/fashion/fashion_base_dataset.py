from ..base.keypoint_error_dataset import TopDownKeypointErrorDataset


class FashionBaseDataset(TopDownKeypointErrorDataset):
    """Base class of fashion landmark datasets: one sample per annotated
    garment, PCK (0.2 of the box's longer side), AUC (up to 30 px) and EPE
    as :class:`~mmpose.datasets.datasets.base.keypoint_error_dataset.\\
TopDownKeypointErrorDataset`.

    The constructor arguments (``ann_file``, ``img_prefix``, ``data_cfg``,
    ``pipeline``, ``test_mode``) are those of
    :class:`~mmpose.datasets.datasets.top_down.TopDownBaseDataset`.
    """
