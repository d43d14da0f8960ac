import math

import numpy as np
import pytest

from mmpose.core.post_processing import OneEuroFilter
from mmpose.core.post_processing.one_euro_filter import (
    exponential_smoothing, smoothing_factor)
from mmpose.utils import ArgumentError


def _reference_step(x, x_prev, dx_prev, min_cutoff=1.7, beta=0.3,
                    d_cutoff=30.0, t_e=1.0):
    """One filter step for one scalar, written from the paper's formulas."""
    def alpha(cutoff):
        tau = 1.0 / (2 * math.pi * cutoff)
        return 1.0 / (1.0 + tau / t_e)

    dx = (x - x_prev) / t_e
    dx_hat = alpha(d_cutoff) * dx + (1 - alpha(d_cutoff)) * dx_prev
    a = alpha(min_cutoff + beta * abs(dx_hat))
    return a * x + (1 - a) * x_prev, dx_hat


def test_helpers_by_hand():
    # r = 2 pi * 1 * 0.5 = pi -> pi / (pi + 1)
    assert smoothing_factor(0.5, 1.0) == pytest.approx(math.pi / (math.pi + 1))
    assert exponential_smoothing(0.25, 8.0, 4.0) == pytest.approx(5.0)


def test_filter_matches_scalar_reference_over_a_sequence():
    seq = np.array([[[10., 20.]], [[12., 20.]], [[15., 19.]], [[15., 25.]]])
    filt = OneEuroFilter(seq[0])
    state = [(seq[0, 0, j], 0.0) for j in range(2)]
    for x in seq[1:]:
        out = filt(x)
        for j in range(2):
            value, dx_hat = _reference_step(x[0, j], *state[j])
            state[j] = (value, dx_hat)
            assert out[0, j] == pytest.approx(value, rel=1e-6)


def test_first_step_by_hand():
    filt = OneEuroFilter(np.array([[10., 20.]]))
    out = filt(np.array([[12., 20.]]))
    a_d = 60 * math.pi / (60 * math.pi + 1)
    r = 2 * math.pi * (1.7 + 0.3 * 2 * a_d)
    a = r / (r + 1)
    assert out[0, 0] == pytest.approx(a * 12 + (1 - a) * 10)
    assert out[0, 1] == pytest.approx(20.0)


def test_fps_none_counts_frames_not_wall_clock(monkeypatch):
    """0.14 bug fix: fps=None gave machine-speed dependent output."""
    import time
    clock = iter([0.0, 0.5, 7.0, 100.0] * 4)
    monkeypatch.setattr(time, 'time', lambda: next(clock))
    seq = np.random.RandomState(0).uniform(1, 100, (5, 17, 2))
    out_none, out_30, out_60 = [], [], []
    for fps, out in ((None, out_none), (30, out_30), (60, out_60)):
        filt = OneEuroFilter(seq[0], fps=fps)
        out.extend(filt(x) for x in seq[1:])
    np.testing.assert_allclose(out_none, out_30)
    assert not np.allclose(out_none, out_60)


def test_missing_keypoints_are_minus_ten():
    filt = OneEuroFilter(np.array([[5., 5.], [6., 6.]]))
    out = filt(np.array([[5., 0.], [-1., 6.]]))
    assert out[0, 1] == -10 and out[1, 0] == -10
    assert out[0, 0] == pytest.approx(5.0) and out[1, 1] == pytest.approx(6.)


def test_argument_checks():
    filt = OneEuroFilter(np.zeros((17, 2)))
    with pytest.raises(ArgumentError, match='shape'):
        filt(np.zeros((16, 2)))
    with pytest.raises(AssertionError):
        filt(np.zeros((17, 2)), t_e=0)
    with pytest.raises(ArgumentError, match='fps'):
        OneEuroFilter(np.zeros((17, 2)), fps=0)
