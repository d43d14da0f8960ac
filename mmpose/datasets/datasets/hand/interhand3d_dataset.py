"""InterHand2.6M in 3D: both hands (42 keypoints), their root-relative
depths, the left root's depth relative to the right one and handedness."""
import json
import os
from collections import OrderedDict

import numpy as np
from torch.utils.data import Dataset

from mmpose.core.dataset_meta import get_dataset_meta
from ...pipelines import Compose
from ...registry import DATASETS
from ..base.ann_info import build_ann_info
from ..base.interhand_format import InterHandFormatMixin
from ..top_down.topdown_base_dataset import TopDownRecordsMixin

#: Roots: 20 'r_wrist' (right hand root), 41 'l_wrist' (left hand root).
RIGHT_ROOT, LEFT_ROOT = 20, 41
_HAND_TYPES = {'right': (1, 0), 'left': (0, 1), 'interacting': (1, 1)}


def _pixel_to_camera(uvz, focal, princpt):
    """Pixel x, y and camera depth to camera coordinates.

    Args:
        uvz (np.ndarray[..., 3]): Pixel x, y and depth (mm).
        focal, princpt (np.ndarray[..., 2]): Focal length and principal
            point, broadcast against ``uvz[..., :2]``.

    Returns:
        np.ndarray[..., 3]: Camera coordinates.
    """
    xy = (uvz[..., :2] - princpt) / focal * uvz[..., 2:3]
    return np.concatenate([xy, uvz[..., 2:3]], axis=-1)


