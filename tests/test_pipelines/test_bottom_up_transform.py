import copy

import numpy as np
import pytest
import torch

from mmpose.datasets.pipelines import (BottomUpGenerateHeatmapTarget,
                                       BottomUpGeneratePAFTarget,
                                       BottomUpGenerateTarget,
                                       BottomUpGetImgSize,
                                       BottomUpRandomAffine,
                                       BottomUpRandomFlip,
                                       BottomUpResizeAlign)
from mmpose.datasets.pipelines.bottom_up_transform import (HeatmapGenerator,
                                                           JointsEncoder,
                                                           PAFGenerator)
from mmpose.utils import ArgumentError


def _reference_heatmaps(joints, size, num_joints, sigma, use_udp):
    """0.14's HeatmapGenerator loop."""
    hms = np.zeros((num_joints, size, size), dtype=np.float32)
    win = 6 * sigma + 3
    xs = np.arange(0, win, 1, np.float32)
    ys = xs[:, None]
    for p in joints:
        for idx, pt in enumerate(p):
            if pt[2] <= 0:
                continue
            x, y = int(pt[0]), int(pt[1])
            if x < 0 or y < 0 or x >= size or y >= size:
                continue
            x0 = 3 * sigma + 1 + (pt[0] - x if use_udp else 0)
            y0 = 3 * sigma + 1 + (pt[1] - y if use_udp else 0)
            g = np.exp(-((xs - x0)**2 + (ys - y0)**2) / (2 * sigma**2))
            ul = int(np.round(x - 3 * sigma - 1)), int(
                np.round(y - 3 * sigma - 1))
            br = int(np.round(x + 3 * sigma + 2)), int(
                np.round(y + 3 * sigma + 2))
            c, d = max(0, -ul[0]), min(br[0], size) - ul[0]
            a, b = max(0, -ul[1]), min(br[1], size) - ul[1]
            cc, dd = max(0, ul[0]), min(br[0], size)
            aa, bb = max(0, ul[1]), min(br[1], size)
            hms[idx, aa:bb, cc:dd] = np.maximum(hms[idx, aa:bb, cc:dd],
                                                g[a:b, c:d])
    return hms


def _random_joints(seed, people=6, num_joints=5, size=32):
    rng = np.random.default_rng(seed)
    joints = np.zeros((people, num_joints, 3), np.float32)
    joints[..., :2] = rng.uniform(-4, size + 4, (people, num_joints, 2))
    joints[..., 2] = rng.random((people, num_joints)) > 0.3
    return joints


@pytest.mark.parametrize('use_udp', [False, True])
@pytest.mark.parametrize('sigma', [2, 1])
def test_heatmap_generator_matches_014_loop(use_udp, sigma):
    for seed in range(3):
        joints = _random_joints(seed)
        got = HeatmapGenerator(32, 5, sigma, use_udp)(joints)
        ref = _reference_heatmaps(joints, 32, 5, sigma, use_udp)
        np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-6)
    assert HeatmapGenerator(128, 5).sigma == 2


def test_heatmap_generator_peak_by_hand():
    joints = np.array([[[3, 4, 1], [0, 0, 0]]], np.float32)
    hms = HeatmapGenerator(16, 2, 2)(joints)
    assert hms[0, 4, 3] == 1 and hms[1].max() == 0
    assert hms[0, 4, 5] == pytest.approx(np.exp(-4 / 8))
    assert hms[0, 4, 3 + 7] > 0  # the window: 3 sigma + 1 to the right
    assert hms[0, 4, 3 + 8] == 0


def test_joints_encoder():
    joints = np.array([[[1, 2, 1], [3, 1, 0], [0, 0, 1]],
                       [[-1, 2, 1], [7.9, 7.9, 1], [8, 1, 1]]], np.float32)
    got = JointsEncoder(3, 3, 8, True)(joints)
    assert got.shape == (3, 3, 2)
    # person 0: joints 0 and 2 visible, packed into slots 0 and 1
    np.testing.assert_array_equal(got[0], [[2 * 8 + 1, 1], [2 * 64, 1],
                                           [0, 0]])
    # person 1: only joint 1 inside the 8x8 map
    np.testing.assert_array_equal(got[1], [[64 + 7 * 8 + 7, 1], [0, 0],
                                           [0, 0]])
    assert not got[2].any()
    one_tag = JointsEncoder(1, 3, 8, False)(joints)
    np.testing.assert_array_equal(one_tag[0], [[17, 1], [0, 1], [0, 0]])


