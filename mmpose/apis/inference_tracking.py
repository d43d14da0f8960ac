"""Pose tracking across video frames (MMPose 0.14's greedy IoU / OKS
matching), with two 0.14 bugs fixed:

- 0.14 took the box area that OKS matching normalises by from the wrong
  box indices, so the "size" of a moving person changed from frame to frame
  and OKS tracking gave them new ids. Here it is ``(x2 - x1) * (y2 - y1)``
  of the (left, top, right, bottom) box.
- With ``fps=None`` the One Euro filter (``use_one_euro``) timed frames with
  the wall clock, so results depended on machine speed; here time is the
  frame index (see :class:`mmpose.core.post_processing.OneEuroFilter`).
"""
import warnings

import mmcv
import numpy as np

from mmpose.core.dataset_meta import get_dataset_meta
from mmpose.core.dataset_meta.meta import PALETTE
from mmpose.core.post_processing import OneEuroFilter, oks_iou
from mmpose.core.visualization import imshow_bboxes, imshow_keypoints


def _compute_iou(bboxA, bboxB):
    """Intersection over union of two boxes.

    Args:
        bboxA (Sequence[float]): (left, top, right, bottom, [score]).
        bboxB (Sequence[float]): (left, top, right, bottom, [score]).

    Returns:
        float: The IoU (0 when the union is empty, with a warning).
    """
    x1 = max(bboxA[0], bboxB[0])
    y1 = max(bboxA[1], bboxB[1])
    x2 = min(bboxA[2], bboxB[2])
    y2 = min(bboxA[3], bboxB[3])
    inter_area = max(0, x2 - x1) * max(0, y2 - y1)
    area_a = (bboxA[2] - bboxA[0]) * (bboxA[3] - bboxA[1])
    area_b = (bboxB[2] - bboxB[0]) * (bboxB[3] - bboxB[1])
    union_area = float(area_a + area_b - inter_area)
    if union_area == 0:
        union_area = 1e-5
        warnings.warn('union_area=0 is unexpected')
    return inter_area / union_area


def _take_match(results_last, index, score, thr):
    """Remove and return ``results_last[index]`` when ``score > thr``."""
    if index < 0 or not score > thr:
        return -1, results_last, {}
    match_result = results_last[index]
    del results_last[index]
    return match_result['track_id'], results_last, match_result


def _track_by_iou(res, results_last, thr):
    """Match one person to the previous frame's by box IoU.

    Args:
        res (dict): The person, with 'bbox' (left, top, right, bottom).
        results_last (list[dict]): Unmatched persons of the last frame,
            with 'bbox' and 'track_id'; the matched one is removed.
        thr (float): A match needs an IoU above this.

    Returns:
        tuple: track id (-1 if no match), the remaining ``results_last`` and
        the matched result (``{}`` if none).
    """
    ious = [_compute_iou(res['bbox'], last['bbox']) for last in results_last]
    if not ious:
        return _take_match(results_last, -1, -1, thr)
    # The first maximum wins, as 0.14's strict ``>`` scan.
    index = int(np.argmax(ious))
    return _take_match(results_last, index, ious[index], thr)


def _track_by_oks(res, results_last, thr):
    """Match one person to the previous frame's by OKS (COCO sigmas).

    Args:
        res (dict): The person, with 'keypoints' ``np.ndarray[K, 3]`` and
            'area'.
        results_last (list[dict]): Unmatched persons of the last frame,
            with 'keypoints', 'area' and 'track_id'; the matched one is
            removed.
        thr (float): A match needs an OKS above this.

    Returns:
        tuple: track id (-1 if no match), the remaining ``results_last`` and
        the matched result (``{}`` if none).
    """
    if len(results_last) == 0:
        return _take_match(results_last, -1, -1, thr)
    pose = np.asarray(res['keypoints']).reshape(-1)
    pose_last = np.array(
        [np.asarray(last['keypoints']).reshape(-1) for last in results_last])
    area_last = np.array([last['area'] for last in results_last])
    oks_score = oks_iou(pose, pose_last, res['area'], area_last)
    index = int(np.argmax(oks_score))
    return _take_match(results_last, index, oks_score[index], thr)


def _get_area(results):
    """Add each person's 'area' (and 'bbox' when it has none).

    A person without a box gets the box of its keypoints, ignoring
    coordinates <= 0 for the minimum as 0.14 did.

    Args:
        results (list[dict]): Persons with 'keypoints' and optionally 'bbox'
            (left, top, right, bottom, [score]).

    Returns:
        list[dict]: ``results``, changed in place.
    """
    for result in results:
        if 'bbox' in result:
            bbox = result['bbox']
            # 0.14 used wrong indices here (see the module docstring); the
            # area must not change when a box only moves.
            result['area'] = (bbox[2] - bbox[0]) * (bbox[3] - bbox[1])
            continue
        kpts = np.asarray(result['keypoints'])
        xs, ys = kpts[:, 0], kpts[:, 1]
        xmin = np.min(xs[xs > 0], initial=1e10)
        ymin = np.min(ys[ys > 0], initial=1e10)
        xmax, ymax = np.max(xs), np.max(ys)
        result['area'] = (xmax - xmin) * (ymax - ymin)
        result['bbox'] = np.array([xmin, ymin, xmax, ymax])
    return results


