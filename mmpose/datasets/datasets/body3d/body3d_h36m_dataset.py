import os.path as osp
from collections import OrderedDict

import mmcv
import numpy as np

from mmpose.core.dataset_meta import get_dataset_meta
from mmpose.core.evaluation import keypoint_mpjpe
from mmpose.utils import check
from ...registry import DATASETS
from .body3d_base_dataset import Body3DBaseDataset

_ALIGNMENT = {'mpjpe': 'none', 'p-mpjpe': 'procrustes', 'n-mpjpe': 'scale'}


class SampleIndices:
    """Frame indices of the samples of a sequence dataset, computed on
    access.

    Sample s holds the frames ``frames[base[s] + clip(first[s] + t * step,
    0, last[s])]`` for t < seq_len: positions outside its video repeat the
    video's first / last frame (temporal padding).

    Args:
        frames (np.ndarray[N]): Frame indices grouped by video.
        base (np.ndarray[S]): Offset of each sample's video in ``frames``.
        first (np.ndarray[S]): Position of each sample's first frame in its
            video (negative when padded).
        last (np.ndarray[S]): Last position of each sample's video.
        seq_len (int): Frames per sample (T).
        step (int): Frame interval.
    """

    def __init__(self, frames, base, first, last, seq_len, step):
        self.frames = frames
        self.base = base
        self.first = first
        self.last = last
        self.offsets = np.arange(seq_len) * step

    def __len__(self):
        return len(self.base)

    def __getitem__(self, idx):
        """``[i]`` -> np.ndarray[T]; a slice or index array ->
        np.ndarray[S', T]; a tuple indexes the result further."""
        if isinstance(idx, tuple):
            return self[idx[0]][(Ellipsis, ) + idx[1:]]
        pos = np.clip(self.first[idx][..., None] + self.offsets, 0,
                      self.last[idx][..., None])
        return self.frames[self.base[idx][..., None] + pos]

    def __array__(self, dtype=None, copy=None):
        rows = self[:]
        return rows if dtype is None else rows.astype(dtype)

    def tolist(self):
        """list[list[int]]: Every sample's frames (0.14's layout)."""
        return self[:].tolist()