@DATASETS.register_module()
class InterHand3DDataset(InterHandFormatMixin, TopDownRecordsMixin, Dataset):
    """InterHand2.6M 3D dataset for top-down hand pose estimation.

    `InterHand2.6M: A Dataset and Baseline for 3D Interacting Hand Pose
    Estimation from a Single RGB Image' Moon, Gyeongsik, et al. ECCV'2020.

    Keypoints 0-20 are the right hand, 21-41 the left one, each in the order
    of the 21 hand keypoints with the wrist last (20: 'r_wrist', 41:
    'l_wrist', the roots). A record holds ``joints_3d`` as image x, y and
    the depth relative to its hand's root (mm), ``hand_type`` ([right, left]
    presence), ``rel_root_depth`` (left root minus right root depth, mm),
    ``abs_depth`` (the two root depths), ``joints_cam``, ``focal`` and
    ``princpt``.

    Evaluation reads per batch ``preds`` (np.ndarray[N, 42, 4]: image x, y,
    depth bin of ``heatmap_size[2]`` over ``heatmap3d_depth_bound`` mm,
    score), ``hand_type`` or ``labels`` (np.ndarray[N, 2]),
    ``rel_root_depth`` or ``values`` (np.ndarray[N, 1]: bin of
    ``heatmap_size_root`` over ``root_depth_bound`` mm), ``image_paths`` and
    ``bbox_ids`` (the keys of MultiTask with HeatMap3DHead, Heatmap1DHead and
    MultilabelClassificationHead, or of a combined head). Metrics:

    - MPJPE: mean joint error (mm) after aligning each hand at its root,
      with the ground-truth root depths, over all, single-hand and
      interacting samples (``MPJPE_all``, ``MPJPE_single``,
      ``MPJPE_interacting``);
    - MRRPE: mean error (mm) of the left root relative to the right one, on
      interacting samples with both roots valid;
    - Handedness_acc: fraction of samples with a valid hand type whose two
      labels (probability > 0.5) are both right.

    Args:
        ann_file (str): Path to the annotation file.
        camera_file (str): Path to the camera file.
        joint_file (str): Path to the joint file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config (also ``heatmap3d_depth_bound``,
            ``heatmap_size_root``, ``root_depth_bound``).
        pipeline (list[dict | callable]): A sequence of data transforms.
        use_gt_root_depth (bool): Use the ground-truth root depths and boxes;
            else RootNet's from ``rootnet_result_file``. Default: True.
        rootnet_result_file (str): RootNet results (``annot_id``, ``bbox``,
            ``abs_depth``). Default: None.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    allowed_metrics = ('MRRPE', 'MPJPE', 'Handedness_acc')
    #: Name of the keypoint metadata (:mod:`mmpose.core.dataset_meta`).
    dataset_name = 'interhand3d'

    # Not a TopDownBaseDataset (0.14's base): what works on 2D top-down
    # datasets (keypoint metadata, PCK-style evaluation) does not apply to
    # its 42 3D keypoints; the record handling is shared through the mixin.

    def __init__(self,
                 ann_file,
                 camera_file,
                 joint_file,
                 img_prefix,
                 data_cfg,
                 pipeline,
                 use_gt_root_depth=True,
                 rootnet_result_file=None,
                 test_mode=False):
        self.annotations_path = ann_file
        self.img_prefix = img_prefix
        self.test_mode = test_mode
        self.pipeline = Compose(pipeline)
        # (flip pairs: each right-hand keypoint with its left twin)
        self.ann_info = build_ann_info(data_cfg,
                                       get_dataset_meta(self.dataset_name))
        for key in ('heatmap3d_depth_bound', 'heatmap_size_root',
                    'root_depth_bound'):
            if key not in data_cfg:
                raise KeyError(f'data_cfg lacks {key}')
            self.ann_info[key] = data_cfg[key]
        self.camera_file = camera_file
        self.joint_file = joint_file
        self.use_gt_root_depth = use_gt_root_depth
        if not use_gt_root_depth and rootnet_result_file is None:
            raise KeyError('rootnet_result_file is needed when '
                           'use_gt_root_depth is False')
        self.rootnet_result_file = rootnet_result_file
        self._load_coco(ann_file)
        self.db = self._get_db()
        print(f'=> num_images: {self.num_images}')
        print(f'=> load {len(self.db)} samples')

    @staticmethod
    def _encode_handtype(hand_type):
        """[right, left] presence of a hand type name."""
        if hand_type not in _HAND_TYPES:
            raise KeyError(f'Not support hand type: {hand_type}')
        return np.array(_HAND_TYPES[hand_type], dtype=int)

    def _get_db(self):
        """One record per annotated image (both hands)."""
        frames = self._load_interhand_frames()
        rootnet = {}
        if not self.use_gt_root_depth:
            with open(self.rootnet_result_file) as f:
                rootnet = {str(r['annot_id']): r for r in json.load(f)}

        gt_db = []
        for bbox_id, img_id in enumerate(self.img_ids):
            ann = frames['anns'][bbox_id]
            joint_cam = frames['joints_cam'][bbox_id]
            joint_img = frames['joints_img'][bbox_id]
            joint_valid = frames['joint_valid'][bbox_id].copy()
            rel_root_depth = (
                joint_cam[LEFT_ROOT, 2] - joint_cam[RIGHT_ROOT, 2])
            rel_root_valid = joint_valid[RIGHT_ROOT] * joint_valid[LEFT_ROOT]
            # Without its root a hand's root-relative pose is invalid too.
            joint_valid[:RIGHT_ROOT] *= joint_valid[RIGHT_ROOT]
            joint_valid[RIGHT_ROOT + 1:LEFT_ROOT] *= joint_valid[LEFT_ROOT]

            joints_3d = np.zeros((42, 3), dtype=np.float32)
            joints_3d[:, :2] = joint_img
            joints_3d[:21, 2] = joint_cam[:21, 2] - joint_cam[RIGHT_ROOT, 2]
            joints_3d[21:, 2] = joint_cam[21:, 2] - joint_cam[LEFT_ROOT, 2]
            joints_3d_visible = np.repeat(
                np.minimum(1, joint_valid)[:, None], 3, axis=1)

            if self.use_gt_root_depth:
                bbox = np.array(ann['bbox'], dtype=np.float32)
                center, scale = self._xywh2cs(*bbox, 1.25)
                abs_depth = [joint_cam[RIGHT_ROOT, 2], joint_cam[LEFT_ROOT, 2]]
            else:
                result = rootnet[str(frames['ann_ids'][bbox_id])]
                bbox = np.array(result['bbox'], dtype=np.float32)
                center, scale = self._xywh2cs(*bbox, 1.0)
                abs_depth = result['abs_depth']

            gt_db.append({
                'image_file': self._image_file(img_id),
                'center': center,
                'scale': scale,
                'rotation': 0,
                'joints_3d': joints_3d,
                'joints_3d_visible': joints_3d_visible,
                'hand_type': self._encode_handtype(ann['hand_type']),
                # An array, so pipelines can copy it as a target weight.
                'hand_type_valid': np.array(
                    ann['hand_type_valid'], dtype=np.float32),
                'rel_root_depth': rel_root_depth,
                'rel_root_valid': rel_root_valid,
                'abs_depth': np.array(abs_depth, dtype=np.float32),
                'joints_cam': joint_cam,
                'focal': frames['focal'][bbox_id],
                'princpt': frames['princpt'][bbox_id],
                'dataset': self.dataset_name,
                'bbox': bbox,
                'bbox_score': 1,
                'bbox_id': bbox_id
            })
        return gt_db

    def evaluate(self, outputs, res_folder, metric='MPJPE', **kwargs):
        """Evaluate 3D hand results; they are saved in
        ``${res_folder}/result_keypoints.json``.

        Args:
            outputs (list[dict]): One dict per batch (see the class
                docstring for the keys).
            res_folder (str): Path of directory to save the results.
            metric (str | list[str]): 'MRRPE', 'MPJPE', 'Handedness_acc'.

        Returns:
            OrderedDict: ``MRRPE``, ``MPJPE_all``, ``MPJPE_single``,
                ``MPJPE_interacting``, ``Handedness_acc`` as requested.
        """
        metrics = self._check_metrics(metric, self.allowed_metrics)
        keys = dict(MPJPE=('preds', ), MRRPE=('preds', 'rel_root_depth'),
                    Handedness_acc=('hand_type', ))
        fields = {k for m in metrics for k in keys[m]}
        kpts = []
        for output in outputs:
            output = dict(output)
            output.setdefault('hand_type', output.get('labels'))
            output.setdefault('rel_root_depth', output.get('values'))
            for key in fields:
                if output.get(key) is None:
                    raise KeyError(f'metric {metric} needs {key!r} in the '
                                   'outputs')
            for i, path in enumerate(output['image_paths']):
                kpt = dict(
                    image_id=self._image_id_from_path(path),
                    bbox_id=output['bbox_ids'][i])
                for key in fields:
                    kpt[key] = np.asarray(output[key][i]).tolist()
                kpts.append(kpt)
        kpts = self._sort_and_unique_bboxes(kpts)
        self._write_keypoint_results(
            kpts, os.path.join(res_folder, 'result_keypoints.json'))
        if len(kpts) != len(self.db):
            raise ValueError(f'{len(kpts)} results for {len(self.db)} '
                             'samples')
        results = OrderedDict()
        for name in metrics:
            results.update(getattr(self, f'_eval_{name.lower()}')(kpts))
        return results

    def _gt(self, key):
        return np.array([record[key] for record in self.db])

    def _pred_camera(self, preds, hand_depth_offset):
        """Camera coordinates of predicted keypoints.

        Args:
            preds (np.ndarray[N, 42, >=3]): x, y, depth bin.
            hand_depth_offset (np.ndarray[N, 42]): Depth (mm) added to each
                keypoint's root-relative depth.
        """
        depth_size = self.ann_info['heatmap_size'][2]
        bound = self.ann_info['heatmap3d_depth_bound']
        uvz = preds[..., :3].astype(np.float64)
        uvz[..., 2] = (uvz[..., 2] / depth_size - 0.5) * bound
        uvz[..., 2] += hand_depth_offset
        return _pixel_to_camera(uvz, self._gt('focal')[:, None],
                                self._gt('princpt')[:, None])

    def _eval_mpjpe(self, kpts):
        preds = np.array([k['preds'] for k in kpts])
        abs_depth = self._gt('abs_depth')
        offset = np.repeat(abs_depth, 21, axis=1)
        pred_cam = self._pred_camera(preds, offset)
        gt_cam = self._gt('joints_cam').astype(np.float64)
        for cam in (pred_cam, gt_cam):
            cam[:, :21] -= cam[:, RIGHT_ROOT:RIGHT_ROOT + 1]
            cam[:, 21:] -= cam[:, LEFT_ROOT:LEFT_ROOT + 1]
        errors = np.linalg.norm(pred_cam - gt_cam, axis=-1)
        valid = self._gt('joints_3d_visible')[..., 0] > 0
        interacting = self._gt('hand_type').sum(axis=1) == 2
        results = []
        for name, samples in (('all', np.ones_like(interacting)),
                              ('single', ~interacting),
                              ('interacting', interacting)):
            mask = valid & samples[:, None]
            value = errors[mask].mean() if mask.any() else 0.0
            results.append((f'MPJPE_{name}', float(value)))
        return results

    def _eval_mrrpe(self, kpts):
        preds = np.array([k['preds'] for k in kpts])
        rel = np.array([k['rel_root_depth'] for k in kpts]).reshape(-1)
        rel = (rel / self.ann_info['heatmap_size_root'] -
               0.5) * self.ann_info['root_depth_bound']
        right_depth = self._gt('abs_depth')[:, 0]
        offset = np.zeros(preds.shape[:2])
        offset[:, RIGHT_ROOT] = right_depth
        offset[:, LEFT_ROOT] = right_depth + rel
        pred_cam = self._pred_camera(preds, offset)
        gt_cam = self._gt('joints_cam')
        pred_rel = pred_cam[:, LEFT_ROOT] - pred_cam[:, RIGHT_ROOT]
        gt_rel = gt_cam[:, LEFT_ROOT] - gt_cam[:, RIGHT_ROOT]
        mask = ((self._gt('hand_type').sum(axis=1) == 2) &
                (self._gt('rel_root_valid') > 0))
        errors = np.linalg.norm(pred_rel - gt_rel, axis=-1)[mask]
        return [('MRRPE', float(errors.mean()) if mask.any() else 0.0)]

    def _eval_handedness_acc(self, kpts):
        pred = np.array([k['hand_type'] for k in kpts]) > 0.5
        right = (pred == self._gt('hand_type').astype(bool)).all(axis=1)
        mask = self._gt('hand_type_valid') > 0
        acc = right[mask].mean() if mask.any() else 0.0
        return [('Handedness_acc', float(acc))]
