"""Encode -> decode round trips and hand-derived properties of the codecs."""
import cv2
import numpy as np
import pytest

from mmpose.core.codecs import (CODECS, BaseKeypointCodec, MegviiHeatmap,
                                MSRAHeatmap, RegressionLabel, UDPHeatmap,
                                blur_maps, build_codec, codec_cfg_from_flags,
                                codec_cfg_from_test_cfg, get_max_preds,
                                windowed_gaussians)

IMAGE_SIZE = np.array([192, 256])
HEATMAP_SIZE = np.array([48, 64])


def _keypoints(num=17, seed=0, margin=24):
    """Random keypoints well inside the image, all visible."""
    rng = np.random.RandomState(seed)
    xy = margin + rng.rand(num, 2) * (IMAGE_SIZE - 2 * margin)
    joints = np.concatenate([xy, np.zeros((num, 1))], 1).astype(np.float32)
    visible = np.ones((num, 3), dtype=np.float32)
    return joints, visible


def _round_trip(codec, joints, visible):
    encoded = codec.encode(joints, visible)
    target, weight = encoded['target'], encoded['target_weight']
    coords, scores = codec.decode(target[None])
    return target, weight, coords[0], scores[0]


@pytest.mark.parametrize('post_process,tol', [(None, 0.5), ('default', 0.5),
                                              ('unbiased', 0.5)])
def test_msra_round_trip(post_process, tol):
    joints, visible = _keypoints()
    codec = MSRAHeatmap(IMAGE_SIZE, HEATMAP_SIZE, sigma=2,
                        post_process=post_process)
    target, weight, coords, scores = _round_trip(codec, joints, visible)
    assert target.shape == (17, 64, 48) and target.dtype == np.float32
    np.testing.assert_array_equal(weight, np.ones((17, 1)))
    # The target peaks on the rounded keypoint, so decoding is within half a
    # heatmap pixel of the truth.
    expected = joints[:, :2] / (IMAGE_SIZE / HEATMAP_SIZE)
    assert np.abs(coords - expected).max() <= tol + 1e-6
    np.testing.assert_allclose(scores, 1.)


def test_msra_unbiased_round_trip_is_sub_pixel():
    joints, visible = _keypoints(seed=1)
    codec = MSRAHeatmap(IMAGE_SIZE, HEATMAP_SIZE, sigma=2,
                        unbiased_encoding=True, post_process='unbiased')
    _, _, coords, _ = _round_trip(codec, joints, visible)
    expected = joints[:, :2] / (IMAGE_SIZE / HEATMAP_SIZE)
    # DARK recovers the sub-pixel centre of an unbiased Gaussian.
    assert np.abs(coords - expected).max() < 0.05


def test_msra_encode_values():
    joints = np.array([[40., 80., 0.], [0., 0., 0.], [-100., 50., 0.]],
                      dtype=np.float32)
    visible = np.array([[1.] * 3, [0.] * 3, [1.] * 3], dtype=np.float32)
    encoded = MSRAHeatmap(IMAGE_SIZE, HEATMAP_SIZE,
                          sigma=2).encode(joints, visible)
    target, weight = encoded['target'], encoded['target_weight']
    # Stride 4: (40, 80) -> heatmap (10, 20).
    assert target[0, 20, 10] == 1
    np.testing.assert_allclose(target[0, 20, 11], np.exp(-1 / 8), rtol=1e-6)
    np.testing.assert_allclose(target[0, 23, 13], np.exp(-18 / 8), rtol=1e-6)
    # 3 sigma = 6 pixels: the window ends there.
    assert target[0, 20, 16] > 0 and target[0, 20, 17] == 0
    # Invisible / off-map keypoints get no Gaussian and no weight.
    np.testing.assert_array_equal(weight[:, 0], [1, 0, 0])
    assert not target[1:].any()


def test_megvii_round_trip_and_peak():
    joints, visible = _keypoints(seed=2)
    codec = MegviiHeatmap(IMAGE_SIZE, HEATMAP_SIZE, kernel=(11, 11))
    target, weight, coords, scores = _round_trip(codec, joints, visible)
    np.testing.assert_allclose(target.reshape(17, -1).max(1), 255, rtol=1e-6)
    # The target sits on the truncated pixel and decoding centres it.
    expected = joints[:, :2] / (IMAGE_SIZE / HEATMAP_SIZE)
    assert np.abs(coords - expected).max() <= 1.0
    # Scores: blurred peak / 255 + 0.5, i.e. close to 1.5.
    assert np.all((scores > 1.) & (scores <= 1.5 + 1e-6))
    off_map = np.array([[-10., 5., 0.]], dtype=np.float32)
    encoded = codec.encode(off_map, np.ones((1, 3), np.float32))
    np.testing.assert_array_equal(encoded['target_weight'], [[0]])


