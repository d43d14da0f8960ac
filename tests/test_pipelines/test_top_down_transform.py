import copy

import cv2
import numpy as np
import pytest
import torch

from mmpose.datasets.pipelines import (
    Compose, TopDownAffine, TopDownGetRandomScaleRotation,
    TopDownHalfBodyTransform, TopDownRandomFlip, TopDownRandomTranslation,
    affine_transform, fliplr_joints, get_affine_transform, get_warp_matrix)


def _ann_info(num_joints=3, flip_pairs=([1, 2], ), upper=(0, 1, 2)):
    return dict(
        image_size=np.array([192, 256]),
        heatmap_size=np.array([48, 64]),
        num_joints=num_joints,
        flip_pairs=[list(p) for p in flip_pairs],
        upper_body_ids=upper,
        lower_body_ids=tuple(i for i in range(num_joints) if i not in upper),
        joint_weights=np.ones((num_joints, 1), np.float32),
        use_different_joint_weights=False)


def _joints(xy, visible=None):
    xy = np.asarray(xy, dtype=np.float32)
    joints = np.zeros((len(xy), 3), np.float32)
    joints[:, :2] = xy
    vis = np.ones((len(xy), 3), np.float32)
    if visible is not None:
        vis[:, :2] = np.asarray(visible, np.float32)[:, None]
    vis[:, 2] = 0
    return joints, vis


def test_flip_mirrors_image_joints_center_and_swaps_pairs():
    img = np.arange(4 * 10 * 3, dtype=np.uint8).reshape(4, 10, 3)
    joints, vis = _joints([[2, 3], [4, 5], [6, 7]], visible=[1, 1, 0])
    results = dict(
        img=img,
        joints_3d=joints,
        joints_3d_visible=vis,
        center=np.array([3., 4.]),
        ann_info=_ann_info())
    out = TopDownRandomFlip(flip_prob=1.0)(copy.deepcopy(results))
    assert out['flipped'] is True
    # column x moves to column W - 1 - x
    for x in range(10):
        np.testing.assert_array_equal(out['img'][:, 9 - x], img[:, x])
    # the input image is not modified in place
    assert img[0, 0].tolist() == [0, 1, 2]
    # joint 0 mirrors in place: x -> 10 - 1 - x
    assert out['joints_3d'][0, :2].tolist() == [7, 3]
    # joints 1 and 2 swap; joint 2 was invisible, so slot 1 is now invisible
    # and zeroed, and slot 2 holds the mirrored joint 1
    assert out['joints_3d_visible'][:, 0].tolist() == [1, 0, 1]
    assert out['joints_3d'][1].tolist() == [0, 0, 0]
    assert out['joints_3d'][2, :2].tolist() == [5, 5]
    assert out['center'].tolist() == [6, 4]
    # the input center array is not modified in place
    assert results['center'].tolist() == [3, 4]

    kept = TopDownRandomFlip(flip_prob=-1)(copy.deepcopy(results))
    assert kept['flipped'] is False
    np.testing.assert_array_equal(kept['img'], img)
    assert kept['joints_3d'][2, :2].tolist() == [6, 7]


def test_flip_twice_is_identity():
    rng = np.random.RandomState(0)
    img = rng.randint(0, 255, (5, 7, 3)).astype(np.uint8)
    joints, vis = _joints([[1, 1], [2, 3], [5, 4]])
    results = dict(
        img=img,
        joints_3d=joints,
        joints_3d_visible=vis,
        center=np.array([2., 2.]),
        ann_info=_ann_info())
    flip = TopDownRandomFlip(flip_prob=1.0)
    out = flip(flip(copy.deepcopy(results)))
    np.testing.assert_array_equal(out['img'], img)
    np.testing.assert_allclose(out['joints_3d'], joints)
    assert out['center'].tolist() == [2, 2]


def test_flipped_image_is_a_real_flipped_copy():
    # Any later step gets an ordinary image: C-contiguous, its own memory,
    # the values of cv2.flip, shape and dtype kept (also [H, W, 1] and
    # dtypes cv2.flip does not take).
    rng = np.random.RandomState(1)
    joints, vis = _joints([[1, 1], [2, 3], [5, 4]])
    for img in (rng.randint(0, 255, (6, 9, 3)).astype(np.uint8),
                rng.rand(6, 9, 1).astype(np.float32),
                rng.randint(0, 9, (6, 9)).astype(np.int64),
                [rng.rand(6, 9, 3), rng.rand(6, 9, 3)]):
        out = TopDownRandomFlip(flip_prob=1.0)(
            dict(
                img=img,
                joints_3d=joints,
                joints_3d_visible=vis,
                center=np.array([2., 2.]),
                ann_info=_ann_info()))
        frames = out['img'] if isinstance(img, list) else [out['img']]
        originals = img if isinstance(img, list) else [img]
        for flipped, original in zip(frames, originals):
            assert flipped.flags.c_contiguous
            assert not np.shares_memory(flipped, original)
            assert flipped.shape == original.shape
            assert flipped.dtype == original.dtype
            np.testing.assert_array_equal(flipped, np.fliplr(original))
    # a user's step may draw on it in place
    cv2.rectangle(out['img'][0], (1, 1), (3, 3), (0, 0, 0), -1)


