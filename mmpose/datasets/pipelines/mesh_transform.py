import os.path as osp

import cv2
import numpy as np
import torch

from mmpose.core.dataset_meta.mesh import SMPL_FLIP_PAIRS
from mmpose.core.post_processing import fliplr_joints, get_affine_transform
from mmpose.utils import check
from ..registry import PIPELINES
from .top_down_transform import (TopDownGetRandomScaleRotation, _hflip_image,
                                 _warp_visible_joints)


def _smpl_flip_index():
    """Index into the 72 SMPL pose values that swaps left and right joints."""
    joints = np.arange(24)
    for left, right in SMPL_FLIP_PAIRS:
        joints[left], joints[right] = right, left
    return (joints[:, None] * 3 + np.arange(3)).reshape(-1)


_SMPL_FLIP_INDEX = _smpl_flip_index()
# Mirroring x negates the y and z components of every axis-angle.
_SMPL_FLIP_SIGN = np.tile(np.array([1, -1, -1], dtype=np.float32), 24)


def _flip_smpl_pose(pose):
    """Flip SMPL pose parameters horizontally.

    Args:
        pose (np.ndarray([72])): SMPL pose parameters

    Returns:
        pose_flipped
    """
    return pose[_SMPL_FLIP_INDEX] * _SMPL_FLIP_SIGN.astype(pose.dtype)


def _flip_iuv(iuv, uv_type='BF'):
    """Flip IUV image horizontally.

    Note:
        IUV image height: H
        IUV image width: W

    Background pixels (I = 0) keep U = V = 0, as in an unflipped map.

    Args:
        iuv np.ndarray([H, W, 3]): IUV image
        uv_type (str): The type of the UV map.
            Candidate values:
                'DP': The UV map used in DensePose project.
                'SMPL': The default UV map of SMPL model.
                'BF': The UV map used in DecoMR project.
            Default: 'BF'

    Returns:
        iuv_flipped np.ndarray([H, W, 3]): Flipped IUV image
    """
    check(
        uv_type in ('DP', 'SMPL', 'BF'),
        f"uv_type must be 'DP', 'SMPL' or 'BF', got {uv_type!r}")
    if uv_type != 'BF':
        # The body parts of these maps change under a flip: not done yet.
        raise NotImplementedError(
            f'The flip of {uv_type} UV map is not implemented yet.')
    iuv_flipped = _hflip_image(iuv)
    # DecoMR's BF map is left-right symmetric in U: a mirrored body point
    # has U' = 255 - U.
    foreground = iuv_flipped[:, :, 0] > 0
    iuv_flipped[:, :, 1][foreground] = 255 - iuv_flipped[:, :, 1][foreground]
    return iuv_flipped


def _construct_rotation_matrix(rot, size=3):
    """Construct the in-plane rotation matrix.

    Args:
        rot (float): Rotation angle (degree).
        size (int): The size of the rotation matrix.
            Candidate Values: 2, 3. Defaults to 3.

    Returns:
        rot_mat (np.ndarray([size, size]): Rotation matrix.
    """
    check(size in (2, 3), f'size must be 2 or 3, got {size}')
    rot_mat = np.eye(size, dtype=np.float32)
    if rot != 0:
        rot_rad = np.deg2rad(rot)
        sn, cs = np.sin(rot_rad), np.cos(rot_rad)
        rot_mat[0, :2] = [cs, -sn]
        rot_mat[1, :2] = [sn, cs]
    return rot_mat


def _rotate_joints_3d(joints_3d, rot):
    """Rotate the 3D joints in the local coordinates.

    The image is rotated by ``rot`` degrees counterclockwise (with y
    pointing down); in the camera frame (y down too) that is a rotation by
    ``-rot`` about the z axis.

    Note:
        Joints number: K

    Args:
        joints_3d (np.ndarray([K, 3])): Coordinates of keypoints.
        rot (float): Rotation angle (degree).

    Returns:
        joints_3d_rotated
    """
    rot_mat = _construct_rotation_matrix(-rot, 3)
    return (np.asarray(joints_3d) @ rot_mat.T).astype(np.float32)


def _rotate_smpl_pose(pose, rot):
    """Rotate SMPL pose parameters. SMPL (https://smpl.is.tue.mpg.de/) is a 3D
    human model.

    Only the global orientation (the first 3 values) changes: it is
    composed with the rotation of :func:`_rotate_joints_3d`.

    Args:
        pose (np.ndarray([72])): SMPL pose parameters
        rot (float): Rotation angle (degree).

    Returns:
        pose_rotated
    """
    pose_rotated = pose.copy()
    if rot != 0:
        rot_mat = _construct_rotation_matrix(-rot)
        orient, _ = cv2.Rodrigues(np.asarray(pose[:3], dtype=np.float64))
        res_rot, _ = cv2.Rodrigues(rot_mat.astype(np.float64) @ orient)
        pose_rotated[:3] = res_rot[:, 0]
    return pose_rotated


