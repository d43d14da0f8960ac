import numpy as np

from mmpose.core.evaluation.keypoint_eval import interocular_normalize
from ..base.keypoint_error_dataset import TopDownKeypointErrorDataset


class FaceBaseDataset(TopDownKeypointErrorDataset):
    """Base class for face landmark datasets in COCO keypoint format,
    evaluated by the normalised mean error (NME).

    An annotation with its own ``center`` and ``scale`` (300W, AFLW, WFLW)
    uses them (scale padded by 1.25), as MMPose 0.x; otherwise the box is
    converted. The NME normaliser is the distance between the keypoints
    ``interocular_ids`` (the outer eye corners); a dataset with another
    normaliser overrides :meth:`_get_normalize_factor`.

    The constructor arguments (``ann_file``, ``img_prefix``, ``data_cfg``,
    ``pipeline``, ``test_mode``) are those of
    :class:`~mmpose.datasets.datasets.top_down.TopDownBaseDataset`.
    """

    allowed_metrics = ('NME', )
    #: Keypoints whose distance normalises the NME.
    interocular_ids = None

    def _center_scale(self, obj, bbox, padding):
        if 'center' in obj and 'scale' in obj:
            return (np.array(obj['center']),
                    np.array([obj['scale'], obj['scale']]) * padding)
        return super()._center_scale(obj, bbox, padding)

    def _get_normalize_factor(self, gts):
        """The inter-ocular distance of each sample.

        Args:
            gts (np.ndarray[N, K, 2]): Ground-truth keypoints.

        Returns:
            np.ndarray[N, 2]: The distance, in both columns.
        """
        return interocular_normalize(gts, *self.interocular_ids)

    def evaluate(self, outputs, res_folder, metric='NME', **kwargs):
        """Evaluate face landmark results: 'NME' (see
        :meth:`TopDownKeypointErrorDataset.evaluate`); the results are saved
        in ``${res_folder}/result_keypoints.json``."""
        return super().evaluate(outputs, res_folder, metric, **kwargs)
