"""Pipeline steps of 3D pose lifting: root-centering, normalisation, the
joint flip around the root, sequence-to-tensor and camera projection."""
import mmcv
import numpy as np
import torch
from mmcv.utils import build_from_cfg

from mmpose.core.camera import CAMERAS
from mmpose.core.post_processing import fliplr_regression
from mmpose.utils import check
from ..registry import PIPELINES


def _require(results, key, step):
    check(key in results, f'{step}: results have no {key!r} item')
    return results[key]


@PIPELINES.register_module()
class GetRootCenteredPose:
    """Zero-center the pose around a given root joint. Optionally, the root
    joint can be removed from the original pose and stored as a separate
    item.

    Note that the root-centered joints may no longer align with some
    annotation information (e.g. flip_pairs, num_joints, inference_channel,
    etc.) due to the removal of the root joint.

    Args:
        item (str): The name of the pose to apply root-centering.
        root_index (int): Root joint index in the pose.
        visible_item (str): The name of the visibility item.
        remove_root (bool): If true, remove the root joint from the pose
        root_name (str): Optional. If not none, it will be used as the key to
            store the root position separated from the original pose.

    Required keys:
        item
    Modified keys:
        item, visible_item, root_name
    """

    def __init__(self,
                 item,
                 root_index,
                 visible_item=None,
                 remove_root=False,
                 root_name=None):
        self.item = item
        self.root_index = root_index
        self.remove_root = remove_root
        self.root_name = root_name
        self.visible_item = visible_item

    def __call__(self, results):
        joints = _require(results, self.item, 'GetRootCenteredPose')
        root_idx = self.root_index
        check(
            joints.ndim >= 2 and joints.shape[-2] > root_idx,
            f'GetRootCenteredPose: {self.item} must be [..., K, C] with K > '
            f'root_index={root_idx}, got {joints.shape}')

        root = joints[..., root_idx:root_idx + 1, :]
        results[self.item] = joints - root
        if self.root_name is not None:
            results[self.root_name] = root

        if self.remove_root:
            results[self.item] = np.delete(
                results[self.item], root_idx, axis=-2)
            if self.visible_item is not None:
                visible = _require(results, self.visible_item,
                                   'GetRootCenteredPose')
                results[self.visible_item] = np.delete(
                    visible, root_idx, axis=-2)
            # Later steps that rely on the original joint indices check it.
            results[f'{self.item}_root_removed'] = True
            # Needed to restore the global pose.
            if self.root_name is not None:
                results[f'{self.root_name}_index'] = root_idx

        return results


@PIPELINES.register_module()
class NormalizeJointCoordinate:
    """Normalize the joint coordinate with given mean and std.

    Args:
        item (str): The name of the pose to normalize.
        mean (array): Mean values of joint coordinates in shape [K, C].
        std (array): Std values of joint coordinates in shape [K, C].
        norm_param_file (str): Optionally load a dict containing `mean` and
            `std` from a file using `mmcv.load`.

    Required keys:
        item
    Modified keys:
        item, ``{item}_mean``, ``{item}_std``
    """

    def __init__(self, item, mean=None, std=None, norm_param_file=None):
        self.item = item
        self.norm_param_file = norm_param_file
        if norm_param_file is not None:
            norm_param = mmcv.load(norm_param_file)
            check(
                'mean' in norm_param and 'std' in norm_param,
                f'NormalizeJointCoordinate: {norm_param_file} must hold '
                f'"mean" and "std", got keys {sorted(norm_param)}')
            mean = norm_param['mean']
            std = norm_param['std']
        else:
            check(
                mean is not None and std is not None,
                'NormalizeJointCoordinate: give mean and std, or '
                'norm_param_file')
        self.mean = np.array(mean, dtype=np.float32)
        self.std = np.array(std, dtype=np.float32)

    def __call__(self, results):
        joints = _require(results, self.item, 'NormalizeJointCoordinate')
        results[self.item] = (joints - self.mean) / self.std
        results[f'{self.item}_mean'] = self.mean.copy()
        results[f'{self.item}_std'] = self.std.copy()
        return results


