import math

import numpy as np
import pytest

from mmpose.apis import get_track_id, vis_pose_tracking_result
from mmpose.apis.inference_tracking import _compute_iou, _get_area
from mmpose.core.post_processing import OneEuroFilter

# COCO sigmas, written here for the hand OKS.
COCO_SIGMAS = np.array([
    .26, .25, .25, .35, .35, .79, .79, .72, .72, .62, .62, 1.07, 1.07, .87,
    .87, .89, .89]) / 10.0


def _person(x1, y1, x2, y2, num_visible=17):
    """A person whose 17 keypoints lie on a grid inside the box."""
    xs = np.linspace(x1 + 5, x2 - 5, 17)
    ys = np.linspace(y1 + 5, y2 - 5, 17)
    kpts = np.stack([xs, ys, np.full(17, 0.9)], axis=1)
    kpts[num_visible:] = 0
    return dict(bbox=np.array([x1, y1, x2, y2, 0.99]), keypoints=kpts)


def _shifted(person, dx, dy=0.0):
    moved = {k: np.array(v, dtype=np.float64) for k, v in person.items()
             if k in ('bbox', 'keypoints')}
    moved['bbox'][[0, 2]] += dx
    moved['bbox'][[1, 3]] += dy
    moved['keypoints'][:, 0] += dx
    moved['keypoints'][:, 1] += dy
    return moved


def test_compute_iou_by_hand():
    assert _compute_iou([0, 0, 10, 10], [5, 5, 15, 15]) == pytest.approx(
        25 / 175)
    assert _compute_iou([0, 0, 10, 10, 0.9], [20, 20, 30, 30]) == 0
    with pytest.warns(UserWarning, match='union_area'):
        assert _compute_iou([1, 1, 1, 1], [1, 1, 1, 1]) == 0


def test_get_area_from_box_and_from_keypoints():
    with_box = dict(bbox=np.array([300., 100., 340., 220., 0.9]),
                    keypoints=np.zeros((17, 3)))
    kpts = np.zeros((17, 3))
    kpts[:3, :2] = [[10, 50], [30, 20], [25, 40]]
    without_box = dict(keypoints=kpts)
    _get_area([with_box, without_box])
    assert with_box['area'] == pytest.approx(40 * 120)
    # zeros (missing keypoints) are ignored for the minimum only.
    assert without_box['area'] == pytest.approx((30 - 10) * (50 - 20))
    np.testing.assert_allclose(without_box['bbox'], [10, 20, 30, 50])


def test_iou_tracking_known_ids():
    a, b = _person(0, 0, 100, 200), _person(300, 0, 400, 200)
    frame0, next_id = get_track_id([a, b], [], 0)
    assert [r['track_id'] for r in frame0] == [0, 1] and next_id == 2

    # Listed in the other order, moved by 10 px, plus a newcomer and a
    # far-away person with only 3 keypoints (not a person: blanked).
    c = _person(600, 0, 700, 200)
    few = _person(900, 0, 1000, 200, num_visible=3)
    frame1, next_id = get_track_id(
        [_shifted(b, 10), _shifted(a, 10), c, few], frame0, next_id)
    assert [r['track_id'] for r in frame1] == [1, 0, 2, -1]
    assert next_id == 3
    assert np.all(frame1[3]['keypoints'][:, 1] == -10)
    assert np.all(frame1[3]['bbox'] == 0)

    # A jump with IoU 20 / 180 (< 0.3) starts a new track.
    frame2, next_id = get_track_id([_shifted(a, 90)], frame1, next_id)
    assert _compute_iou(frame1[1]['bbox'], frame2[0]['bbox']) < 0.3
    assert frame2[0]['track_id'] == 3 and next_id == 4


def test_iou_tracking_matches_each_last_person_once():
    a = _person(0, 0, 100, 200)
    frame0, next_id = get_track_id([a], [], 0)
    # Two overlapping candidates: the first takes id 0, the second is new.
    frame1, next_id = get_track_id([_shifted(a, 5), _shifted(a, 10)],
                                   frame0, next_id)
    assert [r['track_id'] for r in frame1] == [0, 1]


def _hand_oks(kpts_a, kpts_b, area_a, area_b):
    d2 = ((kpts_a[:, :2] - kpts_b[:, :2])**2).sum(axis=1)
    e = d2 / (2 * COCO_SIGMAS)**2 / ((area_a + area_b) / 2) / 2
    return float(np.mean(np.exp(-e)))


