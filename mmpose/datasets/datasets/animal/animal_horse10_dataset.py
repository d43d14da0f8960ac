from mmpose.core.evaluation.keypoint_eval import interocular_normalize
from ...registry import DATASETS
from .animal_base_dataset import AnimalBaseDataset


@DATASETS.register_module()
class AnimalHorse10Dataset(AnimalBaseDataset):
    """AnimalHorse10Dataset for animal pose estimation.

    `Pretraining boosts out-of-domain robustness for pose estimation'
    WACV'2021. More details can be found in the `paper
    <https://arxiv.org/pdf/1909.11229.pdf>`__ .

    PCK (threshold 0.3) and NME are normalised by each horse's nose-to-eye
    distance (keypoints 0 and 1), as the paper and MMPose 0.x do.

    Horse-10 keypoint indexes::

{keypoint_table}

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.animal`. Loading and
    metrics: :class:`AnimalBaseDataset`.
    """

    dataset_name = 'horse10'
    allowed_metrics = ('PCK', 'NME')

    def _pck_sizes(self, gts):
        """The nose-to-eye distance of each sample (np.ndarray[N])."""
        return interocular_normalize(gts, 0, 1)[:, 0]

    def _get_normalize_factor(self, gts):
        """The nose-to-eye distance of each sample, in both columns."""
        return interocular_normalize(gts, 0, 1)

    def _report_metric(self, res_file, metrics, pck_thr=0.3, **kwargs):
        """As :meth:`AnimalBaseDataset._report_metric` with PCK@0.3."""
        return super()._report_metric(
            res_file, metrics, pck_thr=pck_thr, **kwargs)
