"""The top-down base of datasets evaluated by keypoint error (PCK, PCKh,
AUC, EPE, NME): hand, face, fashion and several animal datasets."""
import json
import os
from collections import OrderedDict

import numpy as np

from mmpose.core.evaluation.keypoint_eval import keypoint_error_metrics
from mmpose.utils import check
from ..top_down.topdown_base_dataset import TopDownBaseDataset
from .coco_format import CocoFormatMixin


class TopDownKeypointErrorDataset(CocoFormatMixin, TopDownBaseDataset):
    """Top-down dataset in COCO keypoint format, one sample per annotated
    instance (ground-truth boxes as annotated, ``bbox_id`` through the whole
    dataset), evaluated by keypoint error.

    A subclass sets ``dataset_name``, ``allowed_metrics`` and, where they
    differ, ``bbox_padding`` and ``extra_keys`` (annotation keys copied into
    the records, e.g. Panoptic's ``head_size``); a face dataset overrides
    :meth:`_get_normalize_factor`. Its ``evaluate`` keeps 0.x's default
    metric and calls this one.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    #: Metrics ``evaluate`` accepts.
    allowed_metrics = ('PCK', 'AUC', 'EPE')
    #: Box padding of the center/scale conversion.
    bbox_padding = 1.25
    #: Annotation keys copied into the records.
    extra_keys = ()

    def __init__(self, ann_file, img_prefix, data_cfg, pipeline,
                 test_mode=False):
        super().__init__(ann_file, img_prefix, data_cfg, pipeline, test_mode)
        self._load_coco(ann_file, num_joints=self.ann_info['num_joints'])
        self.db = self._get_db()
        print(f'=> num_images: {self.num_images}')
        print(f'=> load {len(self.db)} samples')

    def _get_db(self):
        """Load the samples."""
        return self._coco_gt_records(
            clip_boxes=False,
            bbox_id_per_image=False,
            padding=self.bbox_padding,
            extra_keys=self.extra_keys)

    def evaluate(self, outputs, res_folder, metric='PCK', **kwargs):
        """Evaluate keypoint results. The pose prediction results are saved
        in ``${res_folder}/result_keypoints.json``.

        Note:
            Shapes: N batch size, K keypoints, H x W heatmaps.

        Args:
            outputs (list[dict]): One dict per batch with ``preds``
                (np.ndarray[N, K, 3]: x, y, score), ``boxes``
                (np.ndarray[N, 6]: center, scale, area, score),
                ``image_paths`` (e.g. ['Test/source/0.jpg']) and
                ``bbox_ids``; ``output_heatmap`` is not read.
            res_folder (str): Path of directory to save the results.
            metric (str | list[str]): Metric to be performed, any of
                ``allowed_metrics``.

        Returns:
            OrderedDict: Evaluation results for evaluation metric.
        """
        metrics = self._check_metrics(metric, self.allowed_metrics)
        res_file = os.path.join(res_folder, 'result_keypoints.json')
        kpts = self._sort_and_unique_bboxes(self._collect_results(outputs))
        self._write_keypoint_results([{
            key: value.tolist() if isinstance(value, np.ndarray) else value
            for key, value in kpt.items()
        } for kpt in kpts], res_file)
        # the values just written, without reading the file back
        return OrderedDict(
            self._report_metric(
                res_file,
                metrics,
                keypoints=np.stack([kpt['keypoints'] for kpt in kpts])))

    def _report_metric(self,
                       res_file,
                       metrics,
                       pck_thr=0.2,
                       pckh_thr=0.7,
                       auc_nor=30,
                       keypoints=None):
        """Keypoint-error metrics of the results in ``res_file``, in the
        order PCK, PCKh, AUC, EPE, NME.

        Args:
            res_file (str): Json of results, one per sample in ``db`` order.
            metrics (list[str]): Metrics to compute.
            pck_thr (float): PCK threshold (of the box's longer side).
            pckh_thr (float): PCKh threshold (of ``head_size``).
            auc_nor (float): AUC normaliser in pixels.
            keypoints (np.ndarray[N, K, 3] | None): The results of
                ``res_file`` when the caller has them (read otherwise).

        Returns:
            list[tuple[str, float]]: (name, value) pairs.
        """
        if keypoints is None:
            with open(res_file, 'r') as fin:
                keypoints = np.array(
                    [pred['keypoints'] for pred in json.load(fin)])
        check(
            len(keypoints) == len(self.db),
            f'{res_file} holds {len(keypoints)} results, expected one per '
            f'sample ({len(self.db)})')
        gts = np.stack([item['joints_3d'] for item in self.db])[..., :2]
        masks = np.stack(
            [item['joints_3d_visible'][:, 0] for item in self.db]) > 0
        kwargs = {}
        if 'PCK' in metrics:
            kwargs['bbox_sizes'] = self._pck_sizes(gts)
        if 'PCKh' in metrics:
            kwargs['head_sizes'] = np.array(
                [item['head_size'] for item in self.db])
        if 'NME' in metrics:
            kwargs['nme_normalize'] = self._get_normalize_factor(gts)
        return keypoint_error_metrics(
            keypoints[..., :2],
            gts,
            masks,
            metrics,
            pck_thr=pck_thr,
            pckh_thr=pckh_thr,
            auc_nor=auc_nor,
            **kwargs)

    def _pck_sizes(self, gts):
        """PCK normaliser of each sample: the longer side of its box.

        Args:
            gts (np.ndarray[N, K, 2]): Ground-truth keypoints.

        Returns:
            np.ndarray[N]: The sizes.
        """
        return np.array([max(item['bbox'][2:4]) for item in self.db])

    def _get_normalize_factor(self, gts):
        """NME normaliser of each sample (np.ndarray[N, 2]); a dataset
        evaluated by NME overrides this."""
        raise NotImplementedError(
            f'{type(self).__name__} has no NME normaliser')
