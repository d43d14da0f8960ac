from pathlib import Path

import numpy as np
import pytest

from mmpose.core.post_processing import (affine_transform, flip_back,
                                         fliplr_joints, fliplr_regression,
                                         get_affine_transform, get_warp_matrix,
                                         rotate_point, transform_preds,
                                         warp_affine_joints)
from mmpose.core.post_processing.post_transforms import _get_3rd_point

GOLDEN = Path(__file__).resolve().parents[2] / '..' / 'shared' / 'golden'
needs_golden = pytest.mark.skipif(
    not GOLDEN.is_dir(), reason='golden files absent')


def test_rotate_point():
    np.testing.assert_allclose(
        rotate_point([1., 0.], np.pi / 2), [0., 1.], atol=1e-12)
    np.testing.assert_allclose(
        rotate_point([2., 1.], np.pi), [-2., -1.], atol=1e-12)


def test_get_affine_transform_known_points():
    # A 400x500 px box (scale 2.0, 2.5 in units of 200 px) centred on
    # (100, 120) onto a 48x64 output: width ratio 48 / 400 = 0.12.
    trans = get_affine_transform((100, 120), (2.0, 2.5), 0, (48, 64))
    np.testing.assert_allclose(
        affine_transform([100, 120], trans), [24, 32], atol=1e-4)
    np.testing.assert_allclose(
        affine_transform([300, 120], trans), [48, 32], atol=1e-4)
    np.testing.assert_allclose(
        affine_transform([100, 220], trans), [24, 44], atol=1e-4)
    # Rotating by 90 degrees: the source point to the right of the centre
    # lands above the output centre.
    trans = get_affine_transform(
        np.array([100, 120]), np.array([2.0, 2.5]), 90, [48, 64])
    np.testing.assert_allclose(
        affine_transform([300, 120], trans), [24, 8], atol=1e-4)


def test_get_affine_transform_inverse():
    args = ((33, 250), (1.2, 1.6), -45, (192, 256))
    fwd = np.vstack(
        [get_affine_transform(*args, shift=(0.1, -0.2)), [0, 0, 1]])
    inv = np.vstack(
        [get_affine_transform(*args, shift=(0.1, -0.2), inv=True), [0, 0, 1]])
    np.testing.assert_allclose(fwd @ inv, np.eye(3), atol=1e-4)


def test_get_warp_matrix():
    # No rotation: the input centre goes to the output centre and the ROI
    # width is scaled to the output width.
    mat = get_warp_matrix(0, [200, 300], [48, 64], [96, 128])
    assert mat.shape == (2, 3) and mat.dtype == np.float32
    np.testing.assert_allclose(
        affine_transform([100, 150], mat), [24, 32], atol=1e-5)
    np.testing.assert_allclose(mat[:, :2], np.diag([0.5, 0.5]), atol=1e-7)


def test_warp_affine_joints_matches_affine_transform():
    mat = get_affine_transform((100, 120), (2.0, 2.5), 30, (48, 64))
    joints = np.random.RandomState(0).rand(2, 5, 2) * 200
    warped = warp_affine_joints(joints, mat)
    assert warped.shape == joints.shape
    expected = np.array([
        affine_transform(p, mat) for p in joints.reshape(-1, 2)
    ]).reshape(2, 5, 2)
    np.testing.assert_allclose(warped, expected, rtol=1e-10)


def test_transform_preds_corners():
    # Box of 400x500 px centred on (100, 120): top-left (-100, -130).
    coords = np.array([[0., 0.], [48., 64.], [24., 32.]])
    out = transform_preds(coords, [100, 120], [2.0, 2.5], [48, 64])
    np.testing.assert_allclose(out, [[-100, -130], [300, 370], [100, 120]])
    # UDP: the last pixel centre is the bottom-right corner.
    out = transform_preds(
        np.array([[47., 63.]]), [100, 120], [2.0, 2.5], [48, 64], use_udp=True)
    np.testing.assert_allclose(out, [[300, 370]])


def test_transform_preds_keeps_extra_columns():
    coords = np.array([[1., 2., 0.7, 5.], [3., 4., 0.2, -1.]])
    out = transform_preds(coords, np.array([10, 10]), np.array([0.1, 0.1]),
                          [20, 20])
    np.testing.assert_allclose(out[:, 2:], coords[:, 2:])
    np.testing.assert_allclose(out[:, :2], coords[:, :2] - 10 + 10)
    with pytest.raises(AssertionError):
        transform_preds(np.zeros((3, 3)), [0, 0], [1, 1], [4, 4])


