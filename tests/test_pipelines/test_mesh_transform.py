"""Mesh pipeline steps against hand-derived values: rotations, SMPL pose
flips, IUV maps (MeshAffine warps the IUV map for its own size), and the
random steps against their seeded draws."""
import copy
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from mesh_fixtures import right_half_iuv
from mmpose.core.dataset_meta import get_dataset_meta
from mmpose.datasets.pipelines import (Compose, IUVToTensor,
                                       LoadIUVFromFile, MeshAffine,
                                       MeshGetRandomScaleRotation,
                                       MeshRandomChannelNoise, MeshRandomFlip,
                                       get_affine_transform)
from mmpose.datasets.pipelines.mesh_transform import (
    _construct_rotation_matrix, _flip_iuv, _flip_joints_3d, _flip_smpl_pose,
    _rotate_joints_3d, _rotate_smpl_pose)
from mmpose.utils import ArgumentError

IUV_DIR = (Path(__file__).resolve().parents[2] / '..' / 'shared' /
           'datasets' / 'h36m' / 'BF_IUV_gt')
needs_shared = pytest.mark.skipif(
    not IUV_DIR.is_dir(), reason='../shared absent')

FLIP_PAIRS = get_dataset_meta('mesh').flip_pairs


def _ann_info(image_size=(224, 224), iuv_size=(56, 56), use_IUV=True):
    return dict(
        image_size=np.array(image_size),
        iuv_size=np.array(iuv_size),
        num_joints=24,
        flip_pairs=FLIP_PAIRS,
        uv_type='BF',
        use_IUV=use_IUV)


def _rodrigues(axis_angle):
    return cv2.Rodrigues(np.asarray(axis_angle, np.float64))[0]


# ------------------------------------------------------------- rotations


def test_construct_rotation_matrix():
    np.testing.assert_allclose(
        _construct_rotation_matrix(90), [[0, -1, 0], [1, 0, 0], [0, 0, 1]],
        atol=1e-7)
    np.testing.assert_allclose(
        _construct_rotation_matrix(-30, 2),
        [[np.sqrt(3) / 2, 0.5], [-0.5, np.sqrt(3) / 2]], atol=1e-7)
    assert _construct_rotation_matrix(0).dtype == np.float32
    np.testing.assert_array_equal(_construct_rotation_matrix(0), np.eye(3))
    with pytest.raises(ArgumentError, match='size'):
        _construct_rotation_matrix(10, 4)


def test_rotate_joints_3d_by_hand():
    joints = np.array([[1, 0, 5], [0, 2, 5]], np.float32)
    # a point right of the centre goes up (y points down) when the image
    # turns 90 degrees counterclockwise
    rotated = _rotate_joints_3d(joints, 90)
    np.testing.assert_allclose(rotated, [[0, -1, 5], [2, 0, 5]], atol=1e-6)
    assert rotated.dtype == np.float32


def test_rotate_smpl_pose():
    pose = np.zeros(72, np.float32)
    pose[3:6] = [0.1, 0.2, 0.3]
    rotated = _rotate_smpl_pose(pose, 90)
    np.testing.assert_allclose(rotated[:3], [0, 0, -np.pi / 2], atol=1e-6)
    np.testing.assert_array_equal(rotated[3:], pose[3:])
    assert not pose[:3].any()  # input untouched
    # a general orientation: composed with the joints' rotation
    pose[:3] = [0.4, -1.0, 0.7]
    rotated = _rotate_smpl_pose(pose, 35)
    expected = _construct_rotation_matrix(-35) @ _rodrigues(pose[:3])
    np.testing.assert_allclose(_rodrigues(rotated[:3]), expected, atol=1e-6)
    np.testing.assert_array_equal(_rotate_smpl_pose(pose, 0), pose)


# ----------------------------------------------------------------- flips


def test_flip_smpl_pose_by_hand():
    pose = np.zeros(72, np.float32)
    pose[0:3] = [0.1, 0.2, 0.3]  # pelvis
    pose[3:6] = [0.4, 0.5, 0.6]  # left hip
    pose[45:48] = [0.7, 0.8, 0.9]  # head (15)
    pose[66:69] = [1.0, 1.1, 1.2]  # left hand (22)
    flipped = _flip_smpl_pose(pose)
    expected = np.zeros(72, np.float32)
    expected[0:3] = [0.1, -0.2, -0.3]
    expected[6:9] = [0.4, -0.5, -0.6]  # right hip
    expected[45:48] = [0.7, -0.8, -0.9]
    expected[69:72] = [1.0, -1.1, -1.2]  # right hand (23)
    np.testing.assert_allclose(flipped, expected)
    assert flipped.dtype == np.float32