@pytest.mark.parametrize('use_udp', [False, True])
def test_affine_of_flipped_image_equals_warping_a_fliplr_copy(use_udp):
    """What TopDownAffine gets after TopDownRandomFlip is warped as it is:
    the result equals warping an np.fliplr copy, bit for bit."""
    rng = np.random.RandomState(0)
    small = rng.randint(0, 255, (12, 16, 3)).astype(np.uint8)
    img = cv2.resize(small, (320, 240), interpolation=cv2.INTER_CUBIC)
    joints, vis = _joints([[100, 80], [150, 120], [5, 5]], visible=[1, 1, 0])
    flip = TopDownRandomFlip(flip_prob=1.0)
    affine = TopDownAffine(use_udp=use_udp)
    for center, scale, rotation in [([160, 120], [0.9, 1.2], 0),
                                    ([100, 90], [0.5, 0.7], 30),
                                    ([250, 60], [1.4, 1.9], -65)]:
        results = _affine_results(img, joints, vis, center, scale, rotation)
        out = affine(flip(copy.deepcopy(results)))
        # the flipped box centre: x -> W - 1 - x
        mirrored = np.array([319 - center[0], center[1]], np.float32)
        if use_udp:
            trans = get_warp_matrix(rotation, mirrored * 2.0,
                                    np.array([191., 255.]),
                                    np.float32(scale) * 200.0)
        else:
            trans = get_affine_transform(mirrored, np.float32(scale), rotation,
                                         [192, 256])
        reference = cv2.warpAffine(
            np.ascontiguousarray(np.fliplr(img)),
            trans, (192, 256),
            flags=cv2.INTER_LINEAR)
        np.testing.assert_array_equal(out['img'], reference)


