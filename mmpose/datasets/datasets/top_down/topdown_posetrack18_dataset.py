import os
from collections import OrderedDict, defaultdict

import numpy as np

from mmpose.core.evaluation.coco_eval import (rescore_and_nms,
                                              write_json_results)
from mmpose.core.evaluation.posetrack_eval import (POSEVAL_FROM_POSETRACK18,
                                                   posetrack_map)
from ...registry import DATASETS
from .topdown_coco_style_dataset import TopDownCocoStyleDataset


@DATASETS.register_module()
class TopDownPoseTrack18Dataset(TopDownCocoStyleDataset):
    """PoseTrack18 dataset for top-down pose estimation.

    `Posetrack: A benchmark for human pose estimation and tracking' CVPR'18
    More details can be found in the `paper
    <https://arxiv.org/abs/1710.10000>`__ .

    PoseTrack2018 keypoint indexes::

{keypoint_table}

    Loading (ground-truth or detection boxes) as
    :class:`TopDownCocoStyleDataset`. ``evaluate`` rescores and OKS-NMSes
    the results as COCO does, writes one PoseTrack json per video and
    computes poseval's mAP natively
    (:func:`mmpose.core.evaluation.posetrack_eval.posetrack_map`) against
    the labelled frames of ``ann_file`` and their head boxes
    (``bbox_head``). The constructor arguments (``ann_file``,
    ``img_prefix``, ``data_cfg``, ``pipeline``, ``test_mode``) are those of
    :class:`TopDownBaseDataset`.
    """

    dataset_name = 'posetrack18'

    def evaluate(self, outputs, res_folder, metric='mAP', **kwargs):
        """Evaluate PoseTrack keypoint results; the results are saved in
        ``${res_folder}/<video>.json``, one PoseTrack json per video.

        Note:
            Shapes: N batch size, K keypoints.

        Args:
            outputs (list[dict]): One dict per batch with ``preds``
                (np.ndarray[N, K, 3]), ``boxes`` (np.ndarray[N, 6]: center,
                scale, area, score), ``image_paths`` and ``bbox_ids``.
            res_folder (str): Path of directory to save the results.
            metric (str | list[str]): 'mAP'.

        Returns:
            OrderedDict: 'Head AP', 'Shou AP', 'Elb AP', 'Wri AP',
            'Hip AP', 'Knee AP', 'Ankl AP', 'Total AP'.
        """
        self._check_metrics(metric, ('mAP', ))
        kpts = defaultdict(list)
        for result in self._collect_results(outputs):
            kpts[result['image_id']].append(result)
        kpts = self._sort_and_unique_bboxes(kpts)
        kept = dict(
            zip(
                kpts,
                rescore_and_nms(
                    kpts.values(),
                    self.vis_thr,
                    self.oks_thr,
                    sigmas=self.sigmas,
                    use_nms=self.use_nms,
                    soft_nms=self.soft_nms)))
        self._write_posetrack18_results(kept, res_folder)
        gt_frames, pred_frames = self._posetrack_frames(kept)
        return OrderedDict(posetrack_map(gt_frames, pred_frames))

    def _write_posetrack18_results(self, kept, res_folder):
        """One PoseTrack18 json per video (the image's folder)."""
        videos = defaultdict(lambda: dict(images=[], annotations=[]))
        for img_id in self.img_ids:
            image = self.coco.imgs[img_id]
            video = videos[os.path.basename(
                os.path.dirname(image['file_name'])) or 'posetrack18']
            video['images'].append(
                dict(file_name=image['file_name'], id=img_id))
            video['annotations'].extend(
                dict(
                    image_id=img_id,
                    track_id=-1,
                    keypoints=np.asarray(p['keypoints']).reshape(-1).tolist(),
                    scores=np.asarray(p['keypoints'])[:, 2].tolist(),
                    score=float(p['score']))
                for p in kept.get(img_id, []))
        categories = list(self.coco.cats.values())
        for name, video in videos.items():
            video['categories'] = categories
            write_json_results(video, os.path.join(res_folder,
                                                   f'{name}.json'))

    def _posetrack_frames(self, kept):
        """Ground truth and predictions of the labelled frames in poseval's
        joint order."""
        order = list(POSEVAL_FROM_POSETRACK18)
        num_joints = self.ann_info['num_joints']
        gt_frames, pred_frames = [], []
        for img_id in self.img_ids:
            if not self.coco.imgs[img_id].get('is_labeled', True):
                continue
            anns = [
                ann for ann in self.coco.loadAnns(
                    self.coco.getAnnIds(imgIds=img_id, iscrowd=False))
                if 'keypoints' in ann and 'bbox_head' in ann
            ]
            gt = np.array([ann['keypoints'] for ann in anns],
                          dtype=np.float64).reshape(-1, num_joints, 3)
            gt = gt[:, order]
            heads = np.array([ann['bbox_head'] for ann in anns],
                             dtype=np.float64).reshape(-1, 4)
            heads[:, 2:] += heads[:, :2]
            gt_frames.append(
                dict(
                    keypoints=gt[..., :2],
                    visible=gt[..., 2] > 0,
                    head_boxes=heads))
            preds = np.array([p['keypoints'] for p in kept.get(img_id, [])],
                             dtype=np.float64).reshape(-1, num_joints, 3)
            preds = preds[:, order]
            pred_frames.append(
                dict(keypoints=preds[..., :2], scores=preds[..., 2]))
        return gt_frames, pred_frames
