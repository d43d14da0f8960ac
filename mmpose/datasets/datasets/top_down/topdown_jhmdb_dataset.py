import os
import warnings
from collections import OrderedDict

import numpy as np

from mmpose.core.evaluation.keypoint_eval import jhmdb_pck_table
from ...registry import DATASETS
from .topdown_coco_style_dataset import TopDownCocoStyleDataset


@DATASETS.register_module()
class TopDownJhmdbDataset(TopDownCocoStyleDataset):
    """JhmdbDataset dataset for top-down pose estimation.

    `Towards understanding action recognition
    <https://openaccess.thecvf.com/content_iccv_2013/papers/
    Jhuang_Towards_Understanding_Action_2013_ICCV_paper.pdf>`__

    sub-JHMDB keypoint indexes::

{keypoint_table}

    Annotations are 1-based (MATLAB): boxes and keypoints are made 0-based
    on loading; the result file holds 1-based predictions. ``bbox_id`` is
    ``'<image id>_<index>'``. Metrics: 'PCK' (0.2 of the box's longer
    side) and 'tPCK' (0.2 of the torso, left shoulder to right hip), each a
    per-joint table (:func:`~mmpose.core.evaluation.keypoint_eval.\\
jhmdb_pck_table`). Keypoint metadata: :mod:`mmpose.core.dataset_meta.jhmdb`.
    The constructor arguments (``ann_file``, ``img_prefix``, ``data_cfg``,
    ``pipeline``, ``test_mode``) are those of :class:`TopDownBaseDataset`.
    """

    dataset_name = 'jhmdb'

    def _load_coco_keypoint_annotations(self):
        """Ground-truth samples, 0-based, with ``'<img_id>_<nnn>'`` ids."""
        records = self._coco_gt_records(
            clip_boxes=True, bbox_id_per_image=True, offset=-1)
        for record in records:
            img_id = self._image_id_from_path(record['image_file'])
            record['bbox_id'] = f'{img_id}_{record["bbox_id"]:03}'
        return records

    def evaluate(self, outputs, res_folder, metric='PCK', **kwargs):
        """Evaluate JHMDB keypoint results; the 1-based predictions are
        saved in ``${res_folder}/result_keypoints.json``.

        Unlike MMPose 0.x, ``outputs`` is not changed.

        Note:
            Shapes: N batch size, K keypoints.

        Args:
            outputs (list[dict]): One dict per batch with ``preds``
                (np.ndarray[N, K, 3]), ``boxes`` (np.ndarray[N, 6]),
                ``image_paths`` and ``bbox_ids``.
            res_folder (str): Path of directory to save the results.
            metric (str | list[str]): 'PCK' and / or 'tPCK'.

        Returns:
            OrderedDict: The PCK rows, then the tPCK rows.
        """
        metrics = self._check_metrics(metric, ('PCK', 'tPCK'))
        kpts = self._sort_and_unique_bboxes(self._collect_results(outputs))
        keypoints = np.stack([kpt['keypoints'] for kpt in kpts]).astype(
            np.float64)
        keypoints[..., :2] += 1.0  # 0-based to JHMDB's 1-based pixels
        self._write_keypoint_results([
            dict(kpt, keypoints=kpts_1b.tolist(),
                 center=kpt['center'].tolist(), scale=kpt['scale'].tolist())
            for kpt, kpts_1b in zip(kpts, keypoints)
        ], os.path.join(res_folder, 'result_keypoints.json'))
        return OrderedDict(self._report_metric(keypoints, metrics))

    def _report_metric(self, keypoints, metrics, pck_thr=0.2):
        """The PCK / tPCK tables of 1-based predictions against the
        ground truth (compared in the same, 1-based frame)."""
        preds = keypoints[..., :2]
        gts = np.stack([item['joints_3d'][:, :2] for item in self.db]) + 1
        masks = np.stack(
            [item['joints_3d_visible'][:, 0] for item in self.db]) > 0
        info = []
        if 'PCK' in metrics:
            sizes = np.array([max(item['bbox'][2:4]) for item in self.db])
            info += jhmdb_pck_table(preds, gts, masks, sizes, pck_thr)
        if 'tPCK' in metrics:
            torso = np.linalg.norm(gts[:, 4] - gts[:, 5], axis=1)
            small = torso < 1
            if small.any():
                warnings.warn('Torso Size < 1.')
                torso[small] = np.linalg.norm(
                    preds[small, 4] - preds[small, 5], axis=1)
            info += jhmdb_pck_table(preds, gts, masks, torso, pck_thr,
                                    'tPCK')
        return info