def test_udp_gaussian_round_trip():
    joints, visible = _keypoints(seed=3)
    codec = UDPHeatmap(IMAGE_SIZE, HEATMAP_SIZE, sigma=2)
    target, weight, coords, _ = _round_trip(codec, joints, visible)
    assert target.shape == (17, 64, 48)
    expected = joints[:, :2] / ((IMAGE_SIZE - 1) / (HEATMAP_SIZE - 1))
    assert np.abs(coords - expected).max() < 0.05


def test_udp_combined_round_trip():
    joints, visible = _keypoints(seed=4)
    codec = UDPHeatmap(IMAGE_SIZE, HEATMAP_SIZE,
                       heatmap_type='combined')
    target, weight, coords, scores = _round_trip(codec, joints, visible)
    assert target.shape == (51, 64, 48)
    np.testing.assert_array_equal(weight, np.ones((17, 1)))
    expected = joints[:, :2] / ((IMAGE_SIZE - 1) / (HEATMAP_SIZE - 1))
    # Decoding blurs the offset maps, which pulls them towards the zeros
    # outside the positive disk, so the round trip is good to ~0.3 px; still
    # better than the plain arg-max of the response map.
    error = np.linalg.norm(coords - expected, axis=1)
    argmax_error = np.linalg.norm(
        get_max_preds(target[None, 0::3])[0][0] - expected, axis=1)
    assert error.max() < 0.45 and error.mean() < argmax_error.mean()
    # Offsets point from each pixel to the keypoint, in valid radii.
    radius = 0.0546875 * 64
    px, py = np.round(expected[0]).astype(int)
    np.testing.assert_allclose(
        target[1:3, py, px], (expected[0] - [px, py]) / radius, rtol=1e-5)
    assert target[0].max() == 1 and set(np.unique(target[0])) <= {0., 1.}


def test_udp_combined_decodes_any_batch_size():
    codec = UDPHeatmap(IMAGE_SIZE, HEATMAP_SIZE,
                       heatmap_type='combined')
    batch, expected = [], []
    for seed in range(3):
        joints, visible = _keypoints(seed=10 + seed)
        batch.append(codec.encode(joints, visible)['target'])
        expected.append(codec.decode(batch[-1][None])[0][0])
    coords, _ = codec.decode(np.stack(batch))
    np.testing.assert_allclose(coords, np.stack(expected), rtol=1e-6)


def test_regression_round_trip():
    joints = np.array([[10., 20., 0.], [191., 255., 0.], [200., 5., 0.]],
                      dtype=np.float32)
    visible = np.ones((3, 3), dtype=np.float32)
    codec = RegressionLabel(IMAGE_SIZE)
    encoded = codec.encode(joints, visible)
    target, weight = encoded['target'], encoded['target_weight']
    np.testing.assert_allclose(target, joints[:, :2] / IMAGE_SIZE)
    np.testing.assert_array_equal(weight, [[1, 1], [1, 1], [0, 0]])
    coords, scores = codec.decode(target[None])
    np.testing.assert_allclose(coords[0], joints[:, :2], rtol=1e-6)
    np.testing.assert_array_equal(scores, np.ones((1, 3, 1)))


def test_decode_does_not_modify_input():
    joints, visible = _keypoints()
    for codec in (MSRAHeatmap(IMAGE_SIZE, HEATMAP_SIZE,
                              post_process='unbiased'),
                  MegviiHeatmap(IMAGE_SIZE, HEATMAP_SIZE),
                  UDPHeatmap(IMAGE_SIZE, HEATMAP_SIZE)):
        target = codec.encode(joints, visible)['target'][None]
        before = target.copy()
        codec.decode(target)
        np.testing.assert_array_equal(target, before)


def test_encode_needs_sizes_and_valid_options():
    with pytest.raises(ValueError, match='image_size'):
        MSRAHeatmap().encode(*_keypoints())
    with pytest.raises(ValueError, match='post_process'):
        MSRAHeatmap(post_process='megvii')
    with pytest.raises(AssertionError, match='heatmap_type'):
        UDPHeatmap(heatmap_type='Offsets')


