from pathlib import Path

import numpy as np
import pytest

from mmpose.core.evaluation import (keypoint_auc, keypoint_epe,
                                    keypoint_pck_accuracy,
                                    keypoints_from_heatmaps,
                                    keypoints_from_regression,
                                    pose_pck_accuracy, post_dark_udp)
from mmpose.core.evaluation.top_down_eval import (_calc_distances,
                                                  _distance_acc,
                                                  _gaussian_blur,
                                                  _get_max_preds, _taylor)

GOLDEN = Path(__file__).resolve().parents[2] / '..' / 'shared' / 'golden'
needs_golden = pytest.mark.skipif(
    not GOLDEN.is_dir(), reason='golden files absent')
TOL = dict(rtol=1e-5, atol=1e-5)

# A 192x256 px box centred on (96, 128): heatmap (48x64) pixel (x, y) maps
# to image (4x, 4y).
CENTER = np.array([[96., 128.]])
SCALE = np.array([[192 / 200, 256 / 200]])


def _gaussian(mu, sigma=2., size=(48, 64)):
    x = np.arange(size[0])[None, :]
    y = np.arange(size[1])[:, None]
    return np.exp(-((x - mu[0])**2 + (y - mu[1])**2) /
                  (2 * sigma**2)).astype(np.float32)


def test_get_max_preds():
    heatmaps = np.zeros((1, 2, 64, 48), dtype=np.float32)
    heatmaps[0, 0, 20, 10] = 1.
    preds, maxvals = _get_max_preds(heatmaps)
    np.testing.assert_array_equal(preds, [[[10, 20], [-1, -1]]])
    np.testing.assert_array_equal(maxvals, [[[1], [0]]])


def test_keypoints_from_heatmaps_known_peak():
    heatmaps = np.zeros((1, 1, 64, 48), dtype=np.float32)
    heatmaps[0, 0, 20, 10] = 1.
    preds, maxvals = keypoints_from_heatmaps(
        heatmaps, CENTER, SCALE, post_process=None)
    np.testing.assert_allclose(preds, [[[40., 80.]]], rtol=1e-6)
    np.testing.assert_allclose(maxvals, [[[1.]]])
    # 'default' moves a quarter pixel towards the higher neighbour.
    heatmaps[0, 0, 20, 11] = 0.5
    heatmaps[0, 0, 19, 10] = 0.5
    preds, _ = keypoints_from_heatmaps(heatmaps, CENTER, SCALE)
    np.testing.assert_allclose(preds, [[[41., 79.]]], rtol=1e-6)


def test_keypoints_from_heatmaps_unbiased_sub_pixel():
    mu = (10.3, 20.6)
    heatmaps = _gaussian(mu)[None, None]
    before = heatmaps.copy()
    preds, _ = keypoints_from_heatmaps(
        heatmaps, CENTER, SCALE, post_process='unbiased', kernel=11)
    np.testing.assert_allclose(preds, [[[4 * mu[0], 4 * mu[1]]]], atol=0.1)
    np.testing.assert_array_equal(heatmaps, before)


def test_unbiased_argument_is_deprecated():
    heatmaps = _gaussian((10.3, 20.6))[None, None]
    with pytest.warns(DeprecationWarning, match='unbiased'):
        old, _ = keypoints_from_heatmaps(
            heatmaps, CENTER, SCALE, unbiased=True)
    new, _ = keypoints_from_heatmaps(
        heatmaps, CENTER, SCALE, post_process='unbiased')
    np.testing.assert_array_equal(old, new)
    with pytest.raises(ValueError):
        keypoints_from_heatmaps(
            heatmaps, CENTER, SCALE, unbiased=True, post_process='megvii')
    with pytest.raises(ValueError):
        keypoints_from_heatmaps(
            heatmaps, CENTER, SCALE, use_udp=True, post_process='megvii')


