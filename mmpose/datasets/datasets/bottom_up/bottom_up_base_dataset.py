import copy
import os
from collections import OrderedDict, defaultdict

import numpy as np
from pycocotools import mask as mask_utils
from torch.utils.data import Dataset

from mmpose.core.dataset_meta import get_dataset_meta
from mmpose.core.evaluation.coco_eval import (COCO_STATS_NAMES,
                                              coco_keypoint_eval,
                                              coco_keypoint_results,
                                              write_json_results)
from mmpose.core.post_processing import oks_nms, soft_oks_nms
from mmpose.utils import check
from ...pipelines import Compose
from ..base.ann_info import build_ann_info
from ..base.coco_format import CocoFormatMixin


class BottomUpBaseDataset(CocoFormatMixin, Dataset):
    """Base class for bottom-up datasets (COCO keypoint format).

    One sample per image: its people's joints (np.ndarray[M, K, 3], or 4
    columns with ``scale_aware_sigma``: a per-person sigma) and a mask that
    is 0 on crowd regions and on people without keypoints, both repeated
    for each of the ``num_scales`` heatmap sizes. ``evaluate`` runs
    COCOeval (through :mod:`mmpose.core.evaluation.coco_eval`) on the
    grouped people.

    A subclass sets ``dataset_name`` (its metadata in
    :mod:`mmpose.core.dataset_meta`) and may change the class attributes of
    the evaluation protocol.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
            Default: None.
        data_cfg (dict): config: image_size, heatmap_size, num_joints,
            num_scales, scale_aware_sigma, inference_channel,
            dataset_channel, base_size, base_sigma, and optionally
            use_nms (default False), soft_nms (True), oks_thr (0.9).
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    #: Name of the dataset's metadata (see :mod:`mmpose.core.dataset_meta`).
    dataset_name = None
    #: ``iouType`` given to COCOeval.
    coco_iou_type = 'keypoints'
    #: Whether COCOeval uses annotation areas.
    use_area = True
    #: Names of the ``COCOeval.stats`` entries, in order.
    stats_names = COCO_STATS_NAMES

    def __init__(self,
                 ann_file,
                 img_prefix,
                 data_cfg,
                 pipeline,
                 test_mode=False):
        self.image_info = {}
        self.annotations_path = ann_file
        self.img_prefix = img_prefix
        self.test_mode = test_mode

        # bottom-up
        self.base_size = data_cfg['base_size']
        self.base_sigma = data_cfg['base_sigma']
        self.int_sigma = False

        self.meta = (None if self.dataset_name is None else
                     get_dataset_meta(self.dataset_name))
        self.ann_info = build_ann_info(data_cfg, self.meta, bottom_up=True)
        self.ann_info['use_different_joint_weights'] = False
        self.sigmas = None if self.meta is None else self.meta.sigmas

        self.use_nms = data_cfg.get('use_nms', False)
        self.soft_nms = data_cfg.get('soft_nms', True)
        self.oks_thr = data_cfg.get('oks_thr', 0.9)

        self._load_coco(ann_file, num_joints=self.ann_info['num_joints'])
        if not test_mode:
            # training uses images with annotations only
            self.img_ids = [
                img_id for img_id in self.img_ids
                if len(self.coco.getAnnIds(imgIds=img_id, iscrowd=None)) > 0
            ]
        self.num_images = len(self.img_ids)
        self.pipeline = Compose(pipeline)
        print(f'=> num_images: {self.num_images}')

    def _get_mask(self, anno, idx):
        """Get ignore masks to mask out losses.

        Args:
            anno (list[dict]): The image's annotations.
            idx (int): Index of the image.

        Returns:
            np.ndarray[H, W] (bool): False on crowd regions and on annotated
                people without keypoints.
        """
        img_info = self.coco.loadImgs(self.img_ids[idx])[0]
        height, width = img_info['height'], img_info['width']
        m = np.zeros((height, width), dtype=np.float32)
        for obj in anno:
            if 'segmentation' not in obj:
                continue
            if obj.get('iscrowd', 0) or obj.get('num_keypoints', 1) == 0:
                segm = obj['segmentation']
                if isinstance(segm, dict) and isinstance(
                        segm['counts'], (str, bytes)):
                    # already a compressed RLE (bytes for the C code)
                    counts = segm['counts']
                    rles = dict(
                        segm,
                        counts=counts.encode()
                        if isinstance(counts, str) else counts)
                else:
                    rles = mask_utils.frPyObjects(segm, height, width)
                decoded = mask_utils.decode(rles)
                # polygons give one mask each, an RLE one
                m += decoded.reshape(height, width, -1).sum(axis=2)
        return m < 0.5

    def _get_joints(self, anno):
        """Get joints for all people in an image.

        Args:
            anno (list[dict]): Annotations of the people.

        Returns:
            np.ndarray[M, K, 3 | 4]: x, y, visibility (and, with
                ``scale_aware_sigma``, each person's sigma: the longer box
                side / base_size * base_sigma).
        """
        num_people = len(anno)
        num_joints = self.ann_info['num_joints']
        columns = 4 if self.ann_info['scale_aware_sigma'] else 3
        joints = np.zeros((num_people, num_joints, columns), dtype=np.float32)
        if num_people == 0:
            return joints
        joints[:, :, :3] = np.array([obj['keypoints'] for obj in anno],
                                    dtype=np.float32).reshape(
                                        num_people, num_joints, 3)
        if columns == 4:
            for i, obj in enumerate(anno):
                box = obj['bbox']
                sigma = max(box[2], box[3]) / self.base_size * self.base_sigma
                if self.int_sigma:
                    sigma = int(np.ceil(sigma))
                check(sigma > 0, f'person box {box} gives sigma {sigma}')
                joints[i, :, 3] = sigma
        return joints

    def _get_single(self, idx):
        """Get anno for a single image.

        Args:
            idx (int): image idx

        Returns:
            dict: ``dataset``, ``image_file``, ``mask`` and ``joints`` (one
                copy per scale).
        """
        img_id = self.img_ids[idx]
        anno = self.coco.loadAnns(self.coco.getAnnIds(imgIds=img_id))
        mask = self._get_mask(anno, idx)
        anno = [
            obj for obj in anno
            if obj.get('iscrowd', 0) == 0 or obj.get('num_keypoints', 0) > 0
        ]
        joints = self._get_joints(anno)
        num_scales = self.ann_info['num_scales']
        return {
            'dataset': self.dataset_name,
            'image_file': self._image_file(img_id),
            'mask': [mask.copy() for _ in range(num_scales)],
            'joints': [joints.copy() for _ in range(num_scales)],
        }

    def prepare_train_img(self, idx):
        """Prepare image for training given the index."""
        results = copy.deepcopy(self._get_single(idx))
        # a copy: test steps write the image's sizes into ann_info
        results['ann_info'] = dict(self.ann_info)
        return self.pipeline(results)

    prepare_test_img = prepare_train_img

    def __len__(self):
        """Get dataset length."""
        return len(self.img_ids)

    def __getitem__(self, idx):
        """Get the sample for either training or testing given index."""
        if self.test_mode:
            return self.prepare_test_img(idx)
        return self.prepare_train_img(idx)

    @staticmethod
    def _unpack(output):
        """(preds, scores, image_paths) of one test output (0.14's tuple,
        or a dict with those keys)."""
        if isinstance(output, dict):
            return output['preds'], output['scores'], output['image_paths']
        return output[0], output[1], output[2]

    def evaluate(self, outputs, res_folder, metric='mAP', **kwargs):
        """Evaluate coco keypoint results. The pose prediction results will
        be saved in ``${res_folder}/result_keypoints.json``.

        Note:
            Shape letters: P people, K keypoints, L tag dims.

        Args:
            outputs (list(preds, scores, image_path, heatmap)):

                * preds (list[np.ndarray(P, K, 3+L)]): Pose predictions
                  for all people in images.
                * scores (list[P]): The people's scores.
                * image_path (list[str]): For example, ['coco/images/
                  val2017/000000397133.jpg']
                * heatmap (np.ndarray[N, K, H, W]): model outputs.

            res_folder (str): Path of directory to save the results.
            metric (str | list[str]): Metric to be performed.
                Defaults: 'mAP'.

        Returns:
            OrderedDict: Evaluation results for evaluation metric.
        """
        metrics = metric if isinstance(metric, list) else [metric]
        for name in metrics:
            if name != 'mAP':
                raise KeyError(f'metric {name} is not supported')
        res_file = os.path.join(res_folder, 'result_keypoints.json')

        kpts = defaultdict(list)
        for output in outputs:
            preds, scores, image_paths = self._unpack(output)
            image_id = self.name2id[os.path.basename(image_paths[0])]
            for kpt, score in zip(preds, scores):
                kpt = np.asarray(kpt)
                # the box of the keypoints stands in for the person's area
                extent = kpt[:, :2].max(axis=0) - kpt[:, :2].min(axis=0)
                kpts[image_id].append({
                    'keypoints': kpt[:, 0:3],
                    'score': float(score),
                    'tags': kpt[:, 3],
                    'image_id': image_id,
                    'area': float(extent[0] * extent[1]),
                    'center': np.zeros(2),
                    'scale': np.zeros(2),
                })
        # the grouping scores as they are (no rescoring), optional OKS NMS
        valid_kpts = list(kpts.values())
        if self.use_nms:
            nms = soft_oks_nms if self.soft_nms else oks_nms
            valid_kpts = [[
                img_kpts[i]
                for i in nms(img_kpts, self.oks_thr, sigmas=self.sigmas)
            ] for img_kpts in valid_kpts]
        results = self._coco_results(valid_kpts)
        write_json_results(results, res_file)
        if not results:
            return OrderedDict((name, 0.) for name in self.stats_names)
        return OrderedDict(
            coco_keypoint_eval(
                self.coco,
                res_file,
                self.sigmas,
                iou_type=self.coco_iou_type,
                use_area=self.use_area,
                stats_names=self.stats_names))

    def _coco_results(self, keypoints):
        """COCO result dicts with each person's keypoint box as ``bbox``."""
        cat_id = self._class_to_coco_ind[self.classes[1]]
        results = coco_keypoint_results(keypoints, cat_id,
                                        self.ann_info['num_joints'])
        for result in results:
            del result['center'], result['scale']
            kpt = np.array(result['keypoints']).reshape(-1, 3)
            left_top, right_bottom = kpt.min(axis=0), kpt.max(axis=0)
            result['bbox'] = [
                float(left_top[0]),
                float(left_top[1]),
                float(right_bottom[0] - left_top[0]),
                float(right_bottom[1] - left_top[1])
            ]
        return results
