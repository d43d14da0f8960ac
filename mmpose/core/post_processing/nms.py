"""Box NMS, Object Keypoint Similarity (OKS) and OKS-based non-maximum
suppression.

IoU and OKS are computed one-vs-many as array expressions; the NMS loops run
once per kept instance (a greedy, inherently sequential choice), never per
pair.
"""
import numpy as np

from mmpose.utils import ArgumentError, check
from ..dataset_meta.coco import COCO_META

# Per-keypoint labelling uncertainty of the 17 COCO keypoints (the default).
COCO_SIGMAS = COCO_META.sigmas


def nms(dets, thr):
    """Greedily select boxes with high confidence and overlap <= thr.

    Note:
        Box sizes count pixels inclusively, as in 0.14: a box from x1 to x2
        is ``x2 - x1 + 1`` wide.

    Args:
        dets (np.ndarray[N, 5]): Boxes as (x1, y1, x2, y2, score).
        thr (float): Retain boxes whose IoU with every kept box is <= thr.

    Returns:
        list[int]: Indices of the kept boxes, in descending score order.
    """
    if len(dets) == 0:
        return []
    dets = np.asarray(dets)
    check(dets.ndim == 2 and dets.shape[1] >= 5,
          f'nms: dets must have shape [N, 5], got {dets.shape}')
    x1, y1, x2, y2, scores = dets[:, :5].T
    areas = (x2 - x1 + 1) * (y2 - y1 + 1)
    order = scores.argsort()[::-1]
    keep = []
    while len(order) > 0:
        i = order[0]
        keep.append(int(i))
        rest = order[1:]
        w = np.maximum(0.0,
                       np.minimum(x2[i], x2[rest]) -
                       np.maximum(x1[i], x1[rest]) + 1)
        h = np.maximum(0.0,
                       np.minimum(y2[i], y2[rest]) -
                       np.maximum(y1[i], y1[rest]) + 1)
        inter = w * h
        iou = inter / (areas[i] + areas[rest] - inter)
        order = rest[iou <= thr]
    return keep


def _oks_one_vs_many(g, d, a_g, a_d, sigmas=None, vis_thr=None):
    """OKS of one instance against many, in float64.

    Args:
        g (np.ndarray[K*3]): Flattened (x, y, v) keypoints of one instance.
        d (np.ndarray[M, K*3]): Flattened keypoints of M instances.
        a_g (float): Area of ``g``.
        a_d (np.ndarray[M]): Areas of ``d``.
        sigmas (np.ndarray[K] | None): Keypoint sigmas; COCO's when None.
        vis_thr (float | None): Keypoints count only where both instances
            have visibility > vis_thr.

    Returns:
        np.ndarray[M]: float64 OKS values.
    """
    if sigmas is None:
        sigmas = COCO_SIGMAS
    variances = (np.asarray(sigmas, dtype=np.float64) * 2)**2
    g = np.asarray(g, dtype=np.float64).reshape(-1, 3)
    d = np.asarray(d, dtype=np.float64).reshape(len(d), len(g), 3)
    a_d = np.asarray(a_d, dtype=np.float64).reshape(-1)
    sq_dist = (d[..., 0] - g[:, 0])**2 + (d[..., 1] - g[:, 1])**2
    e = sq_dist / variances / (
        (a_g + a_d[:, None]) / 2 + np.spacing(1)) / 2
    if vis_thr is None:
        return np.exp(-e).mean(axis=1) if e.shape[1] else np.zeros(len(d))
    # The inputs are float64 here, so the threshold decides in float64 as
    # MMPose 0.x did under NumPy 1 (NEP 50 would otherwise use float32).
    vis_thr = np.float64(vis_thr)
    valid = (g[:, 2] > vis_thr) & (d[..., 2] > vis_thr)
    num_valid = valid.sum(axis=1)
    total = np.where(valid, np.exp(-e), 0.).sum(axis=1)
    return np.where(num_valid > 0, total / np.maximum(num_valid, 1), 0.)