def test_megvii_scores():
    heatmaps = _gaussian((10, 20))[None, None] * 255
    preds, maxvals = keypoints_from_heatmaps(
        heatmaps, CENTER, SCALE, post_process='megvii')
    # The modulation keeps the maximum: 255 / 255 + 0.5.
    np.testing.assert_allclose(maxvals, [[[1.5]]], rtol=1e-6)
    # A symmetric peak gets no quarter shift, only the 0.5 pixel centring.
    np.testing.assert_allclose(preds, [[[42., 82.]]], rtol=1e-6)


def test_udp_gaussian_sub_pixel():
    # UDP: the first and last heatmap pixel centres are the box edges.
    mu = (10.3, 20.6)
    preds, _ = keypoints_from_heatmaps(
        _gaussian(mu)[None, None], CENTER, SCALE, use_udp=True)
    np.testing.assert_allclose(preds, [[_udp_to_image(mu)]], atol=0.1)


def _udp_to_image(mu):
    return [m * s / (h - 1) for m, s, h in zip(mu, (192, 256), (48, 64))]


def _combined(mu, radius_factor=0.0546875, size=(48, 64)):
    radius = radius_factor * size[1]
    x = np.arange(size[0])[None, :]
    y = np.arange(size[1])[:, None]
    off_x = np.broadcast_to((mu[0] - x) / radius, (size[1], size[0]))
    off_y = np.broadcast_to((mu[1] - y) / radius, (size[1], size[0]))
    return np.stack([_gaussian(mu), off_x, off_y]).astype(np.float32)


def test_combined_target_any_batch_size():
    mus = [(10.3, 20.6), (30.8, 15.2), (22.5, 40.1)]
    heatmaps = np.stack([_combined(mu) for mu in mus])
    center = np.repeat(CENTER, 3, axis=0)
    scale = np.repeat(SCALE, 3, axis=0)
    preds, _ = keypoints_from_heatmaps(
        heatmaps, center, scale, use_udp=True, target_type='CombinedTarget')
    # Linear offset fields survive the blur, so decoding is exact up to
    # float error; each instance reads its own offsets.
    expected = [[_udp_to_image(mu)] for mu in mus]
    np.testing.assert_allclose(preds, expected, atol=1e-3)
    for i in range(3):
        single, _ = keypoints_from_heatmaps(
            heatmaps[i:i + 1], center[i:i + 1], scale[i:i + 1], use_udp=True,
            target_type='CombinedTarget')
        np.testing.assert_allclose(preds[i:i + 1], single, rtol=1e-6)


def test_post_dark_udp_shared_heatmaps():
    # B=1: every person is refined on the same heatmaps.
    heatmaps = np.stack([_gaussian((10.3, 20.6)),
                         _gaussian((30.8, 5.2))])[None]
    coords = np.array([[[10, 21], [31, 5]], [[10, 21], [31, 5]]],
                      dtype=np.float32)
    refined = post_dark_udp(coords, heatmaps, kernel=11)
    np.testing.assert_allclose(refined[0], [[10.3, 20.6], [30.8, 5.2]],
                               atol=0.05)
    np.testing.assert_array_equal(refined[0], refined[1])
    np.testing.assert_array_equal(coords[0], [[10, 21], [31, 5]])


def test_taylor_and_gaussian_blur():
    heatmaps = _gaussian((10.3, 20.6))[None, None].copy()
    blurred = _gaussian_blur(heatmaps.copy(), kernel=11)
    # The modulation keeps each map's maximum.
    np.testing.assert_allclose(blurred.max(), heatmaps.max(), rtol=1e-6)
    coord = _taylor(np.log(np.maximum(heatmaps[0, 0], 1e-10)),
                    np.array([10., 21.], dtype=np.float32))
    np.testing.assert_allclose(coord, [10.3, 20.6], atol=1e-3)
    # Too close to the border: unchanged.
    np.testing.assert_array_equal(
        _taylor(heatmaps[0, 0], np.array([1., 21.])), [1., 21.])