def _flip_joints_3d(joints_3d, joints_3d_visible, flip_pairs):
    """Flip human joints in 3D space horizontally.

    Note:
        num_keypoints: K

    Args:
        joints_3d (np.ndarray([K, 3])): Coordinates of keypoints.
        joints_3d_visible (np.ndarray([K, 1])): Visibility of keypoints.
        flip_pairs (list[tuple()]): Pairs of keypoints which are mirrored
            (for example, left ear -- right ear).

    Returns:
        joints_3d_flipped, joints_3d_visible_flipped
    """
    # Mirroring about x = 0 is the image flip of a width-1 image
    # (x -> 1 - 1 - x): swapped pairs, invisible joints zeroed.
    return fliplr_joints(joints_3d, joints_3d_visible, 1, flip_pairs)


@PIPELINES.register_module()
class LoadIUVFromFile:
    """Loading IUV image from file.

    Required keys: 'iuv_file', 'has_iuv' and 'ann_info' (its 'use_IUV').
    Added keys: 'iuv' (np.ndarray[H, W, 3] uint8, channels I, U, V as the
    file's B, G, R; None when the sample has no IUV map or 'use_IUV' is
    off) and 'has_iuv'.

    Args:
        to_float32 (bool): Whether to convert the loaded map to float32.
            Default: False.
    """

    def __init__(self, to_float32=False):
        self.to_float32 = to_float32
        self.color_type = 'color'
        # channel relations: iuv->bgr
        self.channel_order = 'bgr'

    def __repr__(self):
        return f'{self.__class__.__name__}(to_float32={self.to_float32})'

    def __call__(self, results):
        """Loading image from file."""
        has_iuv = results['has_iuv']
        iuv = None
        if has_iuv and results['ann_info']['use_IUV']:
            iuv_file = results['iuv_file']
            iuv = cv2.imread(str(iuv_file), cv2.IMREAD_COLOR)
            if iuv is None:
                if not osp.isfile(iuv_file):
                    raise FileNotFoundError(f'IUV file not found: {iuv_file}')
                raise ValueError(f'Fail to read {iuv_file}')
            if self.to_float32:
                iuv = iuv.astype(np.float32)
        else:
            has_iuv = 0
        results['has_iuv'] = has_iuv
        results['iuv'] = iuv
        return results


@PIPELINES.register_module()
class IUVToTensor:
    """Transform IUV image to part index mask and uv coordinates image. The 3
    channels of IUV image means: part index, u coordinates, v coordinates.

    Without a map ('iuv' None) both are zeros of ``ann_info['iuv_size']``
    ([w, h], as ``MeshAffine`` uses it).

    Required key: 'iuv', 'ann_info'.
    Modifies key: 'part_index' (torch.LongTensor[1, H, W]),
    'uv_coordinates' (torch.FloatTensor[2, H, W], in [0, 1]).
    """

    def __call__(self, results):
        """
        Args:
            results (dict): contain all information about training.
        """
        iuv = results['iuv']
        if iuv is None:
            w, h = (int(v) for v in results['ann_info']['iuv_size'])
            part_index = torch.zeros([1, h, w], dtype=torch.long)
            uv_coordinates = torch.zeros([2, h, w], dtype=torch.float32)
        else:
            iuv = np.asarray(iuv)
            part_index = torch.from_numpy(iuv[None, :, :, 0].astype(np.int64))
            uv_coordinates = torch.from_numpy(
                np.ascontiguousarray(
                    iuv[:, :, 1:].transpose(2, 0, 1), dtype=np.float32) / 255)
        results['part_index'] = part_index
        results['uv_coordinates'] = uv_coordinates
        return results


@PIPELINES.register_module()
class MeshRandomChannelNoise:
    """Data augmentation with random channel noise.

    Required keys: 'img'
    Modifies key: 'img'

    Args:
        noise_factor (float): Multiply each channel with
         a factor between``[1-scale_factor, 1+scale_factor]``
    """

    def __init__(self, noise_factor=0.4):
        self.noise_factor = noise_factor

    def __repr__(self):
        return f'{type(self).__name__}(noise_factor={self.noise_factor})'

    def __call__(self, results):
        """Perform data augmentation with random channel noise."""
        pn = np.random.uniform(1 - self.noise_factor, 1 + self.noise_factor,
                               (1, 3))
        # cv2 takes the 3 factors as a per-channel scalar and saturates
        # (uint8 results are rounded and clipped to [0, 255]).
        results['img'] = cv2.multiply(results['img'], pn)
        return results


