import numpy as np
import pytest

from mmpose.core.post_processing.nms import _rescore, nms


def _reference_nms(dets, thr):
    """Greedy box NMS written pair by pair (inclusive pixel sizes)."""
    order = sorted(range(len(dets)), key=lambda i: -dets[i][4])
    suppressed = set()
    keep = []
    for n, i in enumerate(order):
        if i in suppressed:
            continue
        keep.append(i)
        ax1, ay1, ax2, ay2 = dets[i][:4]
        for j in order[n + 1:]:
            bx1, by1, bx2, by2 = dets[j][:4]
            w = max(0., min(ax2, bx2) - max(ax1, bx1) + 1)
            h = max(0., min(ay2, by2) - max(ay1, by1) + 1)
            inter = w * h
            union = ((ax2 - ax1 + 1) * (ay2 - ay1 + 1) +
                     (bx2 - bx1 + 1) * (by2 - by1 + 1) - inter)
            if inter / union > thr:
                suppressed.add(j)
    return keep


def test_nms_hand_computed():
    dets = np.array([[0, 0, 10, 10, 0.9], [1, 1, 11, 11, 0.8],
                     [20, 20, 30, 30, 0.7], [0, 0, 10, 10, 0.95]])
    # boxes 0 and 1: 11x11 each, overlap 10x10: IoU = 100 / 142 = 0.704
    assert nms(dets[:3], 0.71) == [0, 1, 2]
    assert nms(dets[:3], 0.70) == [0, 2]
    # descending score order; an identical box goes at any threshold < 1
    assert nms(dets, 0.99) == [3, 1, 2]
    assert nms(dets, 1.0) == [3, 0, 1, 2]
    assert nms(np.zeros((0, 5)), 0.5) == []


def test_nms_keeps_overlap_equal_to_thr():
    # 10x10 box and its 10x5 top half: IoU exactly 0.5, kept at thr=0.5
    dets = np.array([[0, 0, 9, 9, 0.9], [0, 0, 9, 4, 0.8]])
    assert nms(dets, 0.5) == [0, 1]
    assert nms(dets, 0.49) == [0]


@pytest.mark.parametrize('thr', [0.3, 0.5, 0.7])
def test_nms_matches_pairwise_reference(thr):
    rng = np.random.default_rng(0)
    # 40 boxes in 5 clusters, so that suppression chains happen
    centres = rng.uniform(0, 200, (5, 2)).repeat(8, axis=0)
    centres += rng.normal(0, 6, centres.shape)
    sizes = rng.uniform(20, 60, (40, 2))
    dets = np.concatenate(
        [centres - sizes / 2, centres + sizes / 2,
         rng.permutation(40)[:, None] / 40.], axis=1)
    keep = nms(dets, thr)
    assert keep == _reference_nms(dets.tolist(), thr)
    assert 5 <= len(keep) < 40
    assert all(isinstance(i, int) for i in keep)


def test_nms_checks_dets():
    with pytest.raises(AssertionError, match='dets'):
        nms(np.zeros((3, 4)), 0.5)


def test_rescore():
    overlap = np.array([0.2, 0.5, 0.9])
    scores = np.array([1.0, 0.8, 0.6])
    # linear: scores of overlaps >= thr drop by the factor (1 - overlap)
    np.testing.assert_allclose(
        _rescore(overlap, scores, 0.5, type='linear'), [1.0, 0.4, 0.06])
    # gaussian: scores * exp(-overlap^2 / thr)
    np.testing.assert_allclose(
        _rescore(overlap, scores, 0.5),
        [np.exp(-0.08), 0.8 * np.exp(-0.5), 0.6 * np.exp(-1.62)])
    with pytest.raises(AssertionError, match='type'):
        _rescore(overlap, scores, 0.5, type='exp')
    with pytest.raises(AssertionError, match='same length'):
        _rescore(overlap, scores[:2], 0.5)
