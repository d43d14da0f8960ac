"""SimpleCamera against hand values, OpenCV's projectPoints and the shared
Human3.6M sample (3D joints in camera coordinates and their 2D labels)."""
import os.path as osp
import pickle
from pathlib import Path

import cv2
import numpy as np
import pytest

from mmpose.core import SimpleCamera
from mmpose.core.camera import CAMERAS, SingleCameraBase
from mmpose.utils import ArgumentError

H36M = Path(__file__).resolve().parents[2] / '..' / 'shared' / 'datasets' / \
    'h36m'
needs_h36m = pytest.mark.skipif(
    not (H36M / 'cameras.pkl').is_file(), reason='shared h36m sample absent')


def _rotation(rx, ry, rz):
    return cv2.Rodrigues(np.array([rx, ry, rz], np.float64))[0]


def _param(**extra):
    param = dict(
        R=_rotation(0.3, -1.2, 0.5),
        T=np.array([[1.5], [-0.7], [2.0]]),
        f=np.array([[1100.], [1050.]]),
        c=np.array([[500.], [480.]]))
    param.update(extra)
    return param


def test_registered():
    assert CAMERAS.get('SimpleCamera') is SimpleCamera
    assert issubclass(SimpleCamera, SingleCameraBase)


def test_pinhole_by_hand():
    cam = SimpleCamera(
        dict(R=np.eye(3), T=np.zeros((3, 1)), f=[[2.], [3.]], c=[[10.],
                                                                  [20.]]))
    X = np.array([[1., 2., 4.]])
    # x/z = 0.25, y/z = 0.5
    np.testing.assert_allclose(cam.camera_to_pixel(X), [[10.5, 21.5]])


def test_distortion_by_hand():
    base = dict(R=np.eye(3), T=np.zeros((3, 1)), f=[[2.], [3.]],
                c=[[10.], [20.]])
    X = np.array([[1., 2., 4.]])
    # r2 = 0.3125, radial = 1 + 0.1 * r2 = 1.03125
    cam = SimpleCamera(dict(base, k=[[0.1], [0.], [0.]], p=[[0.], [0.]]))
    np.testing.assert_allclose(
        cam.camera_to_pixel(X), [[10 + 2 * 0.2578125, 20 + 3 * 0.515625]])
    # p = (0.01, 0.02): x' = x radial + 2 p0 x y + p1 (r2 + 2 x^2)
    #   = 0.2578125 + 0.0025 + 0.02 * 0.4375 = 0.2690625
    # y' = y radial + 2 p1 x y + p0 (r2 + 2 y^2)
    #   = 0.515625 + 0.005 + 0.01 * 0.8125 = 0.52875
    cam = SimpleCamera(dict(base, k=[[0.1], [0.], [0.]], p=[[0.01], [0.02]]))
    np.testing.assert_allclose(
        cam.camera_to_pixel(X), [[10 + 2 * 0.2690625, 20 + 3 * 0.52875]],
        rtol=1e-6)


@pytest.mark.parametrize('num_k', [3, 6])
def test_world_to_pixel_matches_opencv(num_k):
    rng = np.random.RandomState(0)
    k = np.array([-0.2, 0.25, -0.003, 0.01, -0.02, 0.005])[:num_k]
    p = np.array([-0.0014, -0.001])
    param = _param(k=k[:, None], p=p[:, None])
    cam = SimpleCamera(param)
    world = rng.uniform(-1, 1, (50, 3)) + [1.5, -0.7, 2.0]
    # put the points in front of the camera: camera z in [3, 6]
    R, T = param['R'], param['T']
    cam_pts = (world - T.T) @ R
    cam_pts[:, 2] = np.abs(cam_pts[:, 2]) + 3
    world = cam_pts @ R.T + T.T

    # points are world = R @ x_cam + T, so OpenCV's extrinsics are R^T, -R^T T
    K = np.array([[1100., 0, 500.], [0, 1050., 480.], [0, 0, 1]])
    dist = np.array([k[0], k[1], p[0], p[1], k[2], *k[3:]])
    expected, _ = cv2.projectPoints(world, cv2.Rodrigues(R.T)[0], -R.T @ T,
                                    K, dist)
    np.testing.assert_allclose(
        cam.world_to_pixel(world), expected[:, 0], rtol=1e-5, atol=1e-3)


def test_vectorised_over_frames_and_round_trip():
    rng = np.random.RandomState(1)
    cam = SimpleCamera(_param(k=[[0.1], [0.01], [0.]], p=[[1e-3], [2e-3]]))
    X = rng.uniform(1, 3, (2, 5, 17, 3))
    got = cam.world_to_pixel(X)
    assert got.shape == (2, 5, 17, 2)
    for n in range(2):
        for t in range(5):
            np.testing.assert_allclose(got[n, t], cam.world_to_pixel(X[n, t]))
    np.testing.assert_allclose(
        cam.camera_to_world(cam.world_to_camera(X)), X, rtol=1e-5, atol=1e-5)


def test_intrinsic_matrix_equals_focal_and_center():
    param = _param()
    K = np.array([[1100., 0, 500.], [0, 1050., 480.]])
    with_K = SimpleCamera(dict(R=param['R'], T=param['T'], K=K))
    X = np.array([[0.3, -0.2, 4.0], [1.0, 0.5, 3.0]])
    np.testing.assert_allclose(
        with_K.camera_to_pixel(X), SimpleCamera(param).camera_to_pixel(X))


def test_invalid_parameters():
    with pytest.raises(ValueError, match='intrinsic'):
        SimpleCamera(dict(R=np.eye(3), T=np.zeros((3, 1))))
    with pytest.raises(ArgumentError, match='R must be 3x3'):
        SimpleCamera(_param(R=np.eye(2)))
    with pytest.raises(ArgumentError, match='k must hold'):
        SimpleCamera(_param(k=[[0.1], [0.2]], p=[[0.], [0.]]))
    with pytest.raises(ArgumentError, match='np.ndarray'):
        SimpleCamera(_param()).camera_to_pixel(np.zeros((4, 2)))


@needs_h36m
def test_h36m_sample_projects_onto_its_2d_labels():
    with open(H36M / 'cameras.pkl', 'rb') as f:
        cameras = pickle.load(f)
    data = np.load(H36M / 'test_h36m_body3d.npz')
    for name, joints_3d, joints_2d in zip(data['imgname'], data['S'],
                                          data['part']):
        subject, rest = osp.basename(name).split('_', 1)
        camera_id = rest.split('.', 1)[1].split('_')[0]
        cam = SimpleCamera(cameras[(subject, camera_id)])
        # the labels are the distorted projections, to a fraction of a pixel
        np.testing.assert_allclose(
            cam.camera_to_pixel(joints_3d[:, :3]), joints_2d[:, :2], atol=0.3)