def test_flip_smpl_pose_is_the_mirrored_rotation():
    rng = np.random.RandomState(0)
    pose = rng.uniform(-1, 1, 72)
    flipped = _flip_smpl_pose(pose)
    mirror = np.diag([-1., 1., 1.])
    swap = {1: 2, 4: 5, 7: 8, 10: 11, 13: 14, 16: 17, 18: 19, 20: 21,
            22: 23}
    swap.update({v: k for k, v in swap.items()})
    for joint in range(24):
        source = swap.get(joint, joint)
        np.testing.assert_allclose(
            _rodrigues(flipped[3 * joint:3 * joint + 3]),
            mirror @ _rodrigues(pose[3 * source:3 * source + 3]) @ mirror,
            atol=1e-6)
    np.testing.assert_allclose(_flip_smpl_pose(flipped), pose)


def test_flip_joints_3d_by_hand():
    joints = np.zeros((24, 3), np.float32)
    joints[0] = [1, 2, 3]  # right ankle
    joints[5] = [4, 5, 6]  # left ankle
    joints[14] = [7, 8, 9]  # pelvis
    joints[20] = [1, 1, 1]  # left eye, invisible
    visible = np.ones((24, 1), np.float32)
    visible[20] = 0
    flipped, flipped_vis = _flip_joints_3d(joints, visible, FLIP_PAIRS)
    assert flipped[5].tolist() == [-1, 2, 3]
    assert flipped[0].tolist() == [-4, 5, 6]
    assert flipped[14].tolist() == [-7, 8, 9]
    assert flipped_vis[21, 0] == 0 and flipped_vis[20, 0] == 1
    assert not flipped[21].any()  # invisible after the swap: zeroed
    assert joints[0].tolist() == [1, 2, 3]  # input untouched


def test_flip_iuv_by_hand():
    iuv = np.zeros((1, 3, 3), np.uint8)
    iuv[0, 0] = [1, 10, 20]
    iuv[0, 1] = [1, 100, 30]
    flipped = _flip_iuv(iuv)
    # columns reversed, U mirrored on the body, background stays 0
    assert flipped[0].tolist() == [[0, 0, 0], [1, 155, 30], [1, 245, 20]]
    assert iuv[0, 0].tolist() == [1, 10, 20]
    for uv_type in ('DP', 'SMPL'):
        with pytest.raises(NotImplementedError):
            _flip_iuv(iuv, uv_type)
    with pytest.raises(ArgumentError, match='uv_type'):
        _flip_iuv(iuv, 'XY')


def _flip_results():
    img = np.arange(4 * 10 * 3, dtype=np.uint8).reshape(4, 10, 3)
    joints_2d = np.zeros((24, 2), np.float32)
    joints_2d[0] = [2, 3]
    joints_2d[5] = [7, 1]
    vis_2d = np.zeros((24, 1), np.float32)
    vis_2d[[0, 5]] = 1
    pose = np.zeros(72, np.float32)
    pose[3:6] = [0.4, 0.5, 0.6]
    return dict(
        img=img,
        joints_2d=joints_2d,
        joints_2d_visible=vis_2d,
        joints_3d=np.tile(np.float32([[1, 2, 3]]), (24, 1)),
        joints_3d_visible=np.ones((24, 1), np.float32),
        center=np.float32([3, 2]),
        pose=pose,
        iuv=np.dstack([np.ones((4, 10), np.uint8),
                       np.tile(np.arange(10, dtype=np.uint8), (4, 1)),
                       np.zeros((4, 10), np.uint8)]),
        ann_info=_ann_info())


def test_mesh_random_flip():
    results = _flip_results()
    before = copy.deepcopy(results)
    out = MeshRandomFlip(flip_prob=1.0)(dict(results))
    np.testing.assert_array_equal(out['img'], before['img'][:, ::-1])
    assert out['center'].tolist() == [10 - 1 - 3, 2]
    # right ankle (0) at x=2 becomes the left ankle (5) at 10 - 1 - 2
    assert out['joints_2d'][5].tolist() == [7, 3]
    assert out['joints_2d'][0].tolist() == [2, 1]
    np.testing.assert_array_equal(out['joints_3d'][:, 0], -1)
    assert out['pose'][6:9].tolist() == pytest.approx([0.4, -0.5, -0.6])
    assert out['iuv'][0, :, 1].tolist() == [255 - u for u in range(9, -1, -1)]
    # inputs untouched
    for key in ('img', 'joints_2d', 'center', 'pose', 'iuv'):
        np.testing.assert_array_equal(results[key], before[key])
    kept = MeshRandomFlip(flip_prob=0.0)(dict(results))
    assert kept['img'] is results['img'] and kept['pose'] is results['pose']
    assert repr(MeshRandomFlip(0.3)) == 'MeshRandomFlip(flip_prob=0.3)'


