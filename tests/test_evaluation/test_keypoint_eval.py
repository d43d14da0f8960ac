"""Dataset-level keypoint-error metrics on hand-made cases whose values are
derived by hand in the comments."""
import numpy as np
import pytest

from mmpose.core.evaluation.keypoint_eval import (interocular_normalize,
                                                  keypoint_error_metrics,
                                                  mpii_pckh)
from mmpose.utils import ArgumentError


def _two_instances():
    """Two instances of 3 keypoints at the origin; x errors (px) are
    [5, 25, 0] and [5, 15, 9], the last keypoint of instance 1 unlabelled."""
    gts = np.zeros((2, 3, 2))
    preds = gts.copy()
    preds[:, :, 0] = [[5, 25, 0], [5, 15, 9]]
    masks = np.array([[True, True, True], [True, True, False]])
    return preds, gts, masks


def test_keypoint_error_metrics_by_hand():
    preds, gts, masks = _two_instances()
    info = keypoint_error_metrics(
        preds,
        gts,
        masks, ['NME', 'EPE', 'AUC', 'PCKh', 'PCK'],
        bbox_sizes=[100, 50],
        head_sizes=[50, 20],
        nme_normalize=np.array([[10, 10], [5, 5]]))
    # report order is fixed, not the requested one
    assert [name for name, _ in info] == ['PCK', 'PCKh', 'AUC', 'EPE', 'NME']
    values = dict(info)
    # PCK@0.2 of 100 / 50 px = 20 / 10 px: keypoint 0 hits twice, keypoint
    # 1 misses twice (25 > 20, 15 > 10), keypoint 2 hits once -> (1+0+1)/3
    assert values['PCK'] == pytest.approx(2 / 3)
    # PCKh@0.7 of 50 / 20 px = 35 / 14 px: only 15 > 14 misses
    assert values['PCKh'] == pytest.approx((1 + 0.5 + 1) / 3)
    # AUC over t = i/20 of d/30: keypoint 0 (d=1/6, 1/6) hits for i >= 4
    # (16 steps); keypoint 1 (5/6, 1/2) scores 0.5 for i = 11..16 and 1 for
    # 17..19 (6 in all); keypoint 2 (0) hits for i >= 1 (19 steps)
    assert values['AUC'] == pytest.approx((16 + 6 + 19) / 3 / 20)
    # EPE: mean of the 5 labelled errors
    assert values['EPE'] == pytest.approx((5 + 25 + 0 + 5 + 15) / 5)
    # NME: errors / [10, 5] -> 0.5, 2.5, 0, 1, 3
    assert values['NME'] == pytest.approx(7 / 5)
    assert all(isinstance(v, float) for v in values.values())


def test_keypoint_error_metrics_checks():
    preds, gts, masks = _two_instances()
    with pytest.raises(KeyError, match='mAP'):
        keypoint_error_metrics(preds, gts, masks, ['mAP'])
    with pytest.raises(ArgumentError, match='bbox_sizes'):
        keypoint_error_metrics(preds, gts, masks, ['PCK'])
    with pytest.raises(ArgumentError, match='one normalising size'):
        keypoint_error_metrics(preds, gts, masks, ['PCK'], bbox_sizes=[1])
    with pytest.raises(ArgumentError, match=r'\[N, K, 2\]'):
        keypoint_error_metrics(preds, gts[:1], masks, ['EPE'])


def test_interocular_normalize():
    gts = np.zeros((2, 4, 2))
    gts[0, 3] = [3, 4]
    gts[1, 1] = [6, 8]
    gts[1, 3] = [0, 0]
    np.testing.assert_allclose(
        interocular_normalize(gts, 1, 3), [[5, 5], [10, 10]])


MPII_JOINTS = ('rank', 'rkne', 'rhip', 'lhip', 'lkne', 'lank', 'pelv',
               'thrx', 'neck', 'head', 'rwri', 'relb', 'rsho', 'lsho',
               'lelb', 'lwri')


def test_mpii_pckh_by_hand():
    rng = np.random.RandomState(0)
    gt_pos = rng.uniform(0, 300, (2, 16, 2))
    # head sizes: 0.6 * |(30, 40)| = 30 px and 0.6 * |(18, 24)| = 18 px, so
    # PCKh@0.5 allows 15 and 9 px (inclusive)
    headboxes = np.array([[[0, 0], [30, 40]], [[10, 10], [28, 34]]],
                         dtype=np.float64).transpose(1, 2, 0)
    missing = np.zeros((16, 2))
    missing[0, 1] = 1  # rank of person 1 unlabelled
    errors = np.zeros((2, 16))
    errors[:, 9] = [20, 5]  # head: miss, hit -> 50
    errors[:, 13] = [15, 9.5]  # lsho: hit (15 <= 15), miss; rsho 100 -> 75
    errors[:, 15] = [16, 0]  # lwri: miss, hit; rwri 100 -> wrist 75
    errors[:, 4] = [0, 9]  # lkne: 9 <= 9 hits -> knee 100
    errors[:, 5] = [30, 30]  # lank: 0; rank 1 of 1 -> ankle 50
    errors[:, 6:8] = 100  # pelvis and thorax do not count
    errors[0, 11] = 3.15  # relb: 0.105 of the head size
    preds = gt_pos.copy()
    preds[..., 0] += errors
    gt = dict(
        dataset_joints=np.array([MPII_JOINTS]),
        jnt_missing=missing,
        pos_gt_src=gt_pos.transpose(1, 2, 0),
        headboxes_src=headboxes)
    info = mpii_pckh(preds, gt)
    assert [name for name, _ in info] == [
        'Head', 'Shoulder', 'Elbow', 'Wrist', 'Hip', 'Knee', 'Ankle', 'PCKh',
        'PCKh@0.1'
    ]
    values = dict(info)
    expected = dict(
        Head=50, Shoulder=75, Elbow=100, Wrist=75, Hip=100, Knee=100,
        Ankle=50)
    for name, value in expected.items():
        assert values[name] == pytest.approx(value), name
    # 27 counted labels (14 joints x 2 - rank of person 1); 5 misses
    assert values['PCKh'] == pytest.approx(100 * 22 / 27)
    # threshold 0.11 (0.x's row 11): the 3.15 px relb still hits; misses
    # are both heads, both lsho, lwri, both lank and lkne -> 8
    assert values['PCKh@0.1'] == pytest.approx(100 * 19 / 27)


def test_mpii_pckh_checks_shapes():
    gt = dict(
        dataset_joints=np.array([MPII_JOINTS]),
        jnt_missing=np.zeros((16, 2)),
        pos_gt_src=np.zeros((16, 2, 2)),
        headboxes_src=np.ones((2, 2, 2)))
    with pytest.raises(ArgumentError, match='one'):
        mpii_pckh(np.zeros((3, 16, 2)), gt)
