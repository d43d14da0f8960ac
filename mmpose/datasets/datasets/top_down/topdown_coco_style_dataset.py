import json
import os
import warnings
from collections import OrderedDict, defaultdict

import numpy as np

from mmpose.core.evaluation.coco_eval import (COCO_STATS_NAMES,
                                              coco_keypoint_eval,
                                              coco_keypoint_results,
                                              rescore_and_nms)
from ..base.coco_format import CocoFormatMixin
from .topdown_base_dataset import TopDownBaseDataset


class TopDownCocoStyleDataset(CocoFormatMixin, TopDownBaseDataset):
    """Base for top-down datasets annotated in COCO keypoint format.

    It loads the annotation file with ``xtcocotools``, makes one sample per
    person from the ground-truth boxes (training, or ``use_gt_bbox``) or from
    a detection results file (``bbox_file``, testing), and evaluates with
    OKS-based ``COCOeval`` after rescoring and OKS NMS.

    A subclass names its metadata with ``dataset_name`` and may change the
    class attributes below for its evaluation protocol.

    The ``data_cfg`` keys read here, besides those of
    :class:`TopDownBaseDataset`: ``use_gt_bbox``, ``bbox_file``,
    ``det_bbox_thr`` (default 0.0; ``image_thr`` is its deprecated name),
    ``use_nms`` (default True), ``soft_nms``, ``nms_thr``, ``oks_thr`` and
    ``vis_thr``. As in MMPose 0.x, (soft) OKS NMS uses ``oks_thr`` as its
    threshold; ``nms_thr`` is read but not used. The constructor arguments
    are those of :class:`TopDownBaseDataset`.
    """

    #: ``iouType`` given to COCOeval.
    coco_iou_type = 'keypoints'
    #: Whether COCOeval uses annotation areas (``use_area``).
    use_area = True
    #: Names of the ``COCOeval.stats`` entries, in order.
    stats_names = COCO_STATS_NAMES
    #: Category id of the detections in ``bbox_file`` to use.
    det_category_id = 1

    def __init__(self, ann_file, img_prefix, data_cfg, pipeline,
                 test_mode=False):
        super().__init__(ann_file, img_prefix, data_cfg, pipeline, test_mode)

        self.use_gt_bbox = data_cfg['use_gt_bbox']
        self.bbox_file = data_cfg['bbox_file']
        self.det_bbox_thr = data_cfg.get('det_bbox_thr', 0.0)
        if 'image_thr' in data_cfg:
            warnings.warn(
                'image_thr is deprecated, please use det_bbox_thr instead',
                DeprecationWarning)
            self.det_bbox_thr = data_cfg['image_thr']
        self.use_nms = data_cfg.get('use_nms', True)
        self.soft_nms = data_cfg['soft_nms']
        self.nms_thr = data_cfg['nms_thr']
        self.oks_thr = data_cfg['oks_thr']
        self.vis_thr = data_cfg['vis_thr']

        self._load_coco(
            ann_file,
            num_joints=self.ann_info['num_joints'],
            require_annotations=not self._uses_detections)
        self.db = self._get_db()

        print(f'=> num_images: {self.num_images}')
        print(f'=> load {len(self.db)} samples')

    @property
    def _uses_detections(self):
        return self.test_mode and not self.use_gt_bbox

    def _get_db(self):
        """Load the samples: detections when testing without ground-truth
        boxes, ground-truth boxes otherwise."""
        if self._uses_detections:
            return self._load_coco_person_detection_results()
        return self._load_coco_keypoint_annotations()

    def _load_coco_keypoint_annotations(self):
        """Ground-truth samples of all images: boxes clipped to the image,
        empty boxes and people without labelled keypoints skipped,
        ``bbox_id`` numbered per image."""
        return self._coco_gt_records(clip_boxes=True, bbox_id_per_image=True)

    def _load_coco_person_detection_results(self):
        """Samples from the detection results in ``bbox_file``, keeping
        boxes of ``det_category_id`` scored at least ``det_bbox_thr``."""
        num_joints = self.ann_info['num_joints']
        if not os.path.isfile(self.bbox_file):
            raise FileNotFoundError(
                f'detection results file {self.bbox_file!r} (data_cfg key '
                f'bbox_file) not found; to test on ground-truth boxes '
                f'instead, set use_gt_bbox=True in data_cfg')
        with open(self.bbox_file, 'r') as f:
            all_boxes = json.load(f)
        if not all_boxes:
            raise ValueError(
                f'detection results file {self.bbox_file!r} (data_cfg key '
                f'bbox_file) holds no detections')
        print(f'=> Total boxes: {len(all_boxes)}')

        kpt_db = []
        bbox_id = 0
        for det_res in all_boxes:
            if det_res['category_id'] != self.det_category_id:
                continue
            score = det_res['score']
            if score < self.det_bbox_thr:
                continue
            if det_res['image_id'] not in self.id2name:
                raise ValueError(
                    f'detection results file {self.bbox_file!r} refers to '
                    f'image_id {det_res["image_id"]}, which is not in '
                    f'{self.annotations_path!r}')
            box = det_res['bbox']
            center, scale = self._xywh2cs(*box[:4])
            kpt_db.append({
                'image_file': self._image_file(det_res['image_id']),
                'center': center,
                'scale': scale,
                'rotation': 0,
                'bbox': box[:4],
                'bbox_score': score,
                'dataset': self.dataset_name,
                'joints_3d': np.zeros((num_joints, 3), dtype=np.float32),
                'joints_3d_visible': np.ones((num_joints, 3),
                                             dtype=np.float32),
                'bbox_id': bbox_id
            })
            bbox_id = bbox_id + 1
        print(f'=> Total boxes after filter '
              f'low score@{self.det_bbox_thr}: {bbox_id}')
        return kpt_db

    def evaluate(self, outputs, res_folder, metric='mAP', **kwargs):
        """Evaluate coco keypoint results. The pose prediction results will
        be saved in ``${res_folder}/result_keypoints.json``.

        Note:
            Shapes: N batch size, K keypoints, H x W heatmaps.

        Args:
            outputs (list(dict)): One dict per batch with

                - preds (np.ndarray[N, K, 3]): The first two dimensions are
                  coordinates, score is the third dimension of the array.
                - boxes (np.ndarray[N, 6]): [center[0], center[1], scale[0],
                  scale[1], area, score]
                - image_paths (list[str]): For example,
                  ['data/coco/val2017/000000393226.jpg']
                - heatmap (np.ndarray[N, K, H, W]): model output heatmap
                - bbox_ids (list(int))
            res_folder (str): Path of directory to save the results.
            metric (str | list[str]): Metric to be performed.
                Defaults: 'mAP'.

        Returns:
            OrderedDict: Evaluation results for evaluation metric.
        """
        self._check_metrics(metric, ('mAP', ))
        res_file = os.path.join(res_folder, 'result_keypoints.json')
        kpts = defaultdict(list)
        for result in self._collect_results(outputs):
            kpts[result['image_id']].append(result)
        kpts = self._sort_and_unique_bboxes(kpts)
        valid_kpts = rescore_and_nms(
            kpts.values(),
            self.vis_thr,
            self.oks_thr,
            sigmas=self.sigmas,
            use_nms=self.use_nms,
            soft_nms=self.soft_nms)
        self._write_coco_keypoint_results(valid_kpts, res_file)
        return OrderedDict(self._do_python_keypoint_eval(res_file))

    def _write_coco_keypoint_results(self, keypoints, res_file):
        """Write results (grouped by image) of the keypoint category to
        ``res_file``."""
        cat_id = self._class_to_coco_ind[self.classes[1]]
        self._write_keypoint_results(
            coco_keypoint_results(keypoints, cat_id,
                                  self.ann_info['num_joints']), res_file)

    def _do_python_keypoint_eval(self, res_file):
        """Run COCOeval on ``res_file`` with this dataset's sigmas,
        ``coco_iou_type``, ``use_area`` and ``stats_names``.

        Returns:
            list[tuple[str, float]]: (name, value) for each of
            ``stats_names``.
        """
        return coco_keypoint_eval(
            self.coco,
            res_file,
            self.sigmas,
            iou_type=self.coco_iou_type,
            use_area=self.use_area,
            stats_names=self.stats_names)