def test_oks_tracking_by_hand_threshold():
    a = _person(1000, 100, 1200, 500)
    area = 200 * 400
    small, large = 20.0, 80.0
    oks_small = _hand_oks(a['keypoints'], _shifted(a, small)['keypoints'],
                          area, area)
    oks_large = _hand_oks(a['keypoints'], _shifted(a, large)['keypoints'],
                          area, area)
    assert oks_small > 0.5 and oks_large < 0.3

    frame0, next_id = get_track_id([a], [], 0, use_oks=True)
    frame1, next_id = get_track_id([_shifted(a, small)], frame0, next_id,
                                   use_oks=True, tracking_thr=0.3)
    assert frame1[0]['track_id'] == 0
    frame2, next_id = get_track_id([_shifted(frame1[0], large)], frame1,
                                   next_id, use_oks=True, tracking_thr=0.3)
    assert frame2[0]['track_id'] == 1 and next_id == 2


def test_oks_tracking_keeps_sideways_walkers():
    """0.14 bug fix: its box area used wrong box indices, so moving people
    got new ids under OKS tracking; the area must follow the box size only."""
    people = [_person(900, 100, 1100, 500), _person(1300, 80, 1480, 460)]
    results, next_id = get_track_id(people, [], 0, use_oks=True)
    areas = [r['area'] for r in results]
    ids = [0, 1]
    for _ in range(10):
        # Listed in reverse order each frame: ids must follow the people.
        moved = [_shifted(r, 8.0, 1.0) for r in results[::-1]]
        ids, areas = ids[::-1], areas[::-1]
        results, next_id = get_track_id(moved, results, next_id,
                                        use_oks=True)
        assert [r['track_id'] for r in results] == ids
        assert [r['area'] for r in results] == pytest.approx(areas)
    assert next_id == 2


def test_one_euro_refines_matched_tracks_by_frames():
    a = _person(0, 0, 100, 200)
    frames = [_shifted(a, 4 * i, (-1)**i * 3) for i in range(4)]
    raw_last = frames[-1]['keypoints'][:, :2].copy()
    expected_filter = OneEuroFilter(frames[0]['keypoints'][:, :2].copy())
    expected = [frames[0]['keypoints'][:, :2].copy()] + [
        expected_filter(f['keypoints'][:, :2].copy()) for f in frames[1:]]

    results, next_id = [], 0
    for frame, want in zip(frames, expected):
        results, next_id = get_track_id([frame], results, next_id,
                                        use_one_euro=True, fps=None)
        assert results[0]['track_id'] == 0
        np.testing.assert_allclose(results[0]['keypoints'][:, :2], want,
                                   rtol=1e-6)
        assert isinstance(results[0]['one_euro'], OneEuroFilter)
    # Smoothing actually happened: the last frame is not the raw input.
    assert not np.allclose(expected[-1], raw_last)


def test_one_euro_fps_none_equals_fps_30_whatever_the_clock(monkeypatch):
    import time
    ticks = iter(np.arange(1000) * 3.7)
    monkeypatch.setattr(time, 'time', lambda: float(next(ticks)))
    a = _person(0, 0, 100, 200)
    outs = {}
    for fps in (None, 30):
        results, next_id = [], 0
        for i in range(4):
            results, next_id = get_track_id([_shifted(a, 5 * i)], results,
                                            next_id, use_one_euro=True,
                                            fps=fps)
        outs[fps] = results[0]['keypoints'].copy()
    np.testing.assert_allclose(outs[None], outs[30])


def test_vis_pose_tracking_result_colours_by_track(tmp_path):
    img = np.zeros((240, 320, 3), dtype=np.uint8)
    kpts = np.zeros((17, 3))
    kpts[:, 2] = 0.9
    kpts[:, 0] = np.linspace(20, 100, 17)
    kpts[:, 1] = 50
    first = dict(keypoints=kpts.copy(), bbox=np.array([10, 40, 110, 60]),
                 track_id=0)
    kpts[:, 1] = 150
    second = dict(keypoints=kpts.copy(), bbox=np.array([10, 140, 110, 160]),
                  track_id=21)
    out_file = tmp_path / 'vis.jpg'
    drawn = vis_pose_tracking_result(None, img, [first, second],
                                     out_file=str(out_file))
    assert out_file.exists() and img.sum() == 0
    # palette rows 0 and 21 % 20 = 1 of MMPose 0.x, used as BGR values.
    assert tuple(drawn[50, 20]) == (255, 128, 0)
    assert tuple(drawn[150, 20]) == (255, 153, 51)
    assert tuple(drawn[40, 10]) == (255, 128, 0)  # box corner
    assert math.isclose(drawn[100, 200].sum(), 0)