def test_fliplr_joints():
    joints = np.array([[1., 2., 0.], [5., 6., 0.], [7., 8., 0.]])
    visible = np.array([[1., 1., 0.], [0., 0., 0.], [1., 1., 0.]])
    flipped, flipped_vis = fliplr_joints(joints, visible, 10, [(0, 1)])
    # 0 and 1 swap; x -> 10 - 1 - x; invisible joints are zeroed.
    np.testing.assert_allclose(flipped, [[0, 0, 0], [8, 2, 0], [2, 8, 0]])
    np.testing.assert_allclose(flipped_vis, visible[[1, 0, 2]])
    np.testing.assert_allclose(joints[0], [1, 2, 0])


def test_fliplr_regression():
    reg = np.array([[[0.2, 0.3, 1.], [0.6, 0.1, 2.], [0.4, 0.5, 3.]]])
    out = fliplr_regression(reg, [(1, 2)])
    np.testing.assert_allclose(
        out, [[[0.8, 0.3, 1.], [0.6, 0.5, 3.], [0.4, 0.1, 2.]]])
    out = fliplr_regression(reg, [(1, 2)], center_mode='root', center_index=0)
    np.testing.assert_allclose(
        out, [[[0.2, 0.3, 1.], [0.0, 0.5, 3.], [-0.2, 0.1, 2.]]], atol=1e-12)
    # Sequences [N, T, K, C] work too.
    seq = np.stack([reg, reg], axis=1)
    assert fliplr_regression(seq, [(1, 2)]).shape == seq.shape
    # 0.14 asserted: both exception types are caught
    for error in (ValueError, AssertionError):
        with pytest.raises(error, match='center_mode'):
            fliplr_regression(reg, [(1, 2)], center_mode='mean')
        with pytest.raises(error, match='center_index'):
            fliplr_regression(
                reg, [(1, 2)], center_mode='root', center_index=3)


def test_flip_back_gaussian():
    N, K, H, W = 2, 3, 6, 5
    heatmaps = np.zeros((N, K, H, W), dtype=np.float32)
    heatmaps[1, 0, 2, 1] = 1
    original = heatmaps.copy()
    out = flip_back(heatmaps, [(0, 2)])
    assert out.shape == heatmaps.shape
    assert out[1, 2, 2, W - 1 - 1] == 1 and out.sum() == 1
    np.testing.assert_array_equal(heatmaps, original)
    # Flipping twice is the identity.
    np.testing.assert_array_equal(flip_back(out, [(0, 2)]), heatmaps)


def test_flip_back_combined_target():
    N, K, H, W = 1, 2, 4, 3
    maps = np.arange(
        N * K * 3 * H * W, dtype=np.float32).reshape(N, K * 3, H, W)
    original = maps.copy()
    out = flip_back(maps, [(0, 1)], target_type='CombinedTarget')
    # Keypoint 1's [heatmap, x-offset, y-offset] become keypoint 0's, mirrored
    # horizontally, with the x-offset negated.
    np.testing.assert_array_equal(out[0, 0], maps[0, 3, :, ::-1])
    np.testing.assert_array_equal(out[0, 1], -maps[0, 4, :, ::-1])
    np.testing.assert_array_equal(out[0, 2], maps[0, 5, :, ::-1])
    np.testing.assert_array_equal(maps, original)
    # 0.14 asserted: both exception types are caught
    for error in (ValueError, AssertionError):
        with pytest.raises(error, match='target_type'):
            flip_back(maps, [(0, 1)], target_type='bad')
        with pytest.raises(error, match='output_flipped'):
            flip_back(maps[0], [(0, 1)])


