"""Native PoseTrack mAP on hand-made frames whose AP is derived by hand."""
import numpy as np
import pytest

from mmpose.core.evaluation.posetrack_eval import posetrack_map, voc_ap
from mmpose.utils import ArgumentError

J = 15


def person(y, shift0=0.0):
    kpts = np.stack([np.arange(J) * 10.0, np.full(J, float(y))], axis=1)
    kpts[0, 0] += shift0
    return kpts


def frames():
    """Frame A: people at y=0 and y=500 (head boxes 30 x 40, so a joint is
    correct within 0.5 * 0.6 * 50 = 15 px), predicted with scores 0.9
    (exact) and 0.6 (joint 0 off by 20 px). Frame B: one person at y=0
    whose joint 0 is unlabelled, predicted exactly (0.8), plus a false
    person far away (0.7)."""
    head = [0, 0, 30, 40]
    visible_b = np.ones(J, dtype=bool)
    visible_b[0] = False
    gt = [
        dict(keypoints=np.stack([person(0), person(500)]),
             visible=np.ones((2, J), dtype=bool),
             head_boxes=np.array([head, head])),
        dict(keypoints=person(0)[None], visible=visible_b[None],
             head_boxes=np.array([head])),
    ]
    pred = [
        dict(keypoints=np.stack([person(0), person(500, shift0=20)]),
             scores=np.array([[0.9] * J, [0.6] * J])),
        dict(keypoints=np.stack([person(0), person(1000)]),
             scores=np.array([[0.8] * J, [0.7] * J])),
    ]
    return gt, pred


def test_posetrack_map_by_hand():
    info = posetrack_map(*frames())
    assert [name for name, _ in info] == [
        'Head AP', 'Shou AP', 'Elb AP', 'Wri AP', 'Hip AP', 'Knee AP',
        'Ankl AP', 'Total AP'
    ]
    values = dict(info)
    # joints 1..14: TP 0.9, TP 0.8, FP 0.7, TP 0.6 of 3 labels:
    # AP = 1/3 * 1 + 1/3 * 1 + 1/3 * 3/4 = 11/12
    other = 100 * 11 / 12
    # joint 0 (right ankle): TP 0.9, then 0.8 (unlabelled), 0.7 (nobody)
    # and 0.6 (20 px off) are false, of 2 labels: AP = 1/2
    assert values['Head AP'] == pytest.approx(other)
    assert values['Wri AP'] == pytest.approx(other)
    assert values['Ankl AP'] == pytest.approx((50 + other) / 2)
    assert values['Total AP'] == pytest.approx((50 + 14 * other) / 15)


def test_perfect_and_empty_frames():
    gt, pred = frames()
    perfect = [
        dict(keypoints=g['keypoints'], scores=np.ones(g['visible'].shape))
        for g in gt
    ]
    values = dict(posetrack_map(gt, perfect))
    assert values['Total AP'] == pytest.approx(100)
    # a frame without predictions only adds missed labels
    gt.append(dict(keypoints=person(0)[None], visible=np.ones((1, J), bool),
                   head_boxes=np.array([[0, 0, 30, 40]])))
    perfect.append(dict(keypoints=np.zeros((0, J, 2)),
                        scores=np.zeros((0, J))))
    values = dict(posetrack_map(gt, perfect))
    # joints 1..14: 3 of 4 labels found with precision 1 -> 75
    assert values['Head AP'] == pytest.approx(75)
    with pytest.raises(ArgumentError, match='one prediction entry'):
        posetrack_map(gt, perfect[:1])


def test_voc_ap():
    # precision is the running maximum from the right
    assert voc_ap(np.array([0.5, 0.5, 1.0]),
                  np.array([1.0, 0.5, 2 / 3])) == pytest.approx(
                      0.5 + 0.5 * 2 / 3)
