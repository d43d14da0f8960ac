import os
from collections import OrderedDict

import numpy as np

from mmpose.core.evaluation.keypoint_eval import mpii_pckh
from ...registry import DATASETS
from ..base.mpii_format import load_mpii_records
from .topdown_base_dataset import TopDownBaseDataset


@DATASETS.register_module()
class TopDownMpiiDataset(TopDownBaseDataset):
    """MPII Dataset for top-down pose estimation.

    `2D Human Pose Estimation: New Benchmark and State of the Art Analysis'
    CVPR'2014. More details can be found in the `paper
    <http://human-pose.mpi-inf.mpg.de/contents/andriluka14cvpr.pdf>`__ .

    MPII keypoint indexes::

{keypoint_table}

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.mpii`. Loading:
    :func:`~mmpose.datasets.datasets.base.mpii_format.load_mpii_records`;
    PCKh: :func:`mmpose.core.evaluation.keypoint_eval.mpii_pckh` against
    the official ``mpii_gt_val.mat`` beside ``ann_file``.
    The constructor arguments (``ann_file``, ``img_prefix``, ``data_cfg``,
    ``pipeline``, ``test_mode``) are those of :class:`TopDownBaseDataset`.
    """

    dataset_name = 'mpii'

    def __init__(self, ann_file, img_prefix, data_cfg, pipeline,
                 test_mode=False):
        super().__init__(ann_file, img_prefix, data_cfg, pipeline, test_mode)
        self.db = self._get_db()
        self.image_set = set(x['image_file'] for x in self.db)
        self.num_images = len(self.image_set)
        print(f'=> num_images: {self.num_images}')
        print(f'=> load {len(self.db)} samples')

    def _get_db(self):
        """Load the samples (joints only outside test mode, as 0.x)."""
        return load_mpii_records(
            self.annotations_path,
            self.img_prefix,
            self.ann_info['num_joints'],
            with_joints=not self.test_mode,
            dataset_name=self.dataset_name)

    def evaluate(self, outputs, res_folder, metric='PCKh', **kwargs):
        """Evaluate PCKh for MPII dataset. Adapted from
        https://github.com/leoxiaobin/deep-high-resolution-net.pytorch
        Copyright (c) Microsoft, under the MIT License.

        The ground truth is the official ``mpii_gt_val.mat`` in the folder
        of ``ann_file``; the predictions, 1-based, are saved to
        ``${res_folder}/pred.mat`` when ``res_folder`` is given.

        Args:
            outputs (list[dict]): One dict per batch with ``preds``
                (np.ndarray[N, K, 3]: x, y, score) and ``bbox_ids``
                (list[int]); other keys (``boxes``, ``image_paths``,
                ``heatmap``) are not read.
            res_folder (str | None): Path of directory to save the results.
            metric (str | list[str]): Metrics to be performed.
                Defaults: 'PCKh'.

        Returns:
            OrderedDict: PCKh for each joint ('Head', 'Shoulder', 'Elbow',
            'Wrist', 'Hip', 'Knee', 'Ankle'), 'PCKh' and 'PCKh@0.1'.
        """
        from scipy.io import loadmat, savemat

        self._check_metrics(metric, ('PCKh', ))
        kpts = []
        for output in outputs:
            kpts.extend({
                'keypoints': pred,
                'bbox_id': bbox_id
            } for pred, bbox_id in zip(output['preds'], output['bbox_ids']))
        kpts = self._sort_and_unique_bboxes(kpts)
        # 0-based to MATLAB's 1-based coordinates
        preds = np.stack([kpt['keypoints'] for kpt in kpts])[..., :2] + 1.0
        if res_folder:
            os.makedirs(res_folder, exist_ok=True)
            savemat(
                os.path.join(res_folder, 'pred.mat'), mdict={'preds': preds})

        gt_file = os.path.join(
            os.path.dirname(self.annotations_path), 'mpii_gt_val.mat')
        if not os.path.isfile(gt_file):
            raise FileNotFoundError(
                f'MPII ground truth {gt_file!r} not found: PCKh reads the '
                f'official mpii_gt_val.mat beside ann_file')
        return OrderedDict(mpii_pckh(preds, loadmat(gt_file)))
