"""3D pose pipeline steps on hand-made poses with hand-derived results."""
import pickle

import numpy as np
import pytest
import torch

from mmpose.core import SimpleCamera
from mmpose.datasets.pipelines import (CameraProjection, GetRootCenteredPose,
                                       NormalizeJointCoordinate,
                                       PoseSequenceToTensor,
                                       RelativeJointRandomFlip)
from mmpose.utils import ArgumentError

POSE = np.array([[1., 2., 3.], [2., 2., 3.], [0., 4., 3.], [1., 1., 5.]],
                dtype=np.float32)  # K=4, root 0


def test_get_root_centered_pose():
    results = GetRootCenteredPose(
        item='target', root_index=0, root_name='root')(dict(target=POSE))
    np.testing.assert_array_equal(
        results['target'],
        [[0, 0, 0], [1, 0, 0], [-1, 2, 0], [0, -1, 2]])
    np.testing.assert_array_equal(results['root'], [[1, 2, 3]])
    assert 'root_index' not in results


def test_get_root_centered_pose_removes_root_of_sequences():
    seq = np.stack([POSE, POSE + 1])  # [T, K, C]
    visible = np.arange(8, dtype=np.float32).reshape(2, 4, 1)
    results = GetRootCenteredPose(
        item='target',
        root_index=1,
        visible_item='vis',
        remove_root=True,
        root_name='root_position')(dict(target=seq, vis=visible))
    assert results['target'].shape == (2, 3, 3)
    np.testing.assert_array_equal(results['target'][1],
                                  [[-1, 0, 0], [-2, 2, 0], [-1, -1, 2]])
    np.testing.assert_array_equal(results['vis'][:, :, 0],
                                  [[0, 2, 3], [4, 6, 7]])
    assert results['root_position'].shape == (2, 1, 3)
    assert results['root_position_index'] == 1
    assert results['target_root_removed'] is True
    with pytest.raises(ArgumentError, match='root_index'):
        GetRootCenteredPose(item='target', root_index=4)(dict(target=POSE))


def test_normalize_joint_coordinate(tmp_path):
    mean = np.full((4, 3), 1., np.float32)
    std = np.full((4, 3), 2., np.float32)
    results = NormalizeJointCoordinate(
        item='target', mean=mean, std=std)(dict(target=POSE.copy()))
    np.testing.assert_allclose(results['target'], (POSE - 1) / 2)
    np.testing.assert_array_equal(results['target_mean'], mean)
    np.testing.assert_array_equal(results['target_std'], std)

    norm_file = tmp_path / 'stats.pkl'
    with open(norm_file, 'wb') as f:
        pickle.dump(dict(mean=mean, std=std), f)
    step = NormalizeJointCoordinate(item='x', norm_param_file=str(norm_file))
    np.testing.assert_allclose(
        step(dict(x=POSE.copy()))['x'], (POSE - 1) / 2)
    with pytest.raises(ArgumentError, match='mean and std'):
        NormalizeJointCoordinate(item='x')


def test_relative_joint_random_flip():
    flip_pairs = [[1, 2]]
    visible = np.array([[1.], [0.], [1.], [1.]], np.float32)
    results = RelativeJointRandomFlip(
        item='target', root_index=0, visible_item='vis', flip_prob=1.)(
            dict(
                target=POSE.copy(),
                vis=visible,
                ann_info=dict(flip_pairs=flip_pairs)))
    # x' = 2 * root_x - x, joints 1 and 2 swapped
    np.testing.assert_array_equal(
        results['target'],
        [[1, 2, 3], [2, 4, 3], [0, 2, 3], [1, 1, 5]])
    np.testing.assert_array_equal(results['vis'][:, 0], [1, 1, 0, 1])

    unflipped = RelativeJointRandomFlip(
        item='target', root_index=0, flip_prob=0.)(
            dict(target=POSE.copy(), ann_info=dict(flip_pairs=flip_pairs)))
    np.testing.assert_array_equal(unflipped['target'], POSE)

    with pytest.raises(RuntimeError, match='root joint has been removed'):
        RelativeJointRandomFlip(item='target', root_index=0)(
            dict(target=POSE, target_root_removed=True))


def test_pose_sequence_to_tensor():
    seq = np.arange(2 * 3 * 2, dtype=np.float32).reshape(2, 3, 2)  # T, K, C
    out = PoseSequenceToTensor(item='x')(dict(x=seq))['x']
    assert isinstance(out, torch.Tensor) and out.shape == (6, 2)
    # row k * C + c, column t holds seq[t, k, c]
    for t in range(2):
        for k in range(3):
            for c in range(2):
                assert out[k * 2 + c, t] == seq[t, k, c]
    single = PoseSequenceToTensor(item='x')(dict(x=seq[0]))['x']
    np.testing.assert_array_equal(single.numpy()[:, 0], seq[0].ravel())
    with pytest.raises(ArgumentError, match='PoseSequenceToTensor'):
        PoseSequenceToTensor(item='x')(dict(x=seq[0, 0]))


def test_camera_projection():
    param = dict(
        R=np.eye(3), T=np.array([[0.], [0.], [-1.]]), f=[[2.], [3.]],
        c=[[10.], [20.]])
    camera = SimpleCamera(param)
    static = CameraProjection(
        item='target', mode='world_to_pixel', output_name='pix',
        camera_param=param)
    results = static(dict(target=POSE.copy()))
    # camera z = world z + 1: root (1, 2, 3) -> (10 + 2 / 4, 20 + 3 * 2 / 4)
    np.testing.assert_allclose(results['pix'][0], [10.5, 21.5])
    np.testing.assert_array_equal(results['target'], POSE)

    per_sample = CameraProjection(item='target', mode='world_to_camera')
    results = per_sample(dict(target=POSE.copy(), camera_param=param))
    np.testing.assert_allclose(results['target'],
                               camera.world_to_camera(POSE))
    np.testing.assert_allclose(results['target'][:, 2], POSE[:, 2] + 1)
    with pytest.raises(ValueError, match='invalid mode'):
        CameraProjection(item='target', mode='pixel_to_world')
    with pytest.raises(ArgumentError, match='camera_param'):
        per_sample(dict(target=POSE))
