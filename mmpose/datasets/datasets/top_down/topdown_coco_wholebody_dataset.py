import numpy as np

from mmpose.core.dataset_meta.coco_wholebody import PART_OFFSETS, PART_SIZES
from mmpose.core.evaluation.coco_eval import (coco_keypoint_results,
                                              coco_wholebody_keypoint_eval)
from ...registry import DATASETS
from .topdown_coco_dataset import TopDownCocoDataset


@DATASETS.register_module()
class TopDownCocoWholeBodyDataset(TopDownCocoDataset):
    """CocoWholeBodyDataset dataset for top-down pose estimation.

    `Whole-Body Human Pose Estimation in the Wild' ECCV'2020
    More details can be found in the `paper
    <https://arxiv.org/abs/2007.11858>`__ .

    The dataset loads raw features and apply specified transforms
    to return a dict containing the image tensors and other information.

    In total, we have 133 keypoints for wholebody pose estimation.

    COCO-WholeBody keypoint indexes::

        0-16: 17 body keypoints
        17-22: 6 foot keypoints
        23-90: 68 face keypoints
        91-132: 42 hand keypoints

    An annotation holds the parts under ``keypoints`` (body),
    ``foot_kpts``, ``face_kpts``, ``lefthand_kpts`` and ``righthand_kpts``;
    a record's ``joints_3d`` holds them in that order. As in MMPose 0.x, a
    person without a labelled body keypoint is skipped. Results are written
    split the same way, and ``evaluate`` ('mAP') runs COCOeval on each part
    (body, foot, face, left hand, right hand, each with its own sigmas,
    printed) and on the whole body, whose 'AP', 'AP .5', ... 'AR (L)' it
    returns. Keypoint metadata, sigmas included:
    :mod:`mmpose.core.dataset_meta.coco_wholebody`; loading, detections,
    rescoring and OKS NMS (with the 133 sigmas):
    :class:`TopDownCocoStyleDataset`. The constructor arguments
    (``ann_file``, ``img_prefix``, ``data_cfg``, ``pipeline``,
    ``test_mode``) are those of :class:`TopDownBaseDataset`.
    """

    dataset_name = 'coco_wholebody'
    keypoint_fields = ('keypoints', 'foot_kpts', 'face_kpts',
                       'lefthand_kpts', 'righthand_kpts')

    def _load_coco(self, ann_file, num_joints=None, require_annotations=True):
        """Read ``ann_file`` (see :meth:`CocoFormatMixin._load_coco`),
        checking the size of each part of every annotation."""
        super()._load_coco(
            ann_file,
            num_joints=PART_SIZES['body'],
            require_annotations=require_annotations)
        sizes = dict(zip(self.keypoint_fields, PART_SIZES.values()))
        for ann in self.coco.anns.values():
            for key, size in sizes.items():
                if 'keypoints' in ann and len(ann.get(key, ())) != 3 * size:
                    raise ValueError(
                        f'annotation file {ann_file!r}: annotation id '
                        f'{ann.get("id")} has {len(ann.get(key, ()))} '
                        f'{key} values, expected {3 * size} (COCO-WholeBody '
                        f'annotations hold {", ".join(sizes)})')

    def _write_coco_keypoint_results(self, keypoints, res_file):
        """Write results (grouped by image) to ``res_file``, each person's
        keypoints split into the annotation's part keys."""
        cat_id = self._class_to_coco_ind[self.classes[1]]
        self._write_keypoint_results(
            coco_keypoint_results(
                keypoints,
                cat_id,
                self.ann_info['num_joints'],
                parts=list(zip(self.keypoint_fields, PART_SIZES.values()))),
            res_file)

    def _do_python_keypoint_eval(self, res_file):
        """COCOeval of each part and of the whole body (see
        :func:`~mmpose.core.evaluation.coco_eval.\
coco_wholebody_keypoint_eval`).

        Returns:
            list[tuple[str, float]]: (name, value) of the whole-body run for
            each of ``stats_names``.
        """
        part_sigmas = dict(
            zip(PART_SIZES,
                np.split(self.sigmas, list(PART_OFFSETS.values())[1:])))
        return coco_wholebody_keypoint_eval(
            self.coco,
            res_file,
            part_sigmas,
            use_area=self.use_area,
            stats_names=self.stats_names)['wholebody']
