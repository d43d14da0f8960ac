from ...registry import DATASETS
from .hand_base_dataset import HandBaseDataset


@DATASETS.register_module()
class PanopticDataset(HandBaseDataset):
    """Panoptic dataset for top-down hand pose estimation.

    `Hand Keypoint Detection in Single Images using Multiview
    Bootstrapping' CVPR'2017. More details can be found in the `paper
    <https://arxiv.org/abs/1704.07809>`__ .

    Boxes are padded by 1.76 and PCKh is normalised by each annotation's
    ``head_size``.

    Panoptic keypoint indexes: the 21 of :class:`HandBaseDataset`.

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.hand`. Loading and
    metrics: :class:`HandBaseDataset`.
    """

    dataset_name = 'panoptic'
    allowed_metrics = ('PCKh', 'AUC', 'EPE')
    bbox_padding = 1.76
    extra_keys = ('head_size', )

    def evaluate(self, outputs, res_folder, metric='PCKh', **kwargs):
        """Evaluate panoptic keypoint results: 'PCKh' (0.7 of the head
        size), 'AUC', 'EPE' (see :meth:`HandBaseDataset.evaluate`)."""
        return super().evaluate(outputs, res_folder, metric, **kwargs)
