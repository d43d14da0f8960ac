"""Writers of small generated mesh recovery datasets in 0.14's ``.npz``
annotation format (images, optional IUV maps, MoSh SMPL parameters), and
the mesh ``data_cfg``, for the mesh dataset, pipeline and config tests.

Example (one HMR training set-up in ``tmp_path``)::

    train = write_mesh_dataset(tmp_path / 'h36m')
    mosh = write_mosh_dataset(tmp_path / 'mosh')
    dict(type='MeshH36MDataset', ann_file=train['ann_file'],
         img_prefix=train['img_prefix'], data_cfg=mesh_data_cfg(), ...)
"""
import os

import cv2
import numpy as np

#: The mesh layout's joints Human3.6M labels (the others are invisible),
#: as in the shared ``h36m/test_h36m.npz`` sample.
H36M_VISIBLE_JOINTS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 17,
                       18)


def mesh_data_cfg(image_size=(224, 224), iuv_size=(56, 56), use_IUV=False,
                  uv_type='BF'):
    """The ``data_cfg`` of the mesh datasets (as the HMR config's)."""
    return dict(
        image_size=list(image_size),
        iuv_size=list(iuv_size),
        num_joints=24,
        use_IUV=use_IUV,
        uv_type=uv_type)


def write_mesh_dataset(root,
                       num_samples=4,
                       image_shape=(120, 100),
                       visible_joints=H36M_VISIBLE_JOINTS,
                       with_smpl=True,
                       with_iuv=False,
                       uv_type='BF',
                       seed=0):
    """Write a mesh annotation file with its images (and IUV maps).

    Each sample is a person box around the image centre (scale 0.4, i.e. 80
    pixels), 24 2D joints inside it, 24 3D joints (metres, about 5 m in
    front of the camera) and, with ``with_smpl``, SMPL pose and shape.

    Args:
        root (str | Path): Folder to write to (created).
        num_samples (int): N.
        image_shape (tuple[int, int]): Image (height, width).
        visible_joints (Sequence[int]): Joints labelled in 2D and 3D; the
            others are zero with visibility 0.
        with_smpl (bool): Write ``pose`` and ``shape``.
        with_iuv (bool): Write ``iuv_names`` and an IUV map per sample in
            ``<root>/<uv_type>_IUV_gt`` (I = 1 on the right half of the
            person box, U and V ramps there, 0 elsewhere).
        uv_type (str): Prefix of the IUV folder. Default: 'BF'.
        seed (int): Random seed.

    Returns:
        dict: ``ann_file``, ``img_prefix`` (= root), and the written arrays
        (``imgname``, ``center``, ``scale``, ``part``, ``S`` and, as
        written, ``pose``, ``shape``, ``iuv_names``).
    """
    rng = np.random.RandomState(seed)
    root = str(root)
    os.makedirs(root, exist_ok=True)
    height, width = image_shape
    visible = np.zeros(24, dtype=np.float64)
    visible[list(visible_joints)] = 1
    center = np.tile([width / 2, height / 2], (num_samples, 1))
    center += rng.uniform(-5, 5, (num_samples, 2))
    scale = np.full(num_samples, 0.4)
    part = np.concatenate(
        [center[:, None] + rng.uniform(-35, 35, (num_samples, 24, 2)),
         np.broadcast_to(visible[:, None], (num_samples, 24, 1))], axis=-1)
    joints_3d = rng.uniform(-0.8, 0.8, (num_samples, 24, 3)) + [0, 0, 5]
    S = np.concatenate(
        [joints_3d, np.broadcast_to(visible[:, None],
                                    (num_samples, 24, 1))], axis=-1)
    part[..., :2] *= part[..., 2:]
    S[..., :3] *= S[..., 3:]
    imgname = np.array([f'img_{i:03d}.png' for i in range(num_samples)])
    arrays = dict(imgname=imgname, center=center, scale=scale, part=part, S=S)
    if with_smpl:
        arrays['pose'] = rng.uniform(-0.3, 0.3, (num_samples, 72))
        arrays['shape'] = rng.uniform(-1, 1, (num_samples, 10))
    for name in imgname:
        cv2.imwrite(os.path.join(root, name),
                    rng.randint(0, 256, (height, width, 3), dtype=np.uint8))
    if with_iuv:
        arrays['iuv_names'] = np.array(
            [f'img_{i:03d}_iuv.png' for i in range(num_samples)])
        iuv_dir = os.path.join(root, f'{uv_type}_IUV_gt')
        os.makedirs(iuv_dir, exist_ok=True)
        for name, (cx, cy), s in zip(arrays['iuv_names'], center, scale):
            cv2.imwrite(os.path.join(iuv_dir, name),
                        right_half_iuv(image_shape, (cx, cy), s * 200))
    ann_file = os.path.join(root, 'mesh_annotations.npz')
    np.savez(ann_file, **arrays)
    return dict(ann_file=ann_file, img_prefix=root, **arrays)


def right_half_iuv(image_shape, center, box_size):
    """An IUV map (uint8 [H, W, 3], channels I, U, V) whose foreground
    (I = 1) is the right half of the square box of side ``box_size`` around
    ``center``; U and V rise from left to right and top to bottom there."""
    height, width = image_shape
    ys, xs = np.mgrid[:height, :width]
    half = box_size / 2
    cx, cy = center
    inside = ((xs >= cx) & (xs < cx + half) & (ys >= cy - half) &
              (ys < cy + half))
    iuv = np.zeros((height, width, 3), dtype=np.uint8)
    iuv[..., 0] = inside
    iuv[..., 1] = np.where(inside, 1 + (xs * 254) // max(width - 1, 1), 0)
    iuv[..., 2] = np.where(inside, 1 + (ys * 254) // max(height - 1, 1), 0)
    return iuv


def write_mosh_dataset(root, num_samples=4, seed=0):
    """Write a MoSh annotation file (SMPL ``pose`` [N, 72] and ``shape``
    [N, 10]).

    Returns:
        dict: ``ann_file``, ``pose`` and ``shape``.
    """
    rng = np.random.RandomState(seed)
    os.makedirs(str(root), exist_ok=True)
    arrays = dict(
        pose=rng.uniform(-0.5, 0.5, (num_samples, 72)),
        shape=rng.uniform(-1, 1, (num_samples, 10)))
    ann_file = os.path.join(str(root), 'mosh_annotations.npz')
    np.savez(ann_file, **arrays)
    return dict(ann_file=ann_file, **arrays)