def _temporal_refine(result, match_result, fps=None):
    """Smooth the keypoints of ``result`` with its track's One Euro filter.

    The filter travels with the track: a matched person reuses the one of
    ``match_result``; a new track starts one on its first keypoints.

    Args:
        result (dict): The person, with 'keypoints' ``np.ndarray[K, 3]``
            (x, y smoothed in place).
        match_result (dict): The matched person of the last frame, or {}.
        fps (float | None): Video frame rate (see :class:`OneEuroFilter`).

    Returns:
        dict: ``result`` with 'one_euro'.
    """
    if 'one_euro' in match_result:
        result['keypoints'][:, :2] = match_result['one_euro'](
            result['keypoints'][:, :2])
        result['one_euro'] = match_result['one_euro']
    else:
        result['one_euro'] = OneEuroFilter(result['keypoints'][:, :2],
                                           fps=fps)
    return result


def get_track_id(results,
                 results_last,
                 next_id,
                 min_keypoints=3,
                 use_oks=False,
                 tracking_thr=0.3,
                 use_one_euro=False,
                 fps=None):
    """Get track id for each person instance on the current frame.

    Persons are matched greedily in their order to the unmatched persons of
    the last frame, by box IoU or by OKS (with COCO sigmas), as in 0.14.
    Unmatched persons with more than ``min_keypoints`` non-zero keypoint y
    values start a new track; the others are blanked (keypoint y = -10,
    box zeroed) with track id -1.

    Fixes of 0.14 (see the module docstring): the OKS area uses the right
    box coordinates, and ``fps=None`` times the One Euro filter by frames.

    Note:
        num_keypoints: K

    Args:
        results (list[dict]): The bbox & pose results of the current frame
            (bbox_result, pose_result): 'keypoints' ``np.ndarray[K, 3]`` and
            optionally 'bbox' (left, top, right, bottom, [score]).
        results_last (list[dict]): The bbox & pose & track_id info of the
            last frame (bbox_result, pose_result, track_id). Matched entries
            are removed from it.
        next_id (int): The track id for the new person instance.
        min_keypoints (int): Minimum number of keypoints recognized as
            person. Default: 3.
        use_oks (bool): Flag to using oks tracking. Default: False.
        tracking_thr (float): The threshold for tracking. Default: 0.3.
        use_one_euro (bool): Option to use one-euro-filter. Default: False.
        fps (float | None): Frame rate of a video input; the One Euro filter
            uses it as its derivative cutoff. Default: None.

    Returns:
        tuple:
        - results (list[dict]): The bbox & pose & track_id info of the
          current frame (bbox_result, pose_result, track_id), plus 'area'
          (and 'one_euro' with ``use_one_euro``).
        - next_id (int): The track id for the next new person instance.
    """
    results = _get_area(results)
    _track = _track_by_oks if use_oks else _track_by_iou

    for result in results:
        track_id, results_last, match_result = _track(result, results_last,
                                                      tracking_thr)
        if track_id == -1:
            if np.count_nonzero(result['keypoints'][:, 1]) > min_keypoints:
                result['track_id'] = next_id
                next_id += 1
            else:
                # Too few keypoints for a person: drop it from drawing.
                result['keypoints'][:, 1] = -10
                result['bbox'] = np.asarray(result['bbox']) * 0
                result['track_id'] = -1
        else:
            result['track_id'] = track_id
        if use_one_euro:
            result = _temporal_refine(result, match_result, fps=fps)

    return results, next_id


def vis_pose_tracking_result(model, img, result, kpt_score_thr=0.3,
                             dataset='TopDownCocoDataset', show=False,
                             out_file=None):
    """Visualize the pose tracking results on the image.

    Each person is drawn in one colour, the palette row ``track_id % 20``
    (box, keypoints and links), persons in order, as 0.14 did; the
    skeleton comes from the dataset's metadata.

    Args:
        model (nn.Module): The loaded pose model (unused for drawing; kept
            for the 0.14 signature).
        img (str | np.ndarray): Image filename or loaded BGR image.
        result (list[dict]): The results to draw over img (bbox_result,
            pose_result), each with 'track_id'.
        kpt_score_thr (float): The threshold to visualize the keypoints.
        dataset (str): Dataset name whose skeleton is drawn.
        show (bool): Whether to show the image. Default: False.
        out_file (str | None): The filename of the output visualization
            image.

    Returns:
        np.ndarray[H, W, 3]: The drawn image.
    """
    meta = get_dataset_meta(dataset)
    num_links = len(meta.skeleton)
    img = mmcv.imread(img).copy()
    for res in result:
        colour = np.array(PALETTE[res['track_id'] % len(PALETTE)])
        if 'bbox' in res:
            bbox = np.asarray(res['bbox'], dtype=np.float64)[None, :4]
            img = imshow_bboxes(img, bbox, colors=tuple(colour.tolist()),
                                show=False)
        imshow_keypoints(
            img, [res['keypoints']],
            meta.skeleton,
            kpt_score_thr,
            pose_kpt_color=np.tile(colour, (meta.num_keypoints, 1)),
            pose_link_color=np.tile(colour, (num_links, 1)),
            radius=4,
            thickness=1)
    if show:
        mmcv.imshow(img)
    if out_file is not None:
        mmcv.imwrite(img, out_file)
    return img