# ---------------------------------------------------------- random steps


def test_mesh_random_channel_noise_matches_its_draw():
    rng = np.random.RandomState(3)
    img = rng.randint(0, 256, (5, 6, 3)).astype(np.uint8)
    np.random.seed(11)
    out = MeshRandomChannelNoise(noise_factor=0.4)(dict(img=img))['img']
    np.random.seed(11)
    factors = np.random.uniform(0.6, 1.4, 3)
    expected = np.clip(np.rint(img * factors), 0, 255).astype(np.uint8)
    np.testing.assert_array_equal(out, expected)
    assert out.dtype == np.uint8
    same = MeshRandomChannelNoise(noise_factor=0)(dict(img=img))['img']
    np.testing.assert_array_equal(same, img)


def test_mesh_get_random_scale_rotation_matches_its_draws():
    step = MeshGetRandomScaleRotation()
    assert (step.rot_factor, step.scale_factor, step.rot_prob) == (30, 0.25,
                                                                   0.6)
    scale = np.float32([1.5, 1.5])
    for seed in range(20):
        np.random.seed(seed)
        out = step(dict(scale=scale))
        np.random.seed(seed)
        s = min(max(np.random.randn() * 0.25 + 1, 0.75), 1.25)
        r = min(max(np.random.randn() * 30, -60), 60)
        r = r if np.random.rand() <= 0.6 else 0
        np.testing.assert_allclose(out['scale'], scale * s, rtol=1e-6)
        assert out['rotation'] == pytest.approx(r)


# ------------------------------------------------------------ MeshAffine


def _affine_results(iuv, center=(50, 60), scale=0.4, rotation=0):
    height, width = iuv.shape[:2]
    joints_3d = np.random.RandomState(0).uniform(-1, 1, (24, 3))
    joints_2d = np.float32(center) + 80 * joints_3d[:, :2]
    vis = np.ones((24, 1), np.float32)
    vis[13] = 0
    joints_2d[13] = 0
    return dict(
        img=np.zeros((height, width, 3), np.uint8),
        joints_2d=joints_2d.astype(np.float32),
        joints_2d_visible=vis,
        joints_3d=joints_3d.astype(np.float32),
        joints_3d_visible=vis.copy(),
        pose=np.zeros(72, np.float32),
        iuv=iuv,
        center=np.float32(center),
        scale=np.float32([scale, scale]),
        rotation=rotation,
        ann_info=_ann_info())


def test_mesh_affine_keeps_the_whole_box_in_the_iuv_map():
    # foreground: the right half of the 80-pixel box around (50, 60)
    iuv = right_half_iuv((120, 100), (50, 60), 80)
    out = MeshAffine()(_affine_results(iuv))
    fg = out['iuv'][..., 0] > 0
    assert out['iuv'].shape == (56, 56, 3) and out['iuv'].dtype == np.uint8
    # the right half of the 56x56 map is the body, the left half is not
    # (0.14 warped with the 224 transform: its 56x56 output is the top
    # left quarter of the crop, with no foreground at all)
    assert fg[:, 29:].all()
    assert not fg[:, :27].any()