def test_keypoints_from_regression():
    reg = np.array([[[0.25, 0.5], [0., 1.]]])
    preds, maxvals = keypoints_from_regression(reg, CENTER, SCALE,
                                               [192, 256])
    np.testing.assert_allclose(preds, [[[48., 128.], [0., 256.]]])
    np.testing.assert_array_equal(maxvals, np.ones((1, 2, 1)))


def test_distances_and_pck():
    pred = np.array([[[0., 0.], [3., 4.], [10., 0.]]], dtype=np.float32)
    gt = np.zeros((1, 3, 2), dtype=np.float32)
    mask = np.array([[True, True, False]])
    normalize = np.array([[10., 10.]], dtype=np.float32)
    dist = _calc_distances(pred, gt, mask, normalize)
    np.testing.assert_allclose(dist, [[0.], [0.5], [-1.]])
    assert _distance_acc(dist[1], thr=0.6) == 1
    assert _distance_acc(dist[2]) == -1
    acc, avg, cnt = keypoint_pck_accuracy(pred, gt, mask, 0.4, normalize)
    np.testing.assert_allclose(acc, [1., 0., -1.])
    assert avg == 0.5 and cnt == 2
    # Non-positive normalisation ignores the distance (as 1e6); the caller's
    # array is left alone.
    zeros = np.zeros((1, 2), dtype=np.float32)
    acc, _, _ = keypoint_pck_accuracy(pred, gt, mask, 0.4, zeros)
    np.testing.assert_allclose(acc, [1., 1., -1.])
    np.testing.assert_array_equal(zeros, 0)
    assert keypoint_epe(pred, gt, mask) == pytest.approx(2.5)
    # PCK at thresholds 0, 0.05, ..., 0.95 of 10 px: keypoint 0 (distance 0)
    # passes from 0.05 on, keypoint 1 (distance 5) from 0.55 on.
    auc = keypoint_auc(pred, gt, mask, 10.)
    assert auc == pytest.approx((19 * 0.5 + 9 * 0.5) / 20)


def test_pose_pck_accuracy():
    output = np.zeros((1, 4, 64, 48), dtype=np.float32)
    target = np.zeros_like(output)
    target[0, :, 20, 10] = 1  # every target peak at x=10, y=20
    output[0, 0, 20, 13] = 1  # 3 px off in x
    output[0, 1, 23, 10] = 1  # 3 px off in y
    output[0, 2, 40, 10] = 1  # 20 px off in y
    output[0, 3, 20, 10] = 1  # on target
    acc, avg, cnt = pose_pck_accuracy(output, target, np.ones((1, 4), bool),
                                      thr=0.05)
    # 0.x divides the (x, y) offsets by normalize = [H, W] = [64, 48]:
    # 3 / 64 = 0.047 < 0.05 is a hit, 3 / 48 = 0.0625 and 20 / 48 are
    # misses (dividing x by W and y by H would swap the first two).
    np.testing.assert_allclose(acc, [1., 0., 0., 1.])
    assert avg == 0.5 and cnt == 4
    # An explicit normalize is used as given: [48, 64] swaps them.
    acc, _, _ = pose_pck_accuracy(output, target, np.ones((1, 4), bool),
                                  thr=0.05, normalize=np.array([[48, 64]]))
    np.testing.assert_allclose(acc, [0., 1., 0., 1.])


@needs_golden
@pytest.mark.parametrize('suffix,kwargs', [
    ('none', dict(post_process=None)),
    ('default', dict(post_process='default')),
    ('unbiased', dict(post_process='unbiased', kernel=11)),
    ('megvii', dict(post_process='megvii', kernel=11)),
    ('udp', dict(post_process='default', use_udp=True)),
])
def test_keypoints_from_heatmaps_golden(suffix, kwargs):
    g = np.load(GOLDEN / 'keypoints_from_heatmaps.npz')
    preds, maxvals = keypoints_from_heatmaps(g['in_heatmaps'],
                                             g['in_center'], g['in_scale'],
                                             **kwargs)
    np.testing.assert_allclose(preds, g[f'out_preds_{suffix}'], **TOL)
    np.testing.assert_allclose(maxvals, g[f'out_maxvals_{suffix}'], **TOL)


