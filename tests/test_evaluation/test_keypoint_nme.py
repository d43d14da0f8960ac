import numpy as np
import pytest

from mmpose.core.evaluation import keypoint_epe
from mmpose.core.evaluation.top_down_eval import keypoint_nme


def test_keypoint_nme_hand_computed():
    gt = np.zeros((2, 3, 2), dtype=np.float32)
    pred = gt.copy()
    pred[0, 0] = [3, 4]    # distance 5
    pred[0, 1] = [0, 10]   # distance 10
    pred[1, 0] = [6, 8]    # distance 10, but masked out
    pred[1, 2] = [1, 0]    # distance 1
    mask = np.array([[True, True, True], [False, True, True]])
    normalize = np.array([[5., 5.], [2., 2.]])
    # valid normalised distances: 1, 2, 0 (sample 0); 0, 0.5 (sample 1)
    assert keypoint_nme(pred, gt, mask, normalize) == pytest.approx(3.5 / 5)
    # the end-point error is the NME with unit normalisation
    assert keypoint_epe(pred, gt, mask) == pytest.approx((5 + 10 + 1) / 5)


def test_keypoint_nme_no_valid_keypoint():
    pred = np.ones((1, 2, 2))
    mask = np.zeros((1, 2), dtype=bool)
    assert keypoint_nme(pred, pred * 0, mask, np.ones((1, 2))) == 0