def oks_iou(g, d, a_g, a_d, sigmas=None, vis_thr=None):
    """Calculate oks ious.

    Note:
        num_keypoints: K
        num_detections: M

    Args:
        g (np.ndarray[K*3]): Ground truth keypoints (x, y, v) flattened.
        d (np.ndarray[M, K*3]): Detected keypoints.
        a_g (float): Area of the ground truth object.
        a_d (np.ndarray[M]): Area of the detected objects.
        sigmas (np.ndarray[K] | None): standard deviation of keypoint
            labelling. Default: the 17 COCO sigmas.
        vis_thr (float | None): threshold of the keypoint visibility. Only
            keypoints visible (> vis_thr, compared in float64) in both the
            ground truth and the detection count. (MMPose 0.x's
            ``list(a) and list(b)`` only applied the detection's mask.)

    Returns:
        np.ndarray[M]: The oks ious (float32, as in 0.x).
    """
    return _oks_one_vs_many(g, d, a_g, a_d, sigmas,
                            vis_thr).astype(np.float32)


def _unpack_kpts_db(kpts_db):
    scores = np.array([k['score'] for k in kpts_db])
    kpts = np.array([np.asarray(k['keypoints']).flatten() for k in kpts_db])
    areas = np.array([k['area'] for k in kpts_db])
    return scores, kpts, areas


def oks_nms(kpts_db, thr, sigmas=None, vis_thr=None):
    """OKS NMS implementations.

    Args:
        kpts_db (list[dict]): Instances with 'keypoints' (np.ndarray[K, 3]),
            'score' (float) and 'area' (float).
        thr (float): Retain overlap <= thr.
        sigmas (np.ndarray[K] | None): standard deviation of keypoint
            labelling.
        vis_thr (float | None): threshold of the keypoint visibility.

    Returns:
        np.ndarray: indexes to keep, in descending score order.
    """
    if len(kpts_db) == 0:
        return []
    scores, kpts, areas = _unpack_kpts_db(kpts_db)
    order = scores.argsort()[::-1]
    keep = []
    while len(order) > 0:
        i = order[0]
        keep.append(i)
        rest = order[1:]
        oks_ovr = oks_iou(kpts[i], kpts[rest], areas[i], areas[rest], sigmas,
                          vis_thr)
        order = rest[oks_ovr <= thr]
    return np.array(keep)


def _rescore(overlap, scores, thr, type='gaussian'):
    """Decay scores by their overlap with the instance just kept.

    Args:
        overlap (np.ndarray[M]): OKS with the kept instance.
        scores (np.ndarray[M]): Scores of the remaining instances.
        thr (float): 'gaussian': the variance of the decay; 'linear': the
            overlap from which scores decay.
        type (str): 'gaussian' or 'linear'.

    Returns:
        np.ndarray[M]: Rescored scores.
    """
    check(
        len(overlap) == len(scores),
        f'_rescore: overlap ({len(overlap)}) and scores ({len(scores)}) '
        'must have the same length')
    if type == 'linear':
        return np.where(overlap >= thr, scores * (1 - overlap), scores)
    if type == 'gaussian':
        return scores * np.exp(-overlap**2 / thr)
    raise ArgumentError(
        f"_rescore: type must be 'gaussian' or 'linear', got {type!r}")


def soft_oks_nms(kpts_db, thr, max_dets=20, sigmas=None, vis_thr=None):
    """Soft OKS NMS implementations.

    Args:
        kpts_db (list[dict]): Instances with 'keypoints' (np.ndarray[K, 3]),
            'score' (float) and 'area' (float).
        thr (float): retain oks overlap < thr (variance of the Gaussian
            score decay).
        max_dets (int): max number of detections to keep.
        sigmas (np.ndarray[K] | None): Keypoint labelling uncertainty.
        vis_thr (float | None): threshold of the keypoint visibility.

    Returns:
        np.ndarray: indexes to keep.
    """
    if len(kpts_db) == 0:
        return []
    scores, kpts, areas = _unpack_kpts_db(kpts_db)
    order = scores.argsort()[::-1]
    scores = scores[order]
    keep = []
    while len(order) > 0 and len(keep) < max_dets:
        i = order[0]
        keep.append(i)
        order = order[1:]
        oks_ovr = oks_iou(kpts[i], kpts[order], areas[i], areas[order],
                          sigmas, vis_thr)
        scores = _rescore(oks_ovr, scores[1:], thr)
        resort = scores.argsort()[::-1]
        order = order[resort]
        scores = scores[resort]
    return np.array(keep, dtype=np.intp)