def test_paf_generator_hand_computed_and_last_row():
    gen = PAFGenerator(8, 1, [[0, 1]])
    # horizontal limb along the last row: no IndexError, x-direction field
    joints = np.array([[[1, 7, 1], [5, 7, 1]]], np.float32)
    pafs = gen(joints)
    assert pafs.shape == (2, 8, 8)
    expected_x = np.zeros((8, 8), np.float32)
    expected_x[7, 0:7] = 1  # |y - 7| < 1 inside x in [0, 6]
    np.testing.assert_array_equal(pafs[0], expected_x)
    assert not pafs[1].any()
    # vertical limb: the field lies along a column, not a row (0.14 had it
    # transposed)
    joints = np.array([[[2, 1, 1], [2, 4, 1]]], np.float32)
    pafs = gen(joints)
    expected_y = np.zeros((8, 8), np.float32)
    expected_y[0:6, 2] = 1
    np.testing.assert_array_equal(pafs[1], expected_y)
    # two overlapping limbs average
    joints = np.array([[[1, 3, 1], [5, 3, 1]], [[5, 3, 1], [1, 3, 1]]],
                      np.float32)
    assert not gen(joints)[0].any()


def _results(size=64, heatmap_sizes=(32, 64), num_joints=3):
    img = np.arange(size * size * 3, dtype=np.uint8).reshape(size, size, 3)
    joints = np.zeros((2, num_joints, 3), np.float32)
    joints[0, :, :2] = [[10, 20], [30, 40], [50, 12]]
    joints[1, :, :2] = [[5, 5], [60, 60], [32, 32]]
    joints[..., 2] = 1
    mask = np.ones((size, size), np.float32)
    mask[:10, :10] = 0
    sizes = np.array(heatmap_sizes)  # NumPy ints, as the datasets give
    return dict(
        img=img,
        # as the datasets give them: every scale in image pixels
        mask=[mask.copy() for _ in sizes],
        joints=[joints.copy() for _ in sizes],
        ann_info=dict(
            image_size=np.array(size),
            heatmap_size=sizes,
            num_joints=num_joints,
            num_scales=len(sizes),
            flip_index=[0, 2, 1],
            scale_aware_sigma=False))


def test_random_affine_identity_non_udp_numpy_sizes():
    results = _results()
    joints = copy.deepcopy(results['joints'])
    aff = BottomUpRandomAffine(0, [1, 1], 'short', 0)
    out = aff(results)
    # the whole square image onto each map: joints scaled by S / 64
    for j, ref, s in zip(out['joints'], joints, (32, 64)):
        np.testing.assert_allclose(j, ref * [s / 64, s / 64, 1], atol=1e-4)
    assert out['mask'][1][:10, :10].sum() == 0 and out['mask'][1][10:].all()
    assert out['mask'][0][:5, :5].sum() == 0 and out['mask'][0][5:].all()
    assert out['img'].shape == (64, 64, 3)
    np.testing.assert_array_equal(out['img'][5:-5, 5:-5],
                                  _results()['img'][5:-5, 5:-5])
    with pytest.raises(ValueError):
        BottomUpRandomAffine(0, [1, 1], 'middle', 0)(_results())


def test_random_affine_udp_scaling_and_rotation():
    results = _results()
    aff = BottomUpRandomAffine(0, [1, 1], 'long', 0, use_udp=True)
    out = aff(copy.deepcopy(results))
    # UDP: the 64 px side (the scale) around the centre 31.5 onto S - 1:
    # x' = (x - 31.5) (S - 1) / 64 + (S - 1) / 2
    for j, s, ref in zip(out['joints'], (32, 64), _results()['joints']):
        expected = (ref[0, :, :2] + 0.5) * (s - 1) / 64
        np.testing.assert_allclose(j[0, :, :2], expected, atol=1e-3)
    np.random.seed(0)
    rot = BottomUpRandomAffine(30, [0.75, 1.5], 'short', 40)
    out = rot(_results())
    assert [m.shape for m in out['mask']] == [(32, 32), (64, 64)]
    assert set(np.unique(out['mask'][0])) <= {0., 1.}
    with pytest.raises(ArgumentError):
        bad = _results()
        bad['mask'] = bad['mask'][0]
        rot(bad)