@needs_golden
def test_affine_golden():
    g = np.load(GOLDEN / 'affine.npz')
    tol = dict(rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(
        get_affine_transform((100, 120), (2.0, 2.5), 0, (48, 64)),
        g['out_affine_0'], **tol)
    np.testing.assert_allclose(
        get_affine_transform((100, 120), (2.0, 2.5), 30, (48, 64)),
        g['out_affine_1'], **tol)
    np.testing.assert_allclose(
        get_affine_transform((33, 250), (1.2, 1.6),
                             -45, (192, 256),
                             shift=(0.1, -0.2),
                             inv=True), g['out_affine_2'], **tol)
    np.testing.assert_allclose(
        get_warp_matrix(30, [240, 320], [191, 255], [200, 266]),
        g['out_warp_0'], **tol)


@needs_golden
@pytest.mark.parametrize('use_udp,key', [(False, 'out_default'),
                                         (True, 'out_udp')])
def test_transform_preds_golden(use_udp, key):
    g = np.load(GOLDEN / 'transform_preds.npz')
    out = transform_preds(
        g['in_coords'],
        center=[100, 120],
        scale=[2.0, 2.5],
        output_size=[48, 64],
        use_udp=use_udp)
    np.testing.assert_allclose(out, g[key], rtol=1e-5, atol=1e-5)


@needs_golden
def test_flip_back_golden():
    g = np.load(GOLDEN / 'flip_back.npz')
    out = flip_back(g['in_flipped'], g['in_flip_pairs'])
    np.testing.assert_allclose(
        out, g['out_flipped_back'], rtol=1e-5, atol=1e-5)


def _three_point_affine(center, scale, rot, output_size, shift, inv):
    """0.x's construction with NumPy arrays, as a reference: ``scale * 200``
    stays in the dtype of ``scale`` (float32 in the training pipeline)."""
    import cv2
    scale_tmp = np.asarray(scale) * 200.0
    center = np.asarray(center, dtype=np.float64)
    shift = np.asarray(shift, dtype=np.float64)
    rot_rad = np.pi * rot / 180
    sn, cs = np.sin(rot_rad), np.cos(rot_rad)
    pt = [0., scale_tmp[0] * -0.5]
    src_dir = [pt[0] * cs - pt[1] * sn, pt[0] * sn + pt[1] * cs]
    dst_w, dst_h = output_size[0], output_size[1]
    dst_dir = np.array([0., dst_w * -0.5])

    def third(a, b):
        direction = a - b
        return b + np.array([-direction[1], direction[0]], dtype=np.float32)

    src = np.zeros((3, 2), dtype=np.float32)
    src[0, :] = center + scale_tmp * shift
    src[1, :] = center + src_dir + scale_tmp * shift
    src[2, :] = third(src[0, :], src[1, :])
    dst = np.zeros((3, 2), dtype=np.float32)
    dst[0, :] = [dst_w * 0.5, dst_h * 0.5]
    dst[1, :] = np.array([dst_w * 0.5, dst_h * 0.5]) + dst_dir
    dst[2, :] = third(dst[0, :], dst[1, :])
    return (cv2.getAffineTransform(dst, src)
            if inv else cv2.getAffineTransform(src, dst))


def test_get_affine_transform_equals_the_array_construction():
    # The very same matrix as 0.x's construction, for the argument types
    # callers pass (float32 angles keep float32 sin/cos; a float32 scale
    # is multiplied by 200 in float32, which changes the matrix in ~1 of 5
    # cases against doing it in float64).
    rng = np.random.RandomState(0)
    for i in range(3000):
        magnitude = 10.0**rng.uniform(-2, 4)
        center = (rng.uniform(-1, 1, 2) * magnitude).astype(
            (np.float32, np.float64)[i % 2])
        scale = (10.0**rng.uniform(-3, 1, 2)).astype(
            (np.float32, np.float64)[i // 2 % 2])
        rot = (0, 90, float(rng.uniform(-180, 180)), int(rng.randint(-90, 90)),
               np.float32(rng.uniform(-45, 45)), np.float64(12.5))[i % 6]
        output_size = (np.array([192, 256]), (48, 64), [288., 384.])[i % 3]
        shift = ((0., 0.), tuple(rng.uniform(-0.5, 0.5, 2)))[i % 2]
        inv = i % 5 == 0
        args = (center, scale, rot, output_size, shift, inv)
        assert np.array_equal(
            get_affine_transform(*args), _three_point_affine(*args)), args


def test_get_3rd_point():
    # b + (a - b) turned 90 degrees anticlockwise: a - b = (-2, -3) -> (3, -2)
    third = _get_3rd_point(np.array([1., 2.]), np.array([3., 5.]))
    assert third.tolist() == [6., 3.]
    with pytest.raises(AssertionError, match='a must have 2 values'):
        _get_3rd_point(np.zeros(3), np.zeros(2))


@pytest.mark.parametrize('call, name', [
    (lambda: get_affine_transform((1, 2, 3), (1, 1), 0, (4, 4)), 'center'),
    (lambda: get_affine_transform((1, 2), (1, 1), 0,
                                  (4, 4), shift=(0, )), 'shift'),
    (lambda: affine_transform([1, 2, 3], np.eye(2, 3)), 'pt'),
    (lambda: rotate_point([1.], 0.5), 'pt'),
    (lambda: transform_preds(np.zeros((3, 2)), [0, 0], [1], [4, 4]), 'scale'),
    (lambda: fliplr_joints(np.zeros((3, 3)), np.zeros(
        (2, 3)), 10, []), 'joints_3d_visible'),
    (lambda: fliplr_joints(np.zeros((3, 3)), np.zeros(
        (3, 3)), 0, []), 'img_width'),
])
def test_argument_checks_raise_assertion_compatible_errors(call, name):
    # 0.14 asserted these; code written for it catches AssertionError
    with pytest.raises(AssertionError, match=name):
        call()
    with pytest.raises(ValueError, match=name):
        call()
