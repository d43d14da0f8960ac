import json
import os
import warnings
from collections import OrderedDict, defaultdict

import numpy as np
from xtcocotools.cocoeval import COCOeval

from mmpose.core.post_processing import oks_nms, soft_oks_nms
from ..base.coco_format import load_coco_keypoint_file
from .topdown_base_dataset import TopDownBaseDataset


class TopDownCocoStyleDataset(TopDownBaseDataset):
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
    stats_names = ('AP', 'AP .5', 'AP .75', 'AP (M)', 'AP (L)', 'AR',
                   'AR .5', 'AR .75', 'AR (M)', 'AR (L)')
    #: Category id of the detections in ``bbox_file`` to use.
    det_category_id = 1

    def __init__(self,
                 ann_file,
                 img_prefix,
                 data_cfg,
                 pipeline,
                 test_mode=False):
        super().__init__(
            ann_file, img_prefix, data_cfg, pipeline, test_mode=test_mode)

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

        self.coco = load_coco_keypoint_file(
            ann_file,
            num_joints=self.ann_info['num_joints'],
            require_annotations=not self._uses_detections)
        cats = [
            cat['name'] for cat in self.coco.loadCats(self.coco.getCatIds())
        ]
        self.classes = ['__background__'] + cats
        self.num_classes = len(self.classes)
        self._class_to_ind = dict(zip(self.classes, range(self.num_classes)))
        self._class_to_coco_ind = dict(zip(cats, self.coco.getCatIds()))
        self._coco_ind_to_class_ind = dict(
            (self._class_to_coco_ind[cls], self._class_to_ind[cls])
            for cls in self.classes[1:])
        self.img_ids = self.coco.getImgIds()
        self.num_images = len(self.img_ids)
        self.id2name, self.name2id = self._get_mapping_id_name(
            self.coco.imgs)

        self.db = self._get_db()

        print(f'=> num_images: {self.num_images}')
        print(f'=> load {len(self.db)} samples')

    @property
    def _uses_detections(self):
        return self.test_mode and not self.use_gt_bbox

    @staticmethod
    def _get_mapping_id_name(imgs):
        """Map image ids to file names and back.

        Args:
            imgs (dict): ``COCO.imgs``, image id -> image info.

        Returns:
            tuple: id2name (dict[int, str]) and name2id (dict[str, int]).
        """
        id2name = {}
        name2id = {}
        for image_id, image in imgs.items():
            file_name = image['file_name']
            id2name[image_id] = file_name
            name2id[file_name] = image_id
        return id2name, name2id

    def _get_db(self):
        """Load the samples: detections when testing without ground-truth
        boxes, ground-truth boxes otherwise."""
        if self._uses_detections:
            return self._load_coco_person_detection_results()
        return self._load_coco_keypoint_annotations()

    def _load_coco_keypoint_annotations(self):
        """Ground-truth samples of all images."""
        gt_db = []
        for img_id in self.img_ids:
            gt_db.extend(self._load_coco_keypoint_annotation_kernel(img_id))
        return gt_db

    def _load_coco_keypoint_annotation_kernel(self, img_id):
        """Ground-truth samples of one image.

        Boxes are clipped to the image; boxes without area and people
        without labelled keypoints are skipped.

        Note:
            num_keypoints: K

        Args:
            img_id (int): Image id.

        Returns:
            list[dict]: One dict per person with ``image_file``, ``center``,
            ``scale``, ``bbox``, ``rotation``, ``joints_3d`` (np.ndarray[K,
            3]), ``joints_3d_visible`` (np.ndarray[K, 3]), ``dataset``,
            ``bbox_score`` and ``bbox_id`` (per image, from 0).
        """
        img_ann = self.coco.loadImgs(img_id)[0]
        width = img_ann['width']
        height = img_ann['height']
        num_joints = self.ann_info['num_joints']

        ann_ids = self.coco.getAnnIds(imgIds=img_id, iscrowd=False)
        objs = self.coco.loadAnns(ann_ids)

        rec = []
        bbox_id = 0
        for obj in objs:
            clean_bbox = self._clean_bbox(obj, width, height)
            if clean_bbox is None or not self._has_keypoints(obj):
                continue
            obj['clean_bbox'] = clean_bbox
            keypoints = np.array(obj['keypoints']).reshape(-1, 3)
            joints_3d = np.zeros((num_joints, 3), dtype=np.float32)
            joints_3d[:, :2] = keypoints[:, :2]
            joints_3d_visible = np.zeros((num_joints, 3), dtype=np.float32)
            joints_3d_visible[:, :2] = np.minimum(1, keypoints[:, 2:3])

            center, scale = self._xywh2cs(*clean_bbox)
            rec.append({
                'image_file': self._image_file(img_id),
                'center': center,
                'scale': scale,
                'bbox': clean_bbox,
                'rotation': 0,
                'joints_3d': joints_3d,
                'joints_3d_visible': joints_3d_visible,
                'dataset': self.dataset_name,
                'bbox_score': 1,
                'bbox_id': bbox_id
            })
            bbox_id = bbox_id + 1
        return rec

    @staticmethod
    def _clean_bbox(obj, width, height):
        """Clip an annotation's box to the image.

        Returns:
            list[float] | None: ``[x, y, w, h]``, or None for a missing or
            empty box or a zero ``area``.
        """
        if 'bbox' not in obj:
            return None
        x, y, w, h = obj['bbox']
        x1 = max(0, x)
        y1 = max(0, y)
        x2 = min(width - 1, x1 + max(0, w - 1))
        y2 = min(height - 1, y1 + max(0, h - 1))
        if ('area' not in obj or obj['area'] > 0) and x2 > x1 and y2 > y1:
            return [x1, y1, x2 - x1, y2 - y1]
        return None

    @staticmethod
    def _has_keypoints(obj):
        """Whether an annotation labels at least one keypoint."""
        if 'keypoints' not in obj or max(obj['keypoints']) == 0:
            return False
        return obj.get('num_keypoints', 1) != 0

    def _image_file(self, img_id):
        return os.path.join(self.img_prefix, self.id2name[img_id])

    def _xywh2cs(self, x, y, w, h, padding=1.25):
        """As :meth:`TopDownBaseDataset._xywh2cs`; during training the
        center is also shifted at random (probability 0.3, up to 20% of the
        box size) as in MMPose 0.x."""
        center, scale = super()._xywh2cs(x, y, w, h, padding=padding)
        if (not self.test_mode) and np.random.rand() < 0.3:
            center += 0.4 * (np.random.rand(2) - 0.5) * [w, h]
        return center, scale

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
            batch_size: N
            num_keypoints: K
            heatmap height: H
            heatmap width: W

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
        metrics = metric if isinstance(metric, list) else [metric]
        allowed_metrics = ['mAP']
        for metric in metrics:
            if metric not in allowed_metrics:
                raise KeyError(f'metric {metric} is not supported by '
                               f'{type(self).__name__}; supported: '
                               f'{", ".join(allowed_metrics)}')

        res_file = os.path.join(res_folder, 'result_keypoints.json')

        kpts = defaultdict(list)
        next_bbox_id = 0
        for output in outputs:
            preds = output['preds']
            boxes = output['boxes']
            image_paths = output['image_paths']
            bbox_ids = output.get('bbox_ids')
            if bbox_ids is None:
                # The model-zoo configs do not collect 'bbox_id': each
                # output box is then its own box, numbered in output order.
                bbox_ids = range(next_bbox_id, next_bbox_id + len(preds))
                next_bbox_id += len(preds)
            for i in range(len(image_paths)):
                image_id = self._image_id_from_path(image_paths[i])
                kpts[image_id].append({
                    'keypoints': preds[i],
                    'center': boxes[i][0:2],
                    'scale': boxes[i][2:4],
                    'area': boxes[i][4],
                    'score': boxes[i][5],
                    'image_id': image_id,
                    'bbox_id': bbox_ids[i]
                })
        kpts = self._sort_and_unique_bboxes(kpts)

        valid_kpts = []
        for img_kpts in kpts.values():
            self._rescore(img_kpts)
            if self.use_nms:
                nms = soft_oks_nms if self.soft_nms else oks_nms
                keep = nms(list(img_kpts), self.oks_thr, sigmas=self.sigmas)
                valid_kpts.append([img_kpts[_keep] for _keep in keep])
            else:
                valid_kpts.append(img_kpts)

        self._write_coco_keypoint_results(valid_kpts, res_file)

        info_str = self._do_python_keypoint_eval(res_file)
        name_value = OrderedDict(info_str)
        return name_value

    def _image_id_from_path(self, image_path):
        """Image id of a result's image path (``img_prefix`` + file name)."""
        name = image_path[len(self.img_prefix):] if image_path.startswith(
            self.img_prefix) else image_path
        try:
            return self.name2id[name]
        except KeyError:
            raise KeyError(
                f'result image path {image_path!r} does not name an image of '
                f'{self.annotations_path!r} under img_prefix '
                f'{self.img_prefix!r}') from None

    def _rescore(self, img_kpts):
        """Score each person as box score x mean score of its keypoints
        above ``vis_thr``.

        Scores are compared with ``vis_thr`` in float64 as MMPose 0.x did.

        Args:
            img_kpts (list[dict]): Results of one image, changed in place.
        """
        kpt_scores = np.array(
            [np.asarray(p['keypoints'], dtype=np.float64)[:, 2]
             for p in img_kpts],
            dtype=np.float64)
        valid = kpt_scores > self.vis_thr
        valid_num = valid.sum(axis=1)
        mean_score = np.where(valid, kpt_scores, 0).sum(axis=1) / np.maximum(
            valid_num, 1)
        for person, kpt_score in zip(img_kpts, mean_score):
            person['score'] = kpt_score * person['score']

    def _write_coco_keypoint_results(self, keypoints, res_file):
        """Write results of the (single) keypoint category to
        ``res_file``."""
        data_pack = [{
            'cat_id': self._class_to_coco_ind[cls],
            'cls_ind': cls_ind,
            'cls': cls,
            'ann_type': 'keypoints',
            'keypoints': keypoints
        } for cls_ind, cls in enumerate(self.classes)
                     if not cls == '__background__']

        results = self._coco_keypoint_results_one_category_kernel(data_pack[0])
        self._write_keypoint_results(results, res_file)

    def _coco_keypoint_results_one_category_kernel(self, data_pack):
        """COCO result dicts of one category."""
        cat_id = data_pack['cat_id']
        keypoints = data_pack['keypoints']
        cat_results = []

        for img_kpts in keypoints:
            if len(img_kpts) == 0:
                continue

            _key_points = np.array(
                [img_kpt['keypoints'] for img_kpt in img_kpts])
            key_points = _key_points.reshape(-1,
                                             self.ann_info['num_joints'] * 3)

            result = [{
                'image_id': img_kpt['image_id'],
                'category_id': cat_id,
                'keypoints': key_point.tolist(),
                'score': float(img_kpt['score']),
                'center': np.asarray(img_kpt['center']).tolist(),
                'scale': np.asarray(img_kpt['scale']).tolist()
            } for img_kpt, key_point in zip(img_kpts, key_points)]

            cat_results.extend(result)

        return cat_results

    def _do_python_keypoint_eval(self, res_file):
        """Run COCOeval on ``res_file``.

        Returns:
            list[tuple[str, float]]: (name, value) for each of
            ``stats_names``.
        """
        coco_det = self.coco.loadRes(res_file)
        coco_eval = COCOeval(
            self.coco,
            coco_det,
            self.coco_iou_type,
            self.sigmas,
            use_area=self.use_area)
        coco_eval.params.useSegm = None
        coco_eval.evaluate()
        coco_eval.accumulate()
        coco_eval.summarize()

        info_str = list(
            zip(self.stats_names, (float(v) for v in coco_eval.stats)))
        return info_str
