import os
from collections import OrderedDict

import numpy as np

from mmpose.core.evaluation.keypoint_eval import mpii_trb_pckh
from ...registry import DATASETS
from ..base.mpii_format import load_mpii_trb_records
from .topdown_base_dataset import TopDownBaseDataset


@DATASETS.register_module()
class TopDownMpiiTrbDataset(TopDownBaseDataset):
    """MPII-TRB Dataset dataset for top-down pose estimation.

    `TRB: A Novel Triplet Representation for Understanding 2D Human Body`
    ICCV'2019 More details can be found in the `paper
    <https://arxiv.org/abs/1910.11535>`__ .

    MPII-TRB keypoint indexes (14 skeleton, then 26 contour keypoints)::

{keypoint_table}

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.mpii_trb`. Loading:
    :func:`~mmpose.datasets.datasets.base.mpii_format.\\
load_mpii_trb_records`; metrics:
    :func:`mmpose.core.evaluation.keypoint_eval.mpii_trb_pckh`. The
    constructor arguments (``ann_file``, ``img_prefix``, ``data_cfg``,
    ``pipeline``, ``test_mode``) are those of :class:`TopDownBaseDataset`.
    """

    dataset_name = 'mpii_trb'

    def __init__(self, ann_file, img_prefix, data_cfg, pipeline,
                 test_mode=False):
        super().__init__(ann_file, img_prefix, data_cfg, pipeline, test_mode)
        self.db = self._get_db(ann_file)
        self.image_set = set(x['image_file'] for x in self.db)
        self.num_images = len(self.image_set)
        print(f'=> num_images: {self.num_images}')
        print(f'=> load {len(self.db)} samples')

    def _get_db(self, ann_file):
        """Load the samples."""
        return load_mpii_trb_records(ann_file, self.img_prefix,
                                     self.ann_info['num_joints'],
                                     self.ann_info['image_size'],
                                     self.test_mode)

    def evaluate(self, outputs, res_folder, metric='PCKh', **kwargs):
        """Evaluate PCKh for MPII-TRB dataset; the results are saved in
        ``${res_folder}/result_keypoints.json``.

        Note:
            Shapes: N batch size, K keypoints.

        Args:
            outputs (list[dict]): One dict per batch with ``preds``
                (np.ndarray[N, K, 3]), ``boxes`` (np.ndarray[N, 6]),
                ``image_paths`` (image ids are their file names' numbers)
                and ``bbox_ids`` (e.g. ['27407']).
            res_folder (str): Path of directory to save the results.
            metric (str | list[str]): Metrics to be performed.
                Defaults: 'PCKh'.

        Returns:
            OrderedDict: 'Skeleton_acc', 'Contour_acc' and 'PCKh'.
        """
        self._check_metrics(metric, ('PCKh', ))
        kpts = []
        for output in outputs:
            kpts.extend({
                'keypoints': pred.tolist(),
                'center': box[0:2].tolist(),
                'scale': box[2:4].tolist(),
                'area': float(box[4]),
                'score': float(box[5]),
                'image_id': int(
                    os.path.basename(os.path.splitext(path)[0])),
                'bbox_id': bbox_id
            } for pred, box, path, bbox_id in zip(
                np.asarray(output['preds']), np.asarray(output['boxes']),
                output['image_paths'], output['bbox_ids']))
        kpts = self._sort_and_unique_bboxes(kpts)
        self._write_keypoint_results(
            kpts, os.path.join(res_folder, 'result_keypoints.json'))
        return OrderedDict(self._report_metric(kpts))

    def _report_metric(self, kpts):
        """Accuracies of results in ``db`` order."""
        if any('headbox' not in item for item in self.db):
            raise KeyError(f'MPII-TRB PCKh needs the headbox of every '
                           f'annotation; {self.annotations_path!r} lacks some')
        return mpii_trb_pckh(
            np.array([kpt['keypoints'] for kpt in kpts]),
            np.stack([item['joints_3d'] for item in self.db]),
            np.stack([item['joints_3d_visible'][:, 0] > 0
                      for item in self.db]),
            [item['headbox'] for item in self.db])
