import copy
import os
from abc import ABCMeta

import numpy as np
from torch.utils.data import Dataset

from mmpose.core.dataset_meta import get_dataset_meta
from mmpose.utils import check
from ...pipelines import Compose

#: The UV maps 0.14 knows: DensePose's, SMPL's default one and DecoMR's
#: ('BF'); ground-truth IUV images live in ``<img_prefix>/<uv_type>_IUV_gt``.
UV_TYPES = ('DP', 'SMPL', 'BF')


def _load_mesh_npz(ann_file):
    """Read a mesh annotation file into per-sample float32 arrays.

    Note:
        num_samples: N
        num_keypoints: K (24)

    Args:
        ann_file (str): ``.npz`` with ``imgname`` [N], ``center`` [N, 2] and
            ``scale`` [N] (box height / 200), and optionally ``part``
            (2D joints with visibility, [N, K, 3]), ``S`` (3D joints with
            visibility, [N, K, 4]), ``pose`` [N, 72] with ``shape`` [N, 10]
            (SMPL parameters), ``gender`` [N] ('m' / 'f') and ``iuv_names``
            [N].

    Returns:
        dict: The arrays (zeros where the file has none) and ``has_smpl``,
        ``has_iuv`` (int) as 0.14 derives them.
    """
    with np.load(ann_file) as data:
        imgnames = data['imgname']
        num = len(imgnames)

        def get(key, shape):
            if key in data:
                return data[key].astype(np.float32)
            return np.zeros((num, ) + shape, dtype=np.float32)

        has_smpl = int('pose' in data and 'shape' in data)
        arrays = dict(
            imgname=imgnames,
            center=data['center'].astype(np.float32),
            scale=data['scale'].astype(np.float32),
            part=get('part', (24, 3)),
            S=get('S', (24, 4)),
            pose=get('pose', (72, )) if has_smpl else np.zeros(
                (num, 72), np.float32),
            shape=get('shape', (10, )) if has_smpl else np.zeros(
                (num, 10), np.float32),
            has_smpl=has_smpl)
        if 'gender' in data:
            # 0.14's coding: 0 for male, 1 for anything else
            arrays['gender'] = (data['gender'].astype(str) != 'm').astype(
                np.int32)
        else:
            arrays['gender'] = np.full(num, -1, dtype=np.int32)
        # IUV images are rendered from the SMPL fits: usable only with them
        if 'iuv_names' in data:
            arrays['iuv_names'] = data['iuv_names']
            arrays['has_iuv'] = has_smpl
        else:
            arrays['iuv_names'] = [''] * num
            arrays['has_iuv'] = 0
    return arrays


class MeshBaseDataset(Dataset, metaclass=ABCMeta):
    """Base dataset for 3D human mesh estimation task. In 3D humamesh
    estimation task, all datasets share this BaseDataset for training and
    have their own evaluate function.

    The dataset loads raw features and apply specified transforms
    to return a dict containing the image tensors and other information.

    This dataset can only be used for training.
    For evaluation, subclass should write an extra evaluate function.

    Each record holds ``image_file``, ``center`` (np.ndarray[2]),
    ``scale`` (np.ndarray[2], the file's scale for both sides),
    ``rotation`` (0), ``joints_2d`` (np.ndarray[K, 2]),
    ``joints_2d_visible`` (np.ndarray[K, 1]), ``joints_3d``
    (np.ndarray[K, 3]), ``joints_3d_visible`` (np.ndarray[K, 1]),
    ``gender``, ``pose`` (np.ndarray[72]), ``beta`` (np.ndarray[10]),
    ``has_smpl``, ``iuv_file`` and ``has_iuv``; arrays are float32.

    Note:
        num_keypoints: K (24, the CMR/SPIN layout of
        :mod:`mmpose.core.dataset_meta.mesh`)

    Args:
        ann_file (str): Path to the annotation file (``.npz``, see
            :func:`_load_mesh_npz`).
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): ``image_size`` ([w, h]), ``iuv_size`` ([w, h]),
            ``num_joints`` (24), ``use_IUV`` (bool) and ``uv_type``
            ('DP', 'SMPL' or 'BF').
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or
            validation dataset. Default: False.
    """

    def __init__(self, ann_file, img_prefix, data_cfg, pipeline,
                 test_mode=False):
        meta = get_dataset_meta('mesh')
        check(
            data_cfg['num_joints'] == meta.num_keypoints,
            f'data_cfg.num_joints must be {meta.num_keypoints} (the mesh '
            f'joint layout), got {data_cfg["num_joints"]}')
        check(data_cfg['uv_type'] in UV_TYPES,
              f'data_cfg.uv_type must be one of {UV_TYPES}, got '
              f'{data_cfg["uv_type"]!r}')
        self.image_info = {}
        self.ann_file = ann_file
        self.img_prefix = img_prefix
        self.test_mode = test_mode
        self.ann_info = dict(
            image_size=np.array(data_cfg['image_size']),
            iuv_size=np.array(data_cfg['iuv_size']),
            num_joints=data_cfg['num_joints'],
            flip_pairs=meta.flip_pairs,
            use_different_joint_weights=False,
            joint_weights=meta.ann_info()['joint_weights'],
            uv_type=data_cfg['uv_type'],
            use_IUV=data_cfg['use_IUV'])
        self.iuv_prefix = os.path.join(self.img_prefix,
                                       f'{data_cfg["uv_type"]}_IUV_gt')
        self.db = self._get_db(ann_file)
        self.pipeline = Compose(pipeline)

    def _get_db(self, ann_file):
        """Load dataset."""
        data = _load_mesh_npz(ann_file)
        part, joints_3d = data['part'], data['S']
        scales = np.repeat(data['scale'][:, None], 2, axis=1)
        gt_db = []
        for i, imgname in enumerate(data['imgname']):
            gt_db.append(
                dict(
                    image_file=os.path.join(self.img_prefix, str(imgname)),
                    center=data['center'][i],
                    scale=scales[i],
                    rotation=0,
                    joints_2d=part[i, :, :2],
                    joints_2d_visible=part[i, :, 2:],
                    joints_3d=joints_3d[i, :, :3],
                    joints_3d_visible=joints_3d[i, :, 3:],
                    gender=data['gender'][i],
                    pose=data['pose'][i],
                    beta=data['shape'][i],
                    has_smpl=data['has_smpl'],
                    iuv_file=os.path.join(self.iuv_prefix,
                                          str(data['iuv_names'][i])),
                    has_iuv=data['has_iuv']))
        return gt_db

    def __len__(self, ):
        """Get the size of the dataset."""
        return len(self.db)

    def __getitem__(self, idx):
        """Get the sample given index."""
        results = copy.deepcopy(self.db[idx])
        results['ann_info'] = self.ann_info
        return self.pipeline(results)