@PIPELINES.register_module()
class RelativeJointRandomFlip:
    """Data augmentation with random horizontal joint flip around a root
    joint.

    Args:
        item (str): The name of the pose to flip.
        root_index (int): Root joint index in the pose.
        visible_item (str): The name of the visibility item which will be
            flipped accordingly along with the pose.
        flip_prob (float): Probability of flip.

    Required keys:
        item, ann_info (flip_pairs)
    Modified keys:
        item, visible_item
    """

    def __init__(self, item, root_index, visible_item=None, flip_prob=0.5):
        self.item = item
        self.root_index = root_index
        self.vis_item = visible_item
        self.flip_prob = flip_prob

    def __call__(self, results):
        if results.get(f'{self.item}_root_removed', False):
            raise RuntimeError('The transform RelativeJointRandomFlip should '
                               f'not be applied to dataset whose root joint '
                               'has been removed and joint indices have been '
                               'changed')
        if np.random.rand() <= self.flip_prob:
            flip_pairs = results['ann_info']['flip_pairs']
            joints = _require(results, self.item, 'RelativeJointRandomFlip')
            results[self.item] = fliplr_regression(
                joints,
                flip_pairs,
                center_mode='root',
                center_index=self.root_index)
            if self.vis_item is not None:
                visible = _require(results, self.vis_item,
                                   'RelativeJointRandomFlip')
                perm = np.arange(visible.shape[-2])
                for left, right in flip_pairs:
                    perm[left], perm[right] = right, left
                results[self.vis_item] = visible[..., perm, :]
        return results


@PIPELINES.register_module()
class PoseSequenceToTensor:
    """Convert pose sequence from numpy array to Tensor.

    The original pose sequence should have a shape of [T,K,C] or [K,C], where
    T is the sequence length, K and C are keypoint number and dimension. The
    converted pose sequence will have a shape of [K*C, T].

    Args:
        item (str): The name of the pose sequence

    Required keys:
        item
    Modified keys:
        item
    """

    def __init__(self, item):
        self.item = item

    def __call__(self, results):
        seq = _require(results, self.item, 'PoseSequenceToTensor')
        check(
            isinstance(seq, np.ndarray) and seq.ndim in (2, 3),
            f'PoseSequenceToTensor: {self.item} must be an np.ndarray[T, K, '
            f'C] or [K, C], got {getattr(seq, "shape", type(seq).__name__)}')
        if seq.ndim == 2:
            seq = seq[None, ...]
        T = seq.shape[0]
        seq = seq.transpose(1, 2, 0).reshape(-1, T)
        results[self.item] = torch.from_numpy(np.ascontiguousarray(seq))
        return results


@PIPELINES.register_module()
class CameraProjection:
    """Apply camera projection to joint coordinates.

    Args:
        item (str): The name of the pose to apply camera projection.
        mode (str): The type of camera projection, supported options are

            - world_to_camera
            - world_to_pixel
            - camera_to_world
            - camera_to_pixel
        output_name (str|None): The name of the projected pose. If None
            (default) is given, the projected pose will be stored in place.
        camera_type (str): The camera class name (should be registered in
            CAMERA).
        camera_param (dict|None): The camera parameter dict. See the camera
            class definition for more details. If None is given, the camera
            parameter will be obtained during processing of each data sample
            with the key "camera_param".

    Required keys:
        item, camera_param (if camera parameters are not given in
        initialization)
    Modified keys:
        output_name
    """

    MODES = ('world_to_camera', 'world_to_pixel', 'camera_to_world',
             'camera_to_pixel')

    def __init__(self,
                 item,
                 mode,
                 output_name=None,
                 camera_type='SimpleCamera',
                 camera_param=None):
        self.item = item
        self.mode = mode
        self.output_name = output_name
        self.camera_type = camera_type
        if mode not in self.MODES:
            raise ValueError(f'CameraProjection: got invalid mode {mode!r}, '
                             f'expected one of {self.MODES}')
        self.static_camera = camera_param is not None
        if self.static_camera:
            self.camera = self._build_camera(camera_param)

    def _build_camera(self, param):
        return build_from_cfg(dict(type=self.camera_type, param=param),
                              CAMERAS)

    def __call__(self, results):
        joints = _require(results, self.item, 'CameraProjection')
        if self.static_camera:
            camera = self.camera
        else:
            camera = self._build_camera(
                _require(results, 'camera_param', 'CameraProjection'))
        output = getattr(camera, self.mode)(joints)
        output_name = self.item if self.output_name is None else \
            self.output_name
        results[output_name] = output
        return results


