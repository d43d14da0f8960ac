"""PoseTrack multi-person pose mAP, computed natively as ``poseval``
(``evaluateAP``) defines it; MMPose 0.14 needed the poseval package, which is
not on PyPI.

Per labelled frame, predicted and ground-truth people are matched one to
one by the Hungarian method on PCKh (each predicted person's fraction of a
ground-truth person's labelled joints within ``thr`` of its head size, the
head size being 0.6 x the head box diagonal). Every predicted joint is then
a detection scored by its keypoint score, true when its person is matched
and the joint lies within the threshold; a joint that the matched person
has no label for is not judged (as in MPII's multi-person evaluation),
every joint of an unmatched prediction is false. AP per joint is the area
under the interpolated precision / recall curve (VOC all-point), in
percent.
"""
import numpy as np

from mmpose.utils import check

#: poseval's 15 joints, as indexes into PoseTrack18's 17 COCO-ordered
#: keypoints (its ears are never labelled): right ankle, knee, hip, left
#: hip, knee, ankle, right wrist, elbow, shoulder, left shoulder, elbow,
#: wrist, neck (head_bottom), nose, head top.
POSEVAL_FROM_POSETRACK18 = (16, 14, 12, 11, 13, 15, 10, 8, 6, 5, 7, 9, 1, 0,
                            2)
#: Rows of poseval's table: (name, poseval joint ids averaged).
_ROWS = (('Head AP', (14, 12, 13)), ('Shou AP', (8, 9)), ('Elb AP', (7, 10)),
         ('Wri AP', (6, 11)), ('Hip AP', (2, 3)), ('Knee AP', (1, 4)),
         ('Ankl AP', (0, 5)))


def voc_ap(recall, precision):
    """Area under the interpolated precision / recall curve (VOC
    all-point).

    Args:
        recall (np.ndarray[M]): Recall after each detection, rising.
        precision (np.ndarray[M]): Precision after each detection.

    Returns:
        float: AP in [0, 1].
    """
    mrec = np.concatenate([[0.], recall, [1.]])
    mpre = np.concatenate([[0.], precision, [0.]])
    mpre = np.maximum.accumulate(mpre[::-1])[::-1]
    steps = np.nonzero(mrec[1:] != mrec[:-1])[0] + 1
    return float(np.sum((mrec[steps] - mrec[steps - 1]) * mpre[steps]))


def _match_frame(gt, pred, thr):
    """Detections of one frame: scores, labels and whether each counts
    (np.ndarray[Q, J] each), and the labelled ground-truth joints per joint
    (np.ndarray[J])."""
    from scipy.optimize import linear_sum_assignment
    gt_kpts = np.asarray(gt['keypoints'], dtype=np.float64).reshape(
        -1, len(POSEVAL_FROM_POSETRACK18), 2)
    visible = np.asarray(gt['visible'], dtype=bool).reshape(gt_kpts.shape[:2])
    pred_kpts = np.asarray(pred['keypoints'], dtype=np.float64).reshape(
        -1, gt_kpts.shape[1], 2)
    scores = np.asarray(pred['scores'], dtype=np.float64).reshape(
        pred_kpts.shape[:2])
    labels = np.zeros(scores.shape)
    counted = np.ones(scores.shape, dtype=bool)
    if len(gt_kpts) and len(pred_kpts):
        boxes = np.asarray(gt['head_boxes'], dtype=np.float64).reshape(-1, 4)
        head = 0.6 * np.linalg.norm(boxes[:, 2:] - boxes[:, :2], axis=1)
        dist = np.linalg.norm(
            pred_kpts[:, None] - gt_kpts[None], axis=-1) / head[None, :, None]
        match = (dist <= thr) & visible[None]
        num_gt = visible.sum(axis=1)
        pck = match.sum(axis=2) / np.maximum(num_gt, 1)[None]
        rows, cols = linear_sum_assignment(-pck)
        labels[rows] = match[rows, cols]
        # joints the matched person has no label for are not judged
        counted[rows] = visible[cols]
    return scores, labels, counted, visible.sum(axis=0)


def posetrack_map(gt_frames, pred_frames, thr=0.5):
    """PoseTrack mAP of predictions on labelled frames.

    Note:
        people in a frame: P (ground truth), Q (predicted)
        joints: J (15, poseval's order; see ``POSEVAL_FROM_POSETRACK18``)

    Args:
        gt_frames (list[dict]): Per frame ``keypoints`` (np.ndarray[P, J,
            2]), ``visible`` (np.ndarray[P, J], bool) and ``head_boxes``
            (np.ndarray[P, 4], x1, y1, x2, y2).
        pred_frames (list[dict]): Per frame, in the same order,
            ``keypoints`` (np.ndarray[Q, J, 2]) and ``scores``
            (np.ndarray[Q, J]).
        thr (float): PCKh threshold of a correct joint. Default: 0.5.

    Returns:
        list[tuple[str, float]]: 'Head AP' (head top, neck, nose), 'Shou
        AP', 'Elb AP', 'Wri AP', 'Hip AP', 'Knee AP', 'Ankl AP' (left and
        right averaged) and 'Total AP' (mean over the 15 joints), in
        percent; a joint without labels has AP NaN and is left out of the
        means.
    """
    check(
        len(gt_frames) == len(pred_frames),
        f'need one prediction entry per ground-truth frame: '
        f'{len(gt_frames)} frames, {len(pred_frames)} predictions')
    num_joints = len(POSEVAL_FROM_POSETRACK18)
    per_frame = [_match_frame(gt, pred, thr)
                 for gt, pred in zip(gt_frames, pred_frames)]
    scores, labels, counted = (np.concatenate(
        [frame[i] for frame in per_frame]).reshape(-1, num_joints)
                               for i in range(3))
    num_pos = np.sum([frame[3] for frame in per_frame], axis=0)
    ap = np.full(num_joints, np.nan)
    for j in np.nonzero(num_pos)[0]:
        order = np.argsort(-scores[counted[:, j], j], kind='stable')
        label = labels[counted[:, j], j][order]
        tp = np.cumsum(label)
        fp = np.cumsum(1 - label)
        ap[j] = 100 * voc_ap(tp / num_pos[j], tp / np.maximum(tp + fp, 1e-12))

    def mean(values):
        values = values[~np.isnan(values)]
        return float(values.mean()) if len(values) else float('nan')

    info = [(name, mean(ap[list(ids)])) for name, ids in _ROWS]
    info.append(('Total AP', mean(ap)))
    return info