def test_mesh_affine_iuv_is_the_image_crop_at_iuv_resolution():
    # 8x8-pixel blocks of distinct values: nearest sampling of the same
    # source points is unambiguous away from block borders
    ys, xs = np.mgrid[:160, :200]
    blocks = ((ys // 8) * 25 + xs // 8).astype(np.uint8)
    iuv = np.dstack([blocks, blocks[::-1], blocks[:, ::-1]])
    results = _affine_results(iuv, center=(97, 83), scale=0.6, rotation=25)
    out = MeshAffine()(copy.deepcopy(results))['iuv']
    # 224 / 56 = 4: pixel (x, y) of the IUV map is the image crop's (4x, 4y)
    trans = get_affine_transform(results['center'], results['scale'], 25,
                                 (224, 224))
    crop = cv2.warpAffine(iuv, trans, (224, 224), flags=cv2.INTER_NEAREST)
    assert (out == crop[::4, ::4]).all(axis=-1).mean() > 0.97
    assert (out == crop[:56, :56]).all(axis=-1).mean() < 0.5


def test_mesh_affine_moves_joints_2d_and_3d_together():
    results = _affine_results(np.zeros((120, 100, 3), np.uint8),
                              rotation=30)
    out = MeshAffine()(copy.deepcopy(results))
    assert out['img'].shape == (224, 224, 3)
    assert out['joints_2d'].dtype == np.float32
    # the box centre goes to the crop centre; an invisible joint stays
    trans = get_affine_transform(results['center'], results['scale'], 30,
                                 (224, 224))
    np.testing.assert_allclose(trans @ [50, 60, 1], [112, 112], atol=1e-4)
    assert out['joints_2d'][13].tolist() == [0, 0]
    # joints_2d are 80 * (x, y) of joints_3d: after the step they still are
    # a scaled copy (224 / 80 crop pixels per box pixel)
    d2 = out['joints_2d'] - out['joints_2d'][0]
    d3 = out['joints_3d'][:, :2] - out['joints_3d'][0, :2]
    keep = np.arange(24) != 13
    np.testing.assert_allclose(d2[keep], 80 * 224 / 80 * d3[keep],
                               atol=2e-3)
    np.testing.assert_allclose(out['joints_3d'][:, 2],
                               results['joints_3d'][:, 2])


def test_mesh_affine_without_iuv():
    results = _affine_results(np.zeros((120, 100, 3), np.uint8))
    results['iuv'] = None
    out = MeshAffine()(results)
    assert out['iuv'] is None
    del results['iuv']
    assert 'iuv' not in MeshAffine()(results)


# --------------------------------------------------------- IUV load / tensor


@needs_shared
def test_load_iuv_from_file_shared_sample():
    path = sorted(IUV_DIR.glob('*.png'))[0]
    results = dict(iuv_file=str(path), has_iuv=1, ann_info=_ann_info())
    out = LoadIUVFromFile()(dict(results))
    iuv = out['iuv']
    assert iuv.shape == (1002, 1000, 3) and iuv.dtype == np.uint8
    assert out['has_iuv'] == 1
    # channel 0 is the body mask (BF maps), U and V only on the body
    assert set(np.unique(iuv[..., 0]).tolist()) == {0, 1}
    assert not iuv[iuv[..., 0] == 0][:, 1:].any()
    as_float = LoadIUVFromFile(to_float32=True)(dict(results))['iuv']
    assert as_float.dtype == np.float32
    np.testing.assert_array_equal(as_float, iuv)


def test_load_iuv_from_file_off_or_missing(tmp_path):
    results = dict(iuv_file=str(tmp_path / 'none.png'), has_iuv=1,
                   ann_info=_ann_info(use_IUV=False))
    out = LoadIUVFromFile()(dict(results))
    assert out['iuv'] is None and out['has_iuv'] == 0
    results['ann_info'] = _ann_info(use_IUV=True)
    out = LoadIUVFromFile()(dict(results, has_iuv=0))
    assert out['iuv'] is None and out['has_iuv'] == 0
    with pytest.raises(FileNotFoundError, match='none.png'):
        LoadIUVFromFile()(dict(results))
    (tmp_path / 'bad.png').write_bytes(b'not a png')
    with pytest.raises(ValueError, match='bad.png'):
        LoadIUVFromFile()(dict(results, iuv_file=str(tmp_path / 'bad.png')))


def test_iuv_to_tensor():
    iuv = np.zeros((3, 4, 3), np.uint8)
    iuv[1, 2] = [1, 51, 255]
    out = IUVToTensor()(dict(iuv=iuv, ann_info=_ann_info()))
    assert out['part_index'].dtype == torch.long
    assert out['part_index'].shape == (1, 3, 4)
    assert out['part_index'][0, 1, 2] == 1 and out['part_index'].sum() == 1
    uv = out['uv_coordinates']
    assert uv.dtype == torch.float32 and uv.shape == (2, 3, 4)
    assert uv[:, 1, 2].tolist() == pytest.approx([0.2, 1.0])
    assert uv.sum().item() == pytest.approx(1.2)
    # no map: zeros of iuv_size [w, h]
    empty = IUVToTensor()(
        dict(iuv=None, ann_info=_ann_info(iuv_size=(8, 6))))
    assert empty['part_index'].shape == (1, 6, 8)
    assert empty['uv_coordinates'].shape == (2, 6, 8)
    assert not empty['part_index'].any()


def test_steps_build_from_config():
    pipeline = Compose([
        dict(type='LoadIUVFromFile', to_float32=True),
        dict(type='MeshRandomChannelNoise', noise_factor=0.2),
        dict(type='MeshRandomFlip', flip_prob=0.1),
        dict(type='MeshGetRandomScaleRotation', rot_factor=10),
        dict(type='MeshAffine'),
        dict(type='IUVToTensor'),
    ])
    names = [type(t).__name__ for t in pipeline.transforms]
    assert names == ['LoadIUVFromFile', 'MeshRandomChannelNoise',
                     'MeshRandomFlip', 'MeshGetRandomScaleRotation',
                     'MeshAffine', 'IUVToTensor']
    assert pipeline.transforms[0].to_float32
    assert pipeline.transforms[3].rot_factor == 10