def _window_voxels(mu, offsets, size):
    """Voxel indices around each centre along one axis (clipped to the
    heatmap) and their Gaussian factors' squared distances.

    Args:
        mu (np.ndarray[K]): Centres in heatmap units.
        offsets (np.ndarray[S]): Window offsets.
        size (int): Heatmap size along the axis.

    Returns:
        tuple: idx (np.ndarray[K, S], int) and sq_dist (np.ndarray[K, S]).
    """
    # Round half up: 0.14's np.round (half to even) could map two offsets
    # to one voxel and skip the next one when a centre lies on .5.
    idx = np.clip(np.floor(mu[:, None] + offsets + 0.5), 0, size - 1)
    return idx.astype(np.int64), (idx - mu[:, None])**2


@PIPELINES.register_module()
class Generate3DHeatmapTarget:
    """Generate the target 3d heatmap.

    Each joint gets a Gaussian of ``sigma`` voxels around its location in
    the ``[D, H, W]`` heatmap, written within ``3 * sigma`` voxels of it.
    The image x, y map onto W, H; the depth relative to the root, in
    ``[-heatmap3d_depth_bound / 2, heatmap3d_depth_bound / 2)``, onto D.

    Required keys: 'joints_3d', 'joints_3d_visible', 'ann_info' (with
    'image_size', 'heatmap_size' [W, H, D], 'heatmap3d_depth_bound',
    'joint_weights', 'use_different_joint_weights').
    Modified keys: 'target', and 'target_weight'.

    Note:
        num keypoints: K
        heatmap depth size: D
        heatmap height: H
        heatmap width: W

    Args:
        sigma: Sigma of heatmap gaussian (in voxels).
        joint_indices (list): Indices of joints used for heatmap generation.
            If None (default) is given, all joints will be used.
        max_bound (float): The maximal value of heatmap.
    """

    def __init__(self, sigma=2, joint_indices=None, max_bound=1.0):
        self.sigma = sigma
        self.joint_indices = joint_indices
        self.max_bound = max_bound

    def __call__(self, results):
        """Generate the target heatmap.

        Returns:
            dict: ``results`` with ``target`` (np.ndarray[K, D, H, W]) and
                ``target_weight`` (np.ndarray[K, 1]): the visibility, 0 for
                depths outside the heatmap, times the joint weights when
                ``use_different_joint_weights``.
        """
        step = 'Generate3DHeatmapTarget'
        joints_3d = np.asarray(_require(results, 'joints_3d', step))
        visible = np.asarray(_require(results, 'joints_3d_visible', step))
        cfg = _require(results, 'ann_info', step)
        image_size = cfg['image_size']
        W, H, D = cfg['heatmap_size']
        joint_weights = np.asarray(cfg['joint_weights'], dtype=np.float32)
        if self.joint_indices is not None:
            joints_3d = joints_3d[self.joint_indices]
            visible = visible[self.joint_indices]
            joint_weights = joint_weights[self.joint_indices]
        num_joints = joints_3d.shape[0]

        mu_x = joints_3d[:, 0] * W / image_size[0]
        mu_y = joints_3d[:, 1] * H / image_size[1]
        mu_z = (joints_3d[:, 2] / cfg['heatmap3d_depth_bound'] + 0.5) * D

        target_weight = visible[:, 0].astype(np.float32)
        target_weight = target_weight * ((mu_z >= 0) & (mu_z < D))
        if cfg['use_different_joint_weights']:
            target_weight = target_weight * joint_weights.reshape(-1)

        tmp_size = 3 * self.sigma
        offsets = np.arange(2 * tmp_size + 1, dtype=np.float32) - tmp_size
        xs, dx = _window_voxels(mu_x, offsets, W)
        ys, dy = _window_voxels(mu_y, offsets, H)
        zs, dz = _window_voxels(mu_z, offsets, D)
        # The window is a product of 1D windows: index and sum the squared
        # distances by broadcasting [K, Sz, Sy, Sx].
        sq_dist = (dz[:, :, None, None] + dy[:, None, :, None] +
                   dx[:, None, None, :])
        target = np.zeros((num_joints, D, H, W), dtype=np.float32)
        joint = np.arange(num_joints)[:, None, None, None]
        target[joint, zs[:, :, None, None], ys[:, None, :, None],
               xs[:, None, None, :]] = np.exp(-sq_dist / (2 * self.sigma**2))

        results['target'] = target * self.max_bound
        results['target_weight'] = target_weight[:, None]
        return results
