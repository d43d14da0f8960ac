from pathlib import Path

import numpy as np
import pytest

from mmpose.core.evaluation import compute_similarity_transform, keypoint_mpjpe

GOLDEN = Path(__file__).resolve().parents[2] / '..' / 'shared' / 'golden'
needs_golden = pytest.mark.skipif(
    not GOLDEN.is_dir(), reason='golden files absent')


def _rotation(angle, axis):
    c, s = np.cos(angle), np.sin(angle)
    i, j = [a for a in range(3) if a != axis]
    rot = np.eye(3)
    rot[i, i], rot[i, j], rot[j, i], rot[j, j] = c, -s, s, c
    return rot


def test_compute_similarity_transform_recovers_similarity():
    rng = np.random.RandomState(0)
    target = rng.randn(10, 3)
    rot = _rotation(0.7, 2) @ _rotation(-0.3, 0)
    # source = (target - t) R / s, so aligning source gives target back.
    source = (target - [1., 2., 3.]) @ rot / 2.5
    np.testing.assert_allclose(
        compute_similarity_transform(source, target), target, atol=1e-10)


def test_compute_similarity_transform_avoids_reflection():
    rng = np.random.RandomState(1)
    target = rng.randn(8, 3)
    mirrored = target * [-1, 1, 1]
    aligned = compute_similarity_transform(mirrored, target)
    # A proper rotation cannot undo a mirror image.
    assert np.abs(aligned - target).max() > 0.1
    with pytest.raises(AssertionError):
        compute_similarity_transform(target[:, :2], target[:, :2])


def test_keypoint_mpjpe_alignments():
    rng = np.random.RandomState(2)
    gt = rng.randn(3, 6, 3)
    mask = np.ones((3, 6), dtype=bool)
    pred = gt + [3., 4., 0.]
    assert keypoint_mpjpe(pred, gt, mask) == pytest.approx(5.)
    assert keypoint_mpjpe(gt * 2, gt, mask, 'scale') == pytest.approx(
        0., abs=1e-10)
    rotated = gt @ _rotation(1.1, 1).T * 0.5 + 7.
    assert keypoint_mpjpe(rotated, gt, mask, 'procrustes') == pytest.approx(
        0., abs=1e-10)
    # Only visible keypoints count.
    pred = gt.copy()
    pred[:, 0] += 100.
    mask[:, 0] = False
    assert keypoint_mpjpe(pred, gt, mask) == pytest.approx(0.)
    with pytest.raises(ValueError):
        keypoint_mpjpe(pred, gt, mask, alignment='rigid')


@needs_golden
@pytest.mark.parametrize('alignment', ['none', 'scale', 'procrustes'])
def test_keypoint_mpjpe_golden(alignment):
    g = np.load(GOLDEN / 'keypoint_mpjpe.npz')
    np.testing.assert_allclose(
        keypoint_mpjpe(g['in_pred'], g['in_gt'], g['in_mask'], alignment),
        g[f'out_{alignment}'],
        rtol=1e-5,
        atol=1e-5)
