import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

from mmpose.core.post_processing import oks_iou, oks_nms, soft_oks_nms

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / '..' / 'shared' / 'golden'
needs_golden = pytest.mark.skipif(
    not GOLDEN.is_dir(), reason='golden files absent')


def _load_benchmark():
    """The per-pair Python reference lives with the benchmark."""
    spec = importlib.util.spec_from_file_location(
        'benchmark_nms', REPO / 'tools' / 'benchmark_nms.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _instance(xy, score, area=100., vis=1.):
    xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    kpts = np.concatenate([xy, np.full((len(xy), 1), vis)], axis=1)
    return dict(keypoints=kpts, score=score, area=area)


def test_oks_iou_hand_derived():
    # One keypoint, sigma 0.5 -> variance (2 * 0.5)**2 = 1; areas 1:
    # e = d^2 / 1 / (1 + eps) / 2, so a squared distance of 2 gives exp(-1).
    g = np.array([0., 0., 1.])
    d = np.array([[0., 0., 1.], [1., 1., 1.], [2., 0., 1.]])
    ious = oks_iou(g, d, 1., np.ones(3), sigmas=np.array([0.5]))
    assert ious.dtype == np.float32
    np.testing.assert_allclose(ious, [1., math.exp(-1), math.exp(-2)],
                               rtol=1e-6)


def test_oks_iou_default_sigmas_and_vis_thr():
    rng = np.random.RandomState(0)
    g = np.concatenate([rng.rand(17, 2) * 50, np.ones((17, 1))], 1)
    d = g.copy()
    d[0, :2] += 1000  # far off, and...
    d[0, 2] = 0.  # ...invisible: ignored with vis_thr
    ious = oks_iou(g.ravel(), d.ravel()[None], 500., np.array([500.]))
    np.testing.assert_allclose(ious, [16 / 17], rtol=1e-6)
    ious = oks_iou(g.ravel(), d.ravel()[None], 500., np.array([500.]),
                   vis_thr=0.5)
    np.testing.assert_allclose(ious, [1.], rtol=1e-6)
    # The ground truth's visibility counts as well as the detection's.
    g[1, 2] = 0.
    d[1, :2] += 1000
    ious = oks_iou(g.ravel(), d.ravel()[None], 500., np.array([500.]),
                   vis_thr=0.5)
    np.testing.assert_allclose(ious, [1.], rtol=1e-6)
    # No keypoint visible in both: 0.
    ious = oks_iou(g.ravel(), d.ravel()[None], 500., np.array([500.]),
                   vis_thr=2.)
    np.testing.assert_array_equal(ious, [0.])


def test_vis_thr_decides_in_float64():
    # 0.3 is not a float32 number: in float32, 0.3f > 0.3f is False, but the
    # float64 comparison of float32(0.3) = 0.30000001 > 0.3 is True.
    g = np.array([0., 0., np.float32(0.3)], dtype=np.float32)
    d = np.array([[0., 0., np.float32(0.3)]], dtype=np.float32)
    ious = oks_iou(g, d, 1., np.ones(1), sigmas=np.array([0.5]), vis_thr=0.3)
    np.testing.assert_array_equal(ious, [1.])
    # A float64 visibility equal to vis_thr is not above it: no keypoint
    # counts, so the OKS is 0.
    ious = oks_iou(np.array([0., 0., 0.3]), np.array([[0., 0., 0.3]]), 1.,
                   np.ones(1), sigmas=np.array([0.5]), vis_thr=0.3)
    np.testing.assert_array_equal(ious, [0.])


def test_oks_nms_keeps_distinct_and_suppresses_duplicates():
    base = np.arange(10).reshape(5, 2) * 10.
    kpts_db = [
        _instance(base, 0.9),
        _instance(base + 0.1, 0.95),  # a near duplicate with a higher score
        _instance(base + 300, 0.5),
    ]
    keep = oks_nms(kpts_db, 0.9, sigmas=np.full(5, 0.1))
    np.testing.assert_array_equal(keep, [1, 2])
    assert oks_nms([], 0.9) == []


def test_soft_oks_nms_rescores_and_caps():
    base = np.arange(10).reshape(5, 2) * 10.
    kpts_db = [
        _instance(base, 0.9),
        _instance(base + 0.1, 0.95),
        _instance(base + 300, 0.5),
    ]
    # The duplicate's score decays to ~0.9 * exp(-1 / 0.3) < 0.5, so the
    # distinct instance comes second.
    keep = soft_oks_nms(kpts_db, 0.3, sigmas=np.full(5, 0.1))
    np.testing.assert_array_equal(keep, [1, 2, 0])
    np.testing.assert_array_equal(
        soft_oks_nms(kpts_db, 0.3, max_dets=2, sigmas=np.full(5, 0.1)),
        [1, 2])
    assert soft_oks_nms([], 0.3) == []


@pytest.mark.parametrize('seed', [0, 1])
def test_nms_matches_per_pair_reference(seed):
    bench = _load_benchmark()
    kpts_db = bench.random_detections(40, seed)
    assert list(oks_nms(kpts_db, 0.9)) == bench.reference_oks_nms(
        kpts_db, 0.9)
    assert list(oks_nms(kpts_db, 0.5, vis_thr=0.3)) == \
        bench.reference_oks_nms(kpts_db, 0.5, vis_thr=0.3)
    assert list(soft_oks_nms(kpts_db, 0.3, max_dets=15)) == \
        bench.reference_soft_oks_nms(kpts_db, 0.3, max_dets=15)


def _golden_db(name):
    g = np.load(GOLDEN / name)
    return g, [
        dict(keypoints=g['in_keypoints'][i], score=g['in_scores'][i],
             area=g['in_areas'][i]) for i in range(len(g['in_scores']))
    ]


@needs_golden
def test_oks_nms_golden():
    g, kpts_db = _golden_db('oks_nms.npz')
    np.testing.assert_array_equal(oks_nms(kpts_db, 0.9), g['out_keep_thr0p9'])
    np.testing.assert_array_equal(
        soft_oks_nms(kpts_db, 0.3), g['out_keep_soft_thr0p3'])


@needs_golden
@pytest.mark.parametrize('thr', ['0p5', '0p7', '0p9'])
def test_oks_nms_clustered_golden(thr):
    # 6 people with 5 near-duplicate detections each: suppression happens at
    # every threshold, and differently at each.
    g, kpts_db = _golden_db('oks_nms_clustered.npz')
    keep = g[f'out_keep_thr{thr}']
    assert len(keep) < len(kpts_db)
    np.testing.assert_array_equal(
        oks_nms(kpts_db, float(thr.replace('p', '.'))), keep)
    np.testing.assert_array_equal(
        soft_oks_nms(kpts_db, float(thr.replace('p', '.'))),
        g[f'out_keep_soft_thr{thr}'])


def test_identical_instances_survive_thr_1():
    # OKS of identical instances is exactly 1, and NMS keeps overlaps
    # <= thr: at thr=1.0 nothing is suppressed, just below it the copies go.
    xy = np.arange(34.).reshape(17, 2) * 7
    kpts_db = [_instance(xy, score) for score in (0.7, 0.9, 0.8)]
    np.testing.assert_array_equal(oks_nms(kpts_db, 1.0), [1, 2, 0])
    np.testing.assert_array_equal(oks_nms(kpts_db, 0.999), [1])
    # Soft NMS decays a copy by exp(-1 / thr) per kept copy.
    assert list(soft_oks_nms(kpts_db, 1.0)) == [1, 2, 0]