def test_random_flip():
    results = BottomUpRandomAffine(0, [1, 1], 'short', 0)(_results())
    out = BottomUpRandomFlip(flip_prob=1.)(copy.deepcopy(results))
    np.testing.assert_array_equal(out['img'], results['img'][:, ::-1])
    for j, ref, s in zip(out['joints'], results['joints'], (32, 64)):
        np.testing.assert_allclose(j[:, :, 0], s - ref[:, [0, 2, 1], 0] - 1)
        np.testing.assert_allclose(j[:, :, 1], ref[:, [0, 2, 1], 1])
    np.testing.assert_array_equal(out['mask'][0], results['mask'][0][:, ::-1])
    kept = BottomUpRandomFlip(flip_prob=0.)(copy.deepcopy(results))
    np.testing.assert_array_equal(kept['img'], results['img'])


def test_generate_targets():
    results = BottomUpGenerateTarget(2, 30)(BottomUpRandomAffine(
        0, [1, 1], 'short', 0)(_results()))
    assert [t.shape for t in results['targets']] == [(3, 32, 32),
                                                     (3, 64, 64)]
    assert [j.shape for j in results['joints']] == [(30, 3, 2), (30, 3, 2)]
    assert results['joints'][0].dtype == np.int32
    assert results['targets'][1][0, 20, 10] == 1  # person 0, joint 0
    assert results['joints'][1][0, 0].tolist() == [20 * 64 + 10, 1]
    hm = BottomUpGenerateHeatmapTarget(2)(BottomUpRandomAffine(
        0, [1, 1], 'short', 0)(_results()))
    for a, b in zip(hm['target'], results['targets']):
        np.testing.assert_array_equal(a, b)
    paf = BottomUpGeneratePAFTarget(1, [[0, 1], [1, 2]])(_results())
    assert [t.shape for t in paf['target']] == [(4, 32, 32), (4, 64, 64)]
    with pytest.raises(ArgumentError):
        no_skeleton = _results()
        BottomUpGeneratePAFTarget(1)(no_skeleton)


def test_get_img_size_and_resize_align():
    img = np.zeros((100, 200, 3), np.uint8)
    results = dict(img=img, ann_info=dict(image_size=64))
    results = BottomUpGetImgSize([1, 2])(results)
    info = results['ann_info']
    # short side 100 -> 64, long side 200 -> 128 (multiple of 64)
    assert info['base_size'] == (128, 64)
    np.testing.assert_allclose(info['center'], [100, 50])
    np.testing.assert_allclose(info['scale'], [1.0, 0.5])
    results = BottomUpResizeAlign([
        dict(type='ToTensor'),
        dict(type='NormalizeTensor', mean=[0, 0, 0], std=[1, 1, 1])
    ])(results)
    aug = info['aug_data']
    assert [tuple(a.shape) for a in aug] == [(1, 3, 128, 256),
                                             (1, 3, 64, 128)]
    assert isinstance(aug[0], torch.Tensor)
    udp = BottomUpGetImgSize([1], use_udp=True)(
        dict(img=img, ann_info=dict(image_size=64)))['ann_info']
    np.testing.assert_allclose(udp['scale'], [(128 - 1) / 63 * 99, 99])
    np.testing.assert_allclose(udp['center'], np.array(udp['scale']) / 2)
    out = BottomUpResizeAlign([dict(type='ToTensor')], use_udp=True)(
        dict(img=np.full((100, 200, 3), 255, np.uint8), ann_info=udp))
    # UDP maps the first pixel centres onto each other: no border at the
    # top left (the 128 px row reaches 0.6 px past the 200 px image)
    assert torch.all(out['ann_info']['aug_data'][0][..., :-1] == 1)