@DATASETS.register_module()
class Body3DH36MDataset(Body3DBaseDataset):
    """Human3.6M dataset for 3D human pose estimation.

    `Human3.6M: Large Scale Datasets and Predictive Methods for 3D Human
    Sensing in Natural Environments' TPAMI`2014
    More details can be found in the `paper
    <http://vision.imar.ro/human3.6m/pami-h36m.pdf>`__ .

    Human3.6M keypoint indexes::

        0: 'root (pelvis)',
        1: 'right_hip',
        2: 'right_knee',
        3: 'right_foot',
        4: 'left_hip',
        5: 'left_knee',
        6: 'left_foot',
        7: 'spine',
        8: 'thorax',
        9: 'neck_base',
        10: 'head',
        11: 'left_shoulder',
        12: 'left_elbow',
        13: 'left_wrist',
        14: 'right_shoulder',
        15: 'right_elbow',
        16: 'right_wrist'

    Frames are grouped into videos by their image name
    (``S1_Directions_1.54138969_000001.jpg``: subject, action, camera), in
    the annotation order, and each video is cut into samples of ``seq_len``
    frames ``seq_frame_interval`` apart (see :meth:`load_config`).

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
            Default: None.
        data_cfg (dict): Data configurations; besides the base class items,
            ``joint_2d_src`` ('gt', 'detection' or 'pipeline'),
            ``joint_2d_det_file`` (for 'detection'), ``need_camera_param``
            with ``camera_param_file``, ``actions`` and ``subjects``
            (filters; '_all_' keeps all).
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or
            validation dataset. Default: False.
    """

    JOINT_NAMES = [
        'Root', 'RHip', 'RKnee', 'RFoot', 'LHip', 'LKnee', 'LFoot', 'Spine',
        'Thorax', 'NeckBase', 'Head', 'LShoulder', 'LElbow', 'LWrist',
        'RShoulder', 'RElbow', 'RWrist'
    ]

    # 2D joint source options:
    # "gt": from the annotation file
    # "detection": from a detection result file of 2D keypoint
    # "pipeline": will be generate by the pipeline
    SUPPORTED_JOINT_2D_SRC = {'gt', 'detection', 'pipeline'}

    # metric
    ALLOWED_METRICS = {'mpjpe', 'p-mpjpe', 'n-mpjpe'}

    def load_config(self, data_cfg):
        """Read the base items and the Human3.6M ones (see the class
        docstring)."""
        super().load_config(data_cfg)
        self.joint_2d_src = data_cfg.get('joint_2d_src', 'gt')
        if self.joint_2d_src not in self.SUPPORTED_JOINT_2D_SRC:
            raise ValueError(
                f'Unsupported joint_2d_src "{self.joint_2d_src}". '
                f'Supported options are {self.SUPPORTED_JOINT_2D_SRC}')
        self.joint_2d_det_file = data_cfg.get('joint_2d_det_file', None)
        if self.joint_2d_src == 'detection':
            check(self.joint_2d_det_file is not None,
                  'joint_2d_src="detection" needs data_cfg.joint_2d_det_file')

        self.need_camera_param = data_cfg.get('need_camera_param', False)
        if self.need_camera_param:
            check('camera_param_file' in data_cfg,
                  'need_camera_param=True needs data_cfg.camera_param_file')
            self.camera_param = self._load_camera_param(
                data_cfg['camera_param_file'])

        self.ann_info.update(get_dataset_meta('h36m').ann_info())
        self.ann_info['use_different_joint_weights'] = False

        actions = data_cfg.get('actions', '_all_')
        self.actions = set(
            actions if isinstance(actions, (list, tuple)) else [actions])
        subjects = data_cfg.get('subjects', '_all_')
        self.subjects = set(
            subjects if isinstance(subjects, (list, tuple)) else [subjects])

    def load_annotations(self):
        """Load the annotation file and the configured 2D joints."""
        data_info = super().load_annotations()
        if self.joint_2d_src == 'detection':
            joints_2d = self._load_joint_2d_detection(self.joint_2d_det_file)
            check(
                joints_2d.shape[0] == data_info['joints_3d'].shape[0]
                and joints_2d.ndim == 3 and joints_2d.shape[2] == 3,
                f'{self.joint_2d_det_file} must hold [N, K, 3] joints for '
                f'the {data_info["joints_3d"].shape[0]} frames, got '
                f'{joints_2d.shape}')
            data_info['joints_2d'] = joints_2d
        # 'gt' keeps the annotated joints; 'pipeline' makes them later
        return data_info

    @staticmethod
    def _parse_h36m_imgname(imgname):
        """Parse imgname to get information of subject, action and camera.

        A typical h36m image filename is like:
        S1_Directions_1.54138969_000001.jpg
        """
        subj, rest = osp.basename(imgname).split('_', 1)
        action, rest = rest.split('.', 1)
        camera, rest = rest.split('_', 1)
        return subj, action, camera

    def _video_of_frames(self):
        """Per frame, the (subject, action, camera) of its video.

        Returns:
            tuple: ``videos`` (list of the distinct keys, sorted) and
            ``video_index`` (np.ndarray[N], each frame's index in it).
        """
        if getattr(self, '_videos', None) is not None:
            return self._videos
        # The base name up to the frame number identifies the video; parse
        # each video once instead of every frame.
        names = np.asarray(self.data_info['imgnames']).astype(str)
        prefixes = np.strings.rpartition(
            np.strings.rpartition(names, '_')[0], '/')[2]
        uniq, inverse = np.unique(prefixes, return_inverse=True)
        keys = [self._parse_h36m_imgname(f'{p}_0.jpg') for p in uniq]
        order = sorted(range(len(keys)), key=keys.__getitem__)
        rank = np.empty(len(keys), dtype=np.int64)
        rank[order] = np.arange(len(keys))
        self._videos = [keys[i] for i in order], rank[inverse.ravel()]
        return self._videos

    def _keep_video(self, subj, action):
        """Whether the action / subject filters keep a video; an action
        matches by its full name (``Directions_1``) or its category
        (``Directions``)."""
        keep_action = '_all_' in self.actions or action in self.actions or \
            action.split('_')[0] in self.actions
        keep_subject = '_all_' in self.subjects or subj in self.subjects
        return keep_action and keep_subject

    def build_sample_indices(self):
        """Split original videos into sequences and build frame indices.

        Frames of a video are taken in annotation order. Without
        ``temporal_padding`` a video of n frames gives the n - (T - 1) *
        interval samples that fit; with it, one sample per frame, the
        frames beyond the video's ends replaced by its first / last frame
        (as 0.14). A ``subset`` < 1 keeps a random contiguous part.

        Returns:
            SampleIndices: Frame indices of each sample (``[i]`` gives
            np.ndarray[T]), computed on access: a 243-frame padded
            sampling of Human3.6M would otherwise hold ~1.5M x 243 indices.
        """
        videos, video_index = self._video_of_frames()
        # frames grouped by video, in annotation order within each
        by_video = np.argsort(video_index, kind='stable')
        counts = np.bincount(video_index, minlength=len(videos))
        starts = np.cumsum(counts) - counts

        step = self.seq_frame_interval
        if not self.temporal_padding:
            first_offset = 0
        elif self.causal:
            first_offset = -(self.seq_len - 1) * step
        else:
            first_offset = -((self.seq_len - 1) // 2) * step
        span = (self.seq_len - 1) * step + 1

        keep = np.array(
            [self._keep_video(subj, action) for subj, action, _ in videos],
            dtype=bool)
        # samples per video: one per frame (padded) or per fitting window
        per_video = counts if self.temporal_padding else \
            np.maximum(counts - span + 1, 0)
        per_video = np.where(keep, per_video, 0)
        video_of_sample = np.repeat(np.arange(len(videos)), per_video)
        position = np.arange(len(video_of_sample)) - np.repeat(
            np.cumsum(per_video) - per_video, per_video)

        subset_size = int(len(video_of_sample) * self.subset)
        start = np.random.randint(0, len(video_of_sample) - subset_size + 1)
        sel = slice(start, start + subset_size)
        return SampleIndices(by_video, starts[video_of_sample][sel],
                             position[sel] + first_offset,
                             counts[video_of_sample][sel] - 1, self.seq_len,
                             step)

    def _load_joint_2d_detection(self, det_file):
        """"Load 2D joint detection results from file."""
        return np.load(det_file).astype(np.float32)

    def evaluate(self,
                 outputs,
                 res_folder,
                 metric='mpjpe',
                 logger=None,
                 **kwargs):
        """Evaluate keypoint results; predictions are written to
        ``${res_folder}/result_keypoints.json`` (when res_folder is given).

        Each metric is reported overall (``MPJPE``, ``P-MPJPE``,
        ``N-MPJPE``) and per action category (``MPJPE_Directions``, ...).

        Note:
            0.14 computed the per-action P-MPJPE and N-MPJPE without
            alignment, so they equalled the per-action MPJPE; here each
            per-action value uses the alignment of its metric.

        Args:
            outputs (list[dict]): One dict per batch with ``preds``
                (np.ndarray[N, K, 3], in the units of the annotation) and
                ``target_image_paths`` (list[str]).
            res_folder (str | None): Path of directory to save the results.
            metric (str | list[str]): Any of 'mpjpe', 'p-mpjpe', 'n-mpjpe'.
                Default: 'mpjpe'.
            logger: Unused, as in 0.14.

        Returns:
            OrderedDict: Evaluation results for evaluation metric.
        """
        metrics = metric if isinstance(metric, list) else [metric]
        for _metric in metrics:
            if _metric not in self.ALLOWED_METRICS:
                raise ValueError(
                    f'Unsupported metric "{_metric}" for human3.6 dataset.'
                    f'Supported metrics are {self.ALLOWED_METRICS}')

        preds = np.concatenate([np.asarray(o['preds']) for o in outputs])
        target_ids = np.array([
            self.name2id[path] for o in outputs
            for path in o['target_image_paths']
        ],
                              dtype=np.int64)
        check(
            len(preds) == len(target_ids),
            f'outputs hold {len(preds)} predictions but '
            f'{len(target_ids)} target_image_paths')
        if res_folder is not None:
            mmcv.dump([{
                'keypoints': pred.tolist(),
                'target_id': int(target_id)
            } for pred, target_id in zip(preds, target_ids)],
                      osp.join(res_folder, 'result_keypoints.json'))

        name_value_tuples = []
        for _metric in metrics:
            name_value_tuples.extend(
                self._report_mpjpe(preds, target_ids, mode=_metric))
        return OrderedDict(name_value_tuples)

    def _report_mpjpe(self, preds, target_ids, mode='mpjpe'):
        """One metric overall and per action category.

        Args:
            preds (np.ndarray[N, K, 3]): Predicted joints.
            target_ids (np.ndarray[N]): Frame index of each prediction.
            mode (str): 'mpjpe', 'p-mpjpe' or 'n-mpjpe'.

        Returns:
            list[tuple[str, float]]: ``(MODE, value)`` then
            ``(MODE_<action>, value)`` per action category, in the order
            the categories first appear.
        """
        if mode not in _ALIGNMENT:
            raise ValueError(f'Invalid mode: {mode}')
        alignment = _ALIGNMENT[mode]
        gts = self.data_info['joints_3d'][target_ids]
        gt, masks = gts[..., :3], gts[..., 3] > 0
        err_name = mode.upper()
        name_value_tuples = [
            (err_name, float(keypoint_mpjpe(preds, gt, masks, alignment)))
        ]

        videos, video_index = self._video_of_frames()
        categories = np.array([action.split('_')[0] for _, action, _ in
                               videos])[video_index[target_ids]]
        names, first = np.unique(categories, return_index=True)
        for category in names[np.argsort(first)]:
            sel = categories == category
            name_value_tuples.append(
                (f'{err_name}_{category}',
                 float(keypoint_mpjpe(preds[sel], gt[sel], masks[sel],
                                      alignment))))
        return name_value_tuples

    def _load_camera_param(self, camera_param_file):
        """Load camera parameters from file."""
        return mmcv.load(camera_param_file)

    def get_camera_param(self, imgname):
        """Get camera parameters of a frame by its image name."""
        check(
            hasattr(self, 'camera_param'),
            'camera parameters are not loaded: set need_camera_param=True '
            'and camera_param_file in data_cfg')
        subj, _, camera = self._parse_h36m_imgname(imgname)
        return self.camera_param[(subj, camera)]
