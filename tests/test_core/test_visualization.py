import numpy as np
import pytest

from mmpose.core.visualization import imshow_bboxes, imshow_keypoints


def _canvas():
    return np.zeros((40, 60, 3), dtype=np.uint8)


def test_imshow_keypoints_draws_points_above_threshold_only():
    kpts = np.array([[10, 10, 0.9], [30, 20, 0.1], [50, 30, 0.6]])
    colours = np.array([[0, 0, 255], [0, 255, 0], [255, 0, 0]])
    img = imshow_keypoints(_canvas(), [kpts], pose_kpt_color=colours,
                           radius=2)
    assert tuple(img[10, 10]) == (0, 0, 255)
    assert tuple(img[30, 50]) == (255, 0, 0)
    # The low-score keypoint is skipped.
    assert img[18:23, 28:33].sum() == 0


def test_imshow_keypoints_links_are_one_based_and_thresholded():
    kpts = np.array([[5, 5, 0.9], [25, 5, 0.9], [25, 35, 0.2]])
    img = imshow_keypoints(
        _canvas(), [kpts],
        skeleton=[[1, 2], [2, 3]],
        pose_link_color=np.array([[0, 255, 0], [255, 255, 255]]))
    # Link 1-2 drawn along y=5; link 2-3 has a low score end.
    assert tuple(img[5, 15]) == (0, 255, 0)
    assert img[20, 25].sum() == 0
    # No keypoint colours given: nothing but the link is drawn.
    assert img.sum() == img[5].sum()


def test_imshow_keypoints_threshold_compares_in_float64():
    # 0.3 in float32 is 0.30000001; compared in float32 it would equal the
    # threshold and not be drawn, in float64 it is above it.
    kpts = np.array([[10, 10, 0.3]], dtype=np.float32)
    img = imshow_keypoints(_canvas(), [kpts], kpt_score_thr=0.3,
                           pose_kpt_color=np.array([[9, 9, 9]]), radius=1)
    assert tuple(img[10, 10]) == (9, 9, 9)
    img = imshow_keypoints(_canvas(), [kpts], kpt_score_thr=0.30000002,
                           pose_kpt_color=np.array([[9, 9, 9]]), radius=1)
    assert img.sum() == 0


def test_imshow_keypoints_weight_blends_by_score():
    kpts = np.array([[10, 10, 0.5]])
    img = imshow_keypoints(_canvas(), [kpts],
                           pose_kpt_color=np.array([[200, 200, 200]]),
                           radius=1, show_keypoint_weight=True)
    assert tuple(img[10, 10]) == (100, 100, 100)


def test_imshow_keypoints_colour_count_checked():
    with pytest.raises(AssertionError, match='pose_kpt_color'):
        imshow_keypoints(_canvas(), [np.ones((3, 3))],
                         pose_kpt_color=np.zeros((2, 3)))


def test_imshow_bboxes(tmp_path):
    out = tmp_path / 'boxes.jpg'
    boxes = [np.array([[5, 5, 30, 30, 0.9]]), np.array([[40, 10, 55, 35]])]
    img = imshow_bboxes(_canvas(), boxes, labels=['a', 'b'],
                        colors=['green', (0, 0, 255)], show=False,
                        out_file=str(out))
    assert tuple(img[20, 5]) == (0, 255, 0)
    assert tuple(img[20, 55]) == (0, 0, 255)
    assert out.exists()
    # A single array of boxes is one group.
    img = imshow_bboxes(_canvas(), np.array([[1, 1, 10, 10]]), show=False)
    assert tuple(img[5, 1]) == (0, 255, 0)