def _reference_014(results, seed):
    """0.14's flip, random scale/rotation, affine and tensor steps written
    out as 0.14 did them (flip as a negative-stride view that warpAffine
    reads, joints one by one through affine_transform, torchvision's
    to_tensor and normalize)."""
    tvf = pytest.importorskip('torchvision.transforms.functional')
    np.random.seed(seed)
    img, c, s = results['img'], results['center'], results['scale']
    joints, vis = results['joints_3d'], results['joints_3d_visible']
    if np.random.rand() <= 0.5:
        img = img[:, ::-1, :]
        joints, vis = fliplr_joints(joints, vis, img.shape[1],
                                    results['ann_info']['flip_pairs'])
        c = c.copy()
        c[0] = img.shape[1] - c[0] - 1
    s_factor = np.clip(np.random.randn() * 0.5 + 1, 0.5, 1.5)
    # NumPy 1 multiplied the float32 scale by the float64 factor in float32
    s = s * np.float32(s_factor)
    r_factor = np.clip(np.random.randn() * 40, -80, 80)
    r = r_factor if np.random.rand() <= 0.6 else 0
    trans = get_affine_transform(c, s, r, [192, 256])
    img = cv2.warpAffine(img, trans, (192, 256), flags=cv2.INTER_LINEAR)
    joints = joints.copy()
    for i in range(len(joints)):
        if vis[i, 0] > 0.0:
            joints[i, 0:2] = affine_transform(joints[i, 0:2], trans)
    tensor = tvf.normalize(
        tvf.to_tensor(img), [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    return tensor, joints, vis


def test_pipeline_equals_014_steps_bit_for_bit():
    rng = np.random.RandomState(3)
    small = rng.randint(0, 255, (15, 20, 3)).astype(np.uint8)
    img = cv2.resize(small, (320, 240), interpolation=cv2.INTER_CUBIC)
    joints, vis = _joints(
        rng.uniform(40, 280, (17, 2)), visible=rng.rand(17) < 0.8)
    joints *= vis
    pairs = ([1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12], [13,
                                                                 14], [15, 16])
    results = _affine_results(img, joints, vis, [150, 110], [1.1, 1.4], 0)
    results['ann_info'] = _ann_info(17, pairs, tuple(range(11)))
    pipeline = Compose([
        dict(type='TopDownRandomFlip', flip_prob=0.5),
        dict(
            type='TopDownGetRandomScaleRotation',
            rot_factor=40,
            scale_factor=0.5),
        dict(type='TopDownAffine'),
        dict(type='ToTensor'),
        dict(
            type='NormalizeTensor',
            mean=[0.485, 0.456, 0.406],
            std=[0.229, 0.224, 0.225]),
    ])
    flips = set()
    for seed in range(12):
        np.random.seed(seed)
        out = pipeline(copy.deepcopy(results))
        flips.add(out['flipped'])
        tensor, ref_joints, ref_vis = _reference_014(
            copy.deepcopy(results), seed)
        assert torch.equal(out['img'], tensor)
        np.testing.assert_array_equal(out['joints_3d'], ref_joints)
        np.testing.assert_array_equal(out['joints_3d_visible'], ref_vis)
    assert flips == {True, False}


def _affine_results(img, joints, vis, center, scale, rotation):
    return dict(
        img=img,
        joints_3d=joints,
        joints_3d_visible=vis,
        center=np.array(center, np.float32),
        scale=np.array(scale, np.float32),
        rotation=rotation,
        ann_info=_ann_info())


def test_affine_maps_box_center_to_image_center():
    # scale * 200 == image_size: one output pixel per input pixel, so the
    # warp is the translation (96 - 50, 128 - 40).
    rng = np.random.RandomState(0)
    img = rng.randint(0, 255, (300, 200, 3)).astype(np.uint8)
    joints, vis = _joints([[50, 40], [60, 30], [5, 5]], visible=[1, 1, 0])
    out = TopDownAffine()(
        _affine_results(img, joints, vis, [50, 40], [0.96, 1.28], 0))
    assert out['img'].shape == (256, 192, 3)
    np.testing.assert_allclose(out['joints_3d'][0, :2], [96, 128], atol=1e-3)
    np.testing.assert_allclose(out['joints_3d'][1, :2], [106, 118], atol=1e-3)
    # invisible joints are not moved
    assert out['joints_3d'][2, :2].tolist() == [5, 5]
    # output pixel (x, y) is input pixel (x - 46, y - 88)
    np.testing.assert_array_equal(out['img'][88:256, 46:192], img[0:168,
                                                                  0:146])
    # rows above the image are border (zeros)
    assert out['img'][:88].max() == 0
    # the input joints are not modified in place
    assert joints[0, :2].tolist() == [50, 40]


def test_affine_rotation_direction():
    # With rot=90 the point right of the center lands above the output
    # center (MMPose rotates the box counter-clockwise in image axes).
    img = np.zeros((100, 100, 3), np.uint8)
    joints, vis = _joints([[50, 40], [60, 40]])
    out = TopDownAffine()(
        _affine_results(img, joints, vis, [50, 40], [0.96, 1.28], 90))
    np.testing.assert_allclose(out['joints_3d'][1, :2], [96, 118], atol=1e-3)


def test_affine_udp_maps_center_to_pixel_center():
    img = np.zeros((100, 100, 3), np.uint8)
    joints, vis = _joints([[50, 40], [60, 40]], visible=[1, 0])
    # UDP measures sizes in pixel spacings: (image_size - 1) / (scale * 200)
    # is 1 when scale * 200 == (191, 255).
    out = TopDownAffine(use_udp=True)(
        _affine_results(img, joints, vis, [50, 40], [191 / 200, 255 / 200], 0))
    np.testing.assert_allclose(
        out['joints_3d'][0, :2], [95.5, 127.5], atol=1e-3)
    # UDP moves every joint, visible or not
    np.testing.assert_allclose(
        out['joints_3d'][1, :2], [105.5, 127.5], atol=1e-3)


def _half_body_results(visible=None):
    # upper body: joints 0-2, lower body: joints 3-5
    joints, vis = _joints(
        [[10, 10], [30, 10], [20, 50], [0, 100], [40, 100], [20, 110]],
        visible)
    info = _ann_info(num_joints=6, flip_pairs=(), upper=(0, 1, 2))
    return dict(
        joints_3d=joints,
        joints_3d_visible=vis,
        center=np.array([0., 0.]),
        scale=np.array([9., 9.]),
        ann_info=info)


@pytest.mark.parametrize(
    'randn, center, scale',
    [
        # < 0.5: upper body. Mean of (10,10), (30,10), (20,50); box 20 x 40
        # widened to the 3:4 aspect ratio (30 x 40), enlarged 1.5x, / 200.
        (0.0, [20, 70 / 3], [0.225, 0.3]),
        # >= 0.5: lower body. Box 40 x 10 heightened to 40 x 53.33 (3:4).
        (1.0, [20, 310 / 3], [0.3, 0.4]),
    ],
    ids=['upper', 'lower'])
def test_half_body_picks_upper_or_lower(monkeypatch, randn, center, scale):
    monkeypatch.setattr(np.random, 'rand', lambda *a: 0.0)
    monkeypatch.setattr(np.random, 'randn', lambda *a: randn)
    out = TopDownHalfBodyTransform(
        num_joints_half_body=2, prob_half_body=1.0)(
            _half_body_results())
    np.testing.assert_allclose(out['center'], center, rtol=1e-6)
    np.testing.assert_allclose(out['scale'], scale, rtol=1e-6)


def test_half_body_falls_back_and_skips(monkeypatch):
    monkeypatch.setattr(np.random, 'rand', lambda *a: 0.0)
    monkeypatch.setattr(np.random, 'randn', lambda *a: 0.0)
    # only two upper joints visible: the lower body is used instead
    out = TopDownHalfBodyTransform(2, 1.0)(
        _half_body_results(visible=[1, 1, 0, 1, 1, 1]))
    np.testing.assert_allclose(out['center'], [20, 310 / 3], rtol=1e-6)
    # too few visible joints overall: nothing changes
    out = TopDownHalfBodyTransform(8, 1.0)(_half_body_results())
    assert out['center'].tolist() == [0, 0] and out['scale'].tolist() == [9, 9]


def test_random_scale_rotation_clips(monkeypatch):
    monkeypatch.setattr(np.random, 'randn', lambda *a: 10.0)
    monkeypatch.setattr(np.random, 'rand', lambda *a: 0.5)
    out = TopDownGetRandomScaleRotation(
        rot_factor=40, scale_factor=0.5, rot_prob=0.6)(
            dict(scale=np.array([1., 2.])))
    assert out['scale'].tolist() == [1.5, 3.0]
    assert out['rotation'] == 80
    monkeypatch.setattr(np.random, 'rand', lambda *a: 0.9)
    monkeypatch.setattr(np.random, 'randn', lambda *a: -10.0)
    out = TopDownGetRandomScaleRotation()(
        dict(scale=np.array([1., 2.], np.float32)))
    assert out['rotation'] == 0
    assert out['scale'].tolist() == [0.5, 1.0]
    # a float32 scale stays float32 (no NEP 50 promotion to float64)
    assert out['scale'].dtype == np.float32


def test_random_translation(monkeypatch):
    monkeypatch.setattr(np.random, 'rand', lambda *a: np.array([1.0, 0.0]))
    center = np.array([100., 100.])
    out = TopDownRandomTranslation(trans_factor=0.15)(
        dict(center=center, scale=np.array([1., 2.])))
    # 0.15 * (+1, -1) * (200, 400)
    assert out['center'].tolist() == [130, 40]
    assert center.tolist() == [100, 100]


def test_train_pipeline_end_to_end(tmp_path):
    rng = np.random.RandomState(0)
    path = tmp_path / 'person.jpg'
    cv2.imwrite(str(path), rng.randint(0, 255, (120, 160, 3)).astype(np.uint8))
    joints, vis = _joints(rng.uniform(40, 100, (17, 2)))
    coco_upper = tuple(range(11))
    pairs = ([1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12], [13,
                                                                 14], [15, 16])
    results = dict(
        image_file=str(path),
        joints_3d=joints,
        joints_3d_visible=vis,
        center=np.array([80., 60.], np.float32),
        scale=np.array([0.6, 0.8], np.float32),
        rotation=0,
        bbox_score=1,
        ann_info=_ann_info(17, pairs, coco_upper))
    pipeline = Compose([
        dict(type='LoadImageFromFile'),
        dict(type='TopDownRandomFlip', flip_prob=0.5),
        dict(
            type='TopDownHalfBodyTransform',
            num_joints_half_body=8,
            prob_half_body=0.3),
        dict(
            type='TopDownGetRandomScaleRotation',
            rot_factor=40,
            scale_factor=0.5),
        dict(type='TopDownRandomTranslation'),
        dict(type='TopDownAffine'),
        dict(type='ToTensor'),
        dict(
            type='NormalizeTensor',
            mean=[0.485, 0.456, 0.406],
            std=[0.229, 0.224, 0.225]),
        dict(
            type='Collect',
            keys=['img', 'joints_3d'],
            meta_keys=[
                'image_file', 'center', 'scale', 'rotation', 'bbox_score',
                'flip_pairs'
            ]),
    ])
    np.random.seed(0)
    for _ in range(4):
        data = pipeline(copy.deepcopy(results))
        assert data['img'].shape == (3, 256, 192)
        assert data['img'].dtype == torch.float32
        assert set(data['img_metas'].data) == {
            'image_file', 'center', 'scale', 'rotation', 'bbox_score',
            'flip_pairs'
        }
