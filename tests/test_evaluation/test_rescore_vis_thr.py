"""The rescoring before OKS NMS at its threshold: a keypoint counts only when
its score is above ``vis_thr``, compared in float64 as in MMPose 0.x.

(``TopDownCocoDataset.evaluate`` and the other COCO-style datasets rescore
through :func:`rescore_and_nms`.)
"""
import numpy as np
import pytest

from mmpose.core.evaluation.coco_eval import (rescore_and_nms,
                                              rescore_instances)


def _person(scores, box_score=0.5, dtype=np.float64, offset=0.):
    scores = np.asarray(scores, dtype=dtype)
    xy = np.arange(2 * len(scores), dtype=dtype).reshape(-1, 2) * 9 + offset
    return dict(
        keypoints=np.concatenate([xy, scores[:, None]], axis=1),
        score=box_score,
        area=1000.)


def test_score_equal_to_vis_thr_does_not_count():
    person = _person([0.2, 0.6, 0.1])
    rescore_instances([person], vis_thr=0.2)
    # Only 0.6 is above 0.2: 0.5 * 0.6.
    assert person['score'] == pytest.approx(0.3, abs=1e-12)


def test_float32_score_at_vis_thr_counts_in_float64():
    # float32(0.2) = 0.2000000030 > 0.2 in float64 (in float32 the two are
    # equal and it would not count).
    person = _person([0.2, 0.6, 0.1], dtype=np.float32)
    rescore_instances([person], vis_thr=0.2)
    expected = 0.5 * (float(np.float32(0.2)) + float(np.float32(0.6))) / 2
    assert person['score'] == pytest.approx(expected, rel=1e-12)


def test_no_keypoint_above_vis_thr_scores_zero():
    person = _person([0.2, 0.2, 0.1])
    rescore_instances([person], vis_thr=0.2)
    assert person['score'] == 0


def test_rescore_and_nms_at_the_thresholds():
    # Image 0: two copies of one person; image 1: one person whose keypoint
    # scores all equal vis_thr.
    copies = [_person([0.9] * 17, 0.8), _person([0.6] * 17, 0.9)]
    alone = [_person([0.2] * 17, 0.7, offset=500.)]
    kept = rescore_and_nms([copies, alone], vis_thr=0.2, oks_thr=0.9)
    # 0.8 * 0.9 = 0.72 beats 0.9 * 0.6 = 0.54; the copy (OKS 1) goes.
    assert [p['score'] for p in kept[0]] == pytest.approx([0.72])
    assert [p['score'] for p in kept[1]] == [0]
    # At oks_thr=1.0 an OKS of exactly 1 is not above it: both stay.
    copies = [_person([0.9] * 17, 0.8), _person([0.6] * 17, 0.9)]
    kept = rescore_and_nms([copies], vis_thr=0.2, oks_thr=1.0)
    assert [p['score'] for p in kept[0]] == pytest.approx([0.72, 0.54])