def test_get_max_preds():
    heatmaps = np.zeros((2, 2, 4, 5), dtype=np.float32)
    heatmaps[0, 0, 3, 1] = 2.
    heatmaps[1, 1, 0, 4] = 0.5
    heatmaps[1, 0] = -1.
    preds, maxvals = get_max_preds(heatmaps)
    np.testing.assert_array_equal(preds[0, 0], [1, 3])
    np.testing.assert_array_equal(preds[1, 1], [4, 0])
    # Non-positive maxima give -1.
    np.testing.assert_array_equal(preds[0, 1], [-1, -1])
    np.testing.assert_array_equal(preds[1, 0], [-1, -1])
    np.testing.assert_array_equal(maxvals[..., 0], [[2, 0], [-1, 0.5]])


def test_blur_maps_matches_per_map_opencv():
    # More maps than OpenCV takes channels in one call.
    maps = np.random.RandomState(0).rand(2, 150, 9, 7).astype(np.float32)
    blurred = blur_maps(maps, 5)
    expected = np.stack([cv2.GaussianBlur(m, (5, 5), 0)
                         for m in maps.reshape(-1, 9, 7)]).reshape(maps.shape)
    np.testing.assert_allclose(blurred, expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize('sigma', [2, 1, np.float64(3)])
def test_windowed_gaussians_match_exp_per_pixel(sigma):
    rng = np.random.RandomState(0)
    W, H = 20, 24
    mu = np.trunc(rng.uniform(-12, 36, (40, 2)))
    keep = rng.rand(40) < 0.7
    target, in_bounds = windowed_gaussians(mu, sigma * 3, sigma, (W, H),
                                           keep=keep)
    # independent: an exp per pixel inside the truncated window
    ul, br = np.trunc(mu - sigma * 3), np.trunc(mu + sigma * 3 + 1)
    ys, xs = np.mgrid[:H, :W]
    for k in range(len(mu)):
        inside = ((xs >= ul[k, 0]) & (xs < br[k, 0]) & (ys >= ul[k, 1]) &
                  (ys < br[k, 1]))
        ref = np.exp(-((xs - mu[k, 0])**2 + (ys - mu[k, 1])**2) /
                     (2 * sigma**2)) * inside * keep[k]
        np.testing.assert_allclose(target[k], ref, rtol=1e-6, atol=1e-7)
        # 0.x's test: a window ending at pixel 0 (br == 0) still counts
        assert in_bounds[k] == ((ul[k] < (W, H)).all() and
                                (br[k] >= 0).all())
    assert target.dtype == np.float32


# The registry, the dict interface and flip-back


@pytest.mark.parametrize('cfg,channels', [
    (dict(type='MSRAHeatmap', sigma=2), 1),
    (dict(type='MegviiHeatmap', kernel=(11, 11)), 1),
    (dict(type='UDPHeatmap'), 1),
    (dict(type='UDPHeatmap', heatmap_type='combined'), 3),
])
def test_build_codec_and_encode_dict(cfg, channels):
    codec = build_codec(
        cfg, dict(image_size=IMAGE_SIZE, heatmap_size=HEATMAP_SIZE))
    assert isinstance(codec, BaseKeypointCodec)
    assert codec.channels_per_keypoint == channels
    joints, visible = _keypoints(num=5)
    encoded = codec.encode(joints, visible)
    assert isinstance(encoded, dict)
    assert encoded['target'].shape == (5 * channels, 64, 48)
    assert encoded['target_weight'].shape == (5, 1)


def test_registry_holds_every_codec():
    assert {'MSRAHeatmap', 'MegviiHeatmap', 'UDPHeatmap',
            'RegressionLabel'} <= set(CODECS.module_dict)
    codec = build_codec(dict(type='RegressionLabel', image_size=(192, 256)))
    assert isinstance(codec, RegressionLabel)
    with pytest.raises(KeyError, match='MSRAHeatmap'):
        build_codec(dict(type='MSRAHeatmaps'))


def test_flip_back_heatmaps():
    maps = np.arange(2 * 3 * 2 * 4, dtype=np.float32).reshape(2, 3, 2, 4)
    out = MSRAHeatmap().flip_back(maps, [(0, 2)])
    np.testing.assert_array_equal(out, maps[:, [2, 1, 0], :, ::-1])
    np.testing.assert_array_equal(
        UDPHeatmap().flip_back(maps, [(0, 2)]), out)


def test_flip_back_combined_target():
    maps = np.random.RandomState(0).rand(1, 6, 2, 3).astype(np.float32)
    out = UDPHeatmap(heatmap_type='combined').flip_back(maps, [(0, 1)])
    mirrored = maps[..., ::-1]
    # keypoints swap their (response, x-offset, y-offset) triplets; the
    # mirrored x-offsets change sign
    expected = mirrored[:, [3, 4, 5, 0, 1, 2]] * np.array(
        [1, -1, 1, 1, -1, 1])[None, :, None, None]
    np.testing.assert_array_equal(out, expected)


def test_flip_back_regression():
    coords = np.array([[[0.1, 0.2], [0.7, 0.4], [0.5, 0.9]]])
    out = RegressionLabel().flip_back(coords, [(0, 1)])
    np.testing.assert_allclose(out, [[[0.3, 0.4], [0.9, 0.2], [0.5, 0.9]]])


def test_regression_needs_image_size():
    with pytest.raises(AssertionError, match='image_size'):
        RegressionLabel().decode(np.zeros((1, 2, 2)))


# The adapter from 0.14's flags


@pytest.mark.parametrize('flags,expected', [
    (dict(), dict(type='MSRAHeatmap', sigma=2, unbiased_encoding=False,
                  post_process='default', blur_kernel=11)),
    (dict(encoding='MSRA', sigma=[2, 3], unbiased_encoding=True),
     dict(type='MSRAHeatmap', sigma=[2, 3], unbiased_encoding=True,
          post_process='default', blur_kernel=11)),
    (dict(post_process='unbiased', modulate_kernel=17),
     dict(type='MSRAHeatmap', sigma=2, unbiased_encoding=False,
          post_process='unbiased', blur_kernel=17)),
    (dict(post_process=None),
     dict(type='MSRAHeatmap', sigma=2, unbiased_encoding=False,
          post_process=None, blur_kernel=11)),
    (dict(encoding='Megvii', kernel=[(11, 11), (9, 9)]),
     dict(type='MegviiHeatmap', kernel=[(11, 11), (9, 9)], blur_kernel=11)),
    (dict(post_process='megvii', modulate_kernel=5),
     dict(type='MegviiHeatmap', kernel=(11, 11), blur_kernel=5)),
    (dict(encoding='UDP', sigma=3),
     dict(type='UDPHeatmap', heatmap_type='gaussian', sigma=3,
          blur_kernel=11)),
    (dict(use_udp=True, target_type='combinedtarget',
          valid_radius_factor=0.1),
     dict(type='UDPHeatmap', heatmap_type='combined',
          valid_radius_factor=0.1, blur_kernel=11)),
])
def test_codec_cfg_from_flags(flags, expected):
    assert codec_cfg_from_flags(**flags) == expected


def test_codec_cfg_from_test_cfg():
    cfg = codec_cfg_from_test_cfg(
        dict(flip_test=True, post_process='default', shift_heatmap=False,
             modulate_kernel=11, use_udp=True,
             target_type='CombinedTarget'))
    assert cfg == dict(type='UDPHeatmap', heatmap_type='combined',
                       valid_radius_factor=0.0546875, blur_kernel=11)
    with pytest.warns(DeprecationWarning, match='unbiased'):
        cfg = codec_cfg_from_test_cfg(dict(unbiased_decoding=True))
    assert cfg['post_process'] == 'unbiased'


@pytest.mark.parametrize('flags,match', [
    (dict(encoding='DARK'), 'encoding'),
    (dict(target_type='Offsets', use_udp=True), 'target_type'),
    (dict(target_type='CombinedTarget'), 'CombinedTarget'),
    (dict(use_udp=True, post_process='megvii'), 'megvii'),
    (dict(unbiased=True, post_process=None), 'unbiased'),
    (dict(post_process='unbiased', modulate_kernel=0), 'kernel'),
    (dict(encoding='MSRA', use_udp=True), 'use_udp'),
])
def test_codec_cfg_from_flags_rejects(flags, match):
    # 0.14 asserted or raised ValueError: both are caught
    with pytest.raises(AssertionError, match=match):
        codec_cfg_from_flags(**flags)
    with pytest.raises(ValueError, match=match):
        codec_cfg_from_flags(**flags)


@pytest.mark.parametrize('flags,post_process', [
    (dict(post_process=False), None),
    (dict(post_process=True), 'default'),
    (dict(post_process=True, unbiased=True), 'unbiased'),
    (dict(unbiased=True), 'unbiased'),
])
def test_codec_cfg_deprecated_flags(flags, post_process):
    with pytest.warns(DeprecationWarning, match='deprecated'):
        cfg = codec_cfg_from_flags(**flags)
    assert cfg['post_process'] == post_process