@PIPELINES.register_module()
class MeshRandomFlip:
    """Data augmentation with random image flip.

    Required keys: 'img', 'joints_2d','joints_2d_visible', 'joints_3d',
    'joints_3d_visible', 'center', 'pose', 'iuv' and 'ann_info'.
    Modifies key: 'img', 'joints_2d','joints_2d_visible', 'joints_3d',
    'joints_3d_visible', 'center', 'pose', 'iuv'.

    The flipped image, joints, center, pose and IUV map are new arrays.

    Args:
        flip_prob (float): Probability of flip.
    """

    def __init__(self, flip_prob=0.5):
        self.flip_prob = flip_prob

    def __repr__(self):
        return f'{type(self).__name__}(flip_prob={self.flip_prob})'

    def __call__(self, results):
        """Perform data augmentation with random image flip."""
        if np.random.rand() > self.flip_prob:
            return results
        ann_info = results['ann_info']
        flip_pairs = ann_info['flip_pairs']
        img_width = results['img'].shape[1]
        results['img'] = _hflip_image(results['img'])
        results['joints_2d'], results['joints_2d_visible'] = fliplr_joints(
            results['joints_2d'], results['joints_2d_visible'], img_width,
            flip_pairs)
        results['joints_3d'], results['joints_3d_visible'] = _flip_joints_3d(
            results['joints_3d'], results['joints_3d_visible'], flip_pairs)
        results['pose'] = _flip_smpl_pose(results['pose'])
        center = np.array(results['center'], copy=True)
        center[0] = img_width - center[0] - 1
        results['center'] = center
        if results.get('iuv') is not None:
            results['iuv'] = _flip_iuv(results['iuv'], ann_info['uv_type'])
        return results


@PIPELINES.register_module()
class MeshGetRandomScaleRotation(TopDownGetRandomScaleRotation):
    """Data augmentation with random scaling & rotating:
    :class:`TopDownGetRandomScaleRotation` (the same draws) with the mesh
    defaults.

    Required key: 'scale'. Modifies key: 'scale' and 'rotation'.

    Args:
        rot_factor (int): Rotating to ``[-2*rot_factor, 2*rot_factor]``.
            Default: 30.
        scale_factor (float): Scaling to ``[1-scale_factor,
            1+scale_factor]``. Default: 0.25.
        rot_prob (float): Probability of random rotation. Default: 0.6.
    """

    def __init__(self, rot_factor=30, scale_factor=0.25, rot_prob=0.6):
        super().__init__(
            rot_factor=rot_factor,
            scale_factor=scale_factor,
            rot_prob=rot_prob)


def _crop_box(img, center, scale, rot, size, interpolation):
    """Warp the box (center, scale, rot) of ``img`` to ``size`` ([w, h]).

    Returns:
        tuple: The warped image and its transform (np.ndarray[2, 3]).
    """
    trans = get_affine_transform(center, scale, rot, size)
    warped = cv2.warpAffine(
        img, trans, (int(size[0]), int(size[1])), flags=interpolation)
    return warped, trans


@PIPELINES.register_module()
class MeshAffine:
    """Affine transform the image to get input image. Affine transform the 2D
    keypoints, 3D kepoints and IUV image too.

    The box (center, scale, rotation) is cropped to ``image_size`` for the
    image and the 2D joints, and to ``iuv_size`` for the IUV map with a
    transform for that size. (0.14 warped the IUV map with the image's
    transform into the smaller ``iuv_size`` output, which kept only the top
    left ``iuv_size / image_size`` of the crop, a quarter of each side with
    the 224/56 config.) The 3D joints and the SMPL global orientation are
    rotated with the image.

    Required keys: 'img', 'joints_2d','joints_2d_visible', 'joints_3d',
    'joints_3d_visible', 'pose', 'iuv', 'ann_info','scale', 'rotation' and
    'center'. Modifies key: 'img', 'joints_2d','joints_2d_visible',
    'joints_3d', 'pose', 'iuv'.
    """

    def __call__(self, results):
        """Crop and warp the box region (and the labels) to the input."""
        ann_info = results['ann_info']
        image_size = ann_info['image_size']
        c = results['center']
        s = results['scale']
        r = results['rotation']
        results['img'], trans = _crop_box(results['img'], c, s, r, image_size,
                                          cv2.INTER_LINEAR)
        # 0.x moves only visible joints; invisible ones keep their (zeroed)
        # coordinates.
        results['joints_2d'] = _warp_visible_joints(
            results['joints_2d'], results['joints_2d_visible'], trans)
        results['joints_3d'] = _rotate_joints_3d(results['joints_3d'], r)
        results['pose'] = _rotate_smpl_pose(results['pose'], r)
        if results.get('iuv') is not None:
            results['iuv'], _ = _crop_box(results['iuv'], c, s, r,
                                          ann_info['iuv_size'],
                                          cv2.INTER_NEAREST)
        return results