@needs_golden
def test_keypoints_from_heatmaps_combined_golden():
    g = np.load(GOLDEN / 'keypoints_from_heatmaps_combined.npz')
    preds, maxvals = keypoints_from_heatmaps(
        g['in_heatmaps'], g['in_center'], g['in_scale'],
        post_process='default', use_udp=True, target_type='CombinedTarget',
        valid_radius_factor=0.0546875)
    np.testing.assert_allclose(preds, g['out_preds'], **TOL)
    np.testing.assert_allclose(maxvals, g['out_maxvals'], **TOL)
    # The same image three times in a batch decodes three times the same.
    batch = np.repeat(g['in_heatmaps'], 3, axis=0)
    preds, _ = keypoints_from_heatmaps(
        batch, np.repeat(g['in_center'], 3, 0),
        np.repeat(g['in_scale'], 3, 0), use_udp=True,
        target_type='CombinedTarget')
    np.testing.assert_allclose(preds, np.repeat(g['out_preds'], 3, 0), **TOL)


@needs_golden
def test_keypoints_from_regression_golden():
    g = np.load(GOLDEN / 'keypoints_from_regression.npz')
    preds, maxvals = keypoints_from_regression(
        g['in_regression'], g['in_center'], g['in_scale'], [192, 256])
    np.testing.assert_allclose(preds, g['out_preds'], **TOL)
    np.testing.assert_allclose(maxvals, g['out_maxvals'], **TOL)


@needs_golden
def test_keypoint_metrics_golden():
    g = np.load(GOLDEN / 'keypoint_metrics.npz')
    acc, avg, cnt = keypoint_pck_accuracy(g['in_pred'], g['in_gt'],
                                          g['in_mask'], 0.1,
                                          g['in_normalize'])
    np.testing.assert_allclose(acc, g['out_pck_acc'], **TOL)
    np.testing.assert_allclose(avg, g['out_pck_avg'], **TOL)
    assert cnt == g['out_pck_cnt']
    np.testing.assert_allclose(
        keypoint_auc(g['in_pred'], g['in_gt'], g['in_mask'], 30.0),
        g['out_auc_norm30'], **TOL)
    np.testing.assert_allclose(
        keypoint_epe(g['in_pred'], g['in_gt'], g['in_mask']), g['out_epe'],
        **TOL)


@needs_golden
def test_pose_pck_accuracy_golden():
    g = np.load(GOLDEN / 'pose_pck_accuracy.npz')
    acc, avg, cnt = pose_pck_accuracy(g['in_output'], g['in_target'],
                                      g['in_mask'], thr=0.05)
    np.testing.assert_allclose(acc, g['out_acc'], **TOL)
    np.testing.assert_allclose(avg, g['out_avg'], **TOL)
    assert cnt == g['out_cnt']


@needs_golden
def test_pose_pck_accuracy_near_golden():
    # Peaks 1-4 px off: hits and misses mixed, some decided by which of
    # H and W normalises x (the first file expects all zeros).
    g = np.load(GOLDEN / 'pose_pck_accuracy_near.npz')
    acc, avg, cnt = pose_pck_accuracy(g['in_output'], g['in_target'],
                                      g['in_mask'], thr=0.05)
    assert 0 < g['out_avg'] < 1
    np.testing.assert_allclose(acc, g['out_acc'], **TOL)
    np.testing.assert_allclose(avg, g['out_avg'], **TOL)
    assert cnt == g['out_cnt']
