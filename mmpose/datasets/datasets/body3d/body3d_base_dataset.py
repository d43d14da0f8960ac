import copy
from abc import ABCMeta, abstractmethod

import numpy as np
from torch.utils.data import Dataset

from mmpose.utils import check
from ...pipelines import Compose


class Body3DBaseDataset(Dataset, metaclass=ABCMeta):
    """Base class for 3D human pose datasets.

    Subclasses should consider overwriting following methods:
        - load_config
        - load_annotations
        - build_sample_indices
        - evaluate

    Note:
        num_frames: N
        num_keypoints: K
        seq_len: T

    Args:
        ann_file (str): Path to the annotation file (npz with ``imgname``
            and optionally ``center``, ``scale``, ``S`` (3D joints with
            visibility, [N, K, 4]) and ``part`` (2D joints with visibility,
            [N, K, 3])).
        img_prefix (str): Path to a directory where images are held.
            Default: None.
        data_cfg (dict): Data configurations. Please refer to the docstring
            of :meth:`load_config` for the configurable items.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or
            validation dataset. Default: False.
    """

    def __init__(self, ann_file, img_prefix, data_cfg, pipeline,
                 test_mode=False):
        self.ann_file = ann_file
        self.img_prefix = img_prefix
        self.data_cfg = copy.deepcopy(data_cfg)
        self.pipeline = pipeline
        self.test_mode = test_mode
        self.ann_info = {}

        self.load_config(self.data_cfg)

        self.ann_info['num_joints'] = data_cfg['num_joints']
        self.data_info = self.load_annotations()
        self.sample_indices = self.build_sample_indices()
        self.pipeline = Compose(pipeline)

        self.name2id = {
            name: i
            for i, name in enumerate(self.data_info['imgnames'])
        }

    def load_config(self, data_cfg):
        """Initialize dataset attributes according to the config.

        Override this method to set dataset specific attributes.

        Args:
            data_cfg (dict): ``num_joints`` (required), ``seq_len``
                (frames per sample, default 1), ``seq_frame_interval``
                (frame step inside a sample, default 1), ``causal`` (the
                target is the last frame of a sample instead of the middle
                one, default True), ``temporal_padding`` (pad samples at
                the sequence ends so every frame is a target, default
                False), ``subset`` (fraction of the samples kept, default
                1) and ``need_2d_label`` (add ``target_2d``, default False).
        """
        self.num_joints = data_cfg['num_joints']
        self.seq_len = data_cfg.get('seq_len', 1)
        self.seq_frame_interval = data_cfg.get('seq_frame_interval', 1)
        self.causal = data_cfg.get('causal', True)
        self.temporal_padding = data_cfg.get('temporal_padding', False)
        self.subset = data_cfg.get('subset', 1)
        self.need_2d_label = data_cfg.get('need_2d_label', False)
        self.need_camera_param = False
        check(
            self.seq_len >= 1 and self.seq_frame_interval >= 1,
            'seq_len and seq_frame_interval must be >= 1, got '
            f'{self.seq_len} and {self.seq_frame_interval}')
        check(0 < self.subset <= 1,
              f'subset must be in (0, 1], got {self.subset}')

    def load_annotations(self):
        """Load data annotation.

        Returns:
            dict: ``imgnames`` (np.ndarray[N] of str), ``joints_3d``
            (np.ndarray[N, K, 4]), ``joints_2d`` (np.ndarray[N, K, 3]),
            ``scales`` (np.ndarray[N]) and ``centers`` (np.ndarray[N, 2]),
            float32; missing entries are zeros.
        """
        data = np.load(self.ann_file)
        imgnames = data['imgname']
        num_imgs = len(imgnames)
        num_joints = self.ann_info['num_joints']

        def get(key, shape):
            if key in data:
                return data[key].astype(np.float32)
            return np.zeros(shape, dtype=np.float32)

        return {
            'imgnames': imgnames,
            'joints_3d': get('S', (num_imgs, num_joints, 4)),
            'joints_2d': get('part', (num_imgs, num_joints, 3)),
            'scales': get('scale', (num_imgs, )),
            'centers': get('center', (num_imgs, 2)),
        }

    def build_sample_indices(self):
        """Build sample indices.

        The default method creates sample indices that each sample is a
        single frame (i.e. seq_len=1). Override this method in the subclass
        to define how frames are sampled to form data samples.

        Returns:
            np.ndarray[S, T]: Frame indices of each of the S samples.
        """
        check(
            self.seq_len == 1,
            f'{type(self).__name__}: the default sampling makes one-frame '
            f'samples, got seq_len={self.seq_len}')
        return np.arange(len(self.data_info['imgnames']))[:, None]

    @abstractmethod
    def evaluate(self, outputs, res_folder, metric, *args, **kwargs):
        """Evaluate keypoint results."""

    def prepare_data(self, idx):
        """Get data sample.

        Returns:
            dict: ``input_2d`` (np.ndarray[T, K, 2]), ``input_2d_visible``
            ([T, K, 1]), ``input_3d`` ([T, K, 3]), ``input_3d_visible``
            ([T, K, 1]), ``target`` ([K, 3]) and ``target_visible``
            ([K, 1]) of the target frame (the last one when causal, else
            the middle one), ``image_paths``, ``target_image_path``,
            ``scales`` ([T, 2]), ``centers`` ([T, 2]); ``target_2d`` and
            ``camera_param`` when configured.
        """
        data = self.data_info
        frame_ids = self.sample_indices[idx]
        check(
            len(frame_ids) == self.seq_len,
            f'sample {idx} has {len(frame_ids)} frames, expected '
            f'seq_len={self.seq_len}')

        _joints_3d = data['joints_3d'][frame_ids]
        _joints_2d = data['joints_2d'][frame_ids]
        _imgnames = data['imgnames'][frame_ids]
        _centers = data['centers'][frame_ids]
        _scales = data['scales'][frame_ids]
        if _scales.ndim == 1:
            _scales = np.stack([_scales, _scales], axis=1)

        target_idx = -1 if self.causal else int(self.seq_len) // 2

        results = {
            'input_2d': _joints_2d[:, :, :2],
            'input_2d_visible': _joints_2d[:, :, -1:],
            'input_3d': _joints_3d[:, :, :3],
            'input_3d_visible': _joints_3d[:, :, -1:],
            'target': _joints_3d[target_idx, :, :3],
            'target_visible': _joints_3d[target_idx, :, -1:],
            'image_paths': _imgnames,
            'target_image_path': _imgnames[target_idx],
            'scales': _scales,
            'centers': _centers,
        }

        if self.need_2d_label:
            if self.seq_len > 1:
                raise NotImplementedError(
                    'need_2d_label is only supported for seq_len=1')
            results['target_2d'] = _joints_2d[target_idx, :, :2]

        if self.need_camera_param:
            _cam_param = self.get_camera_param(_imgnames[0])
            results['camera_param'] = _cam_param
            if 'w' in _cam_param and 'h' in _cam_param:
                results['image_width'] = _cam_param['w']
                results['image_height'] = _cam_param['h']

        return results

    def __len__(self):
        """Get the size of the dataset."""
        return len(self.sample_indices)

    def __getitem__(self, idx):
        """Get a sample with given index."""
        # fancy indexing and slicing above already copied the arrays
        results = self.prepare_data(idx)
        if 'camera_param' in results:
            results['camera_param'] = copy.deepcopy(results['camera_param'])
        results['ann_info'] = self.ann_info
        return self.pipeline(results)
