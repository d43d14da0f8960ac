"""Keypoint-error metrics of whole datasets (PCK, PCKh, AUC, EPE, NME and
MPII's PCKh table) as plain functions over stacked arrays."""
import numpy as np

from mmpose.utils import check
from .top_down_eval import (keypoint_auc, keypoint_epe, keypoint_nme,
                            keypoint_pck_accuracy)

#: The metrics :func:`keypoint_error_metrics` computes, in report order.
KEYPOINT_ERROR_METRICS = ('PCK', 'PCKh', 'AUC', 'EPE', 'NME')


def _square_normalize(sizes, num):
    """(N,) sizes -> np.ndarray[N, 2] with the size in both columns."""
    sizes = np.asarray(sizes, dtype=np.float64).reshape(-1, 1)
    check(
        len(sizes) == num,
        f'need one normalising size per instance ({num}), got {len(sizes)}')
    return np.tile(sizes, (1, 2))


def keypoint_error_metrics(preds,
                           gts,
                           masks,
                           metrics,
                           bbox_sizes=None,
                           head_sizes=None,
                           nme_normalize=None,
                           pck_thr=0.2,
                           pckh_thr=0.7,
                           auc_nor=30):
    """Keypoint-error metrics of a dataset, as MMPose 0.x's
    ``_report_metric`` reports them.

    Note:
        number of instances: N
        num_keypoints: K

    Args:
        preds (np.ndarray[N, K, 2]): Predicted keypoints.
        gts (np.ndarray[N, K, 2]): Ground-truth keypoints.
        masks (np.ndarray[N, K]): True for labelled keypoints.
        metrics (Sequence[str]): Any of ``KEYPOINT_ERROR_METRICS``.
        bbox_sizes (np.ndarray[N] | None): PCK normaliser (the longer side
            of each box). Needed for 'PCK'.
        head_sizes (np.ndarray[N] | None): PCKh normaliser. Needed for
            'PCKh'.
        nme_normalize (np.ndarray[N, 2] | None): NME normaliser (e.g. the
            inter-ocular distance in both columns). Needed for 'NME'.
        pck_thr (float): PCK threshold. Default: 0.2.
        pckh_thr (float): PCKh threshold. Default: 0.7.
        auc_nor (float): AUC normaliser in pixels. Default: 30.

    Returns:
        list[tuple[str, float]]: (name, value) in the order of
        ``KEYPOINT_ERROR_METRICS`` (not of ``metrics``), as 0.x.
    """
    unknown = set(metrics) - set(KEYPOINT_ERROR_METRICS)
    if unknown:
        raise KeyError(f'metrics {sorted(unknown)} are not keypoint-error '
                       f'metrics; supported: {KEYPOINT_ERROR_METRICS}')
    preds = np.asarray(preds)[..., :2]
    gts = np.asarray(gts)[..., :2]
    masks = np.asarray(masks, dtype=bool)
    num = len(preds)
    check(
        gts.shape == preds.shape and masks.shape == preds.shape[:2],
        f'preds {preds.shape}, gts {gts.shape} and masks {masks.shape} must '
        f'be [N, K, 2], [N, K, 2] and [N, K]')
    info = []
    if 'PCK' in metrics:
        check(bbox_sizes is not None, "metric 'PCK' needs bbox_sizes")
        _, pck, _ = keypoint_pck_accuracy(preds, gts, masks, pck_thr,
                                          _square_normalize(bbox_sizes, num))
        info.append(('PCK', float(pck)))
    if 'PCKh' in metrics:
        check(head_sizes is not None, "metric 'PCKh' needs head_sizes")
        _, pckh, _ = keypoint_pck_accuracy(preds, gts, masks, pckh_thr,
                                           _square_normalize(head_sizes, num))
        info.append(('PCKh', float(pckh)))
    if 'AUC' in metrics:
        info.append(('AUC', float(keypoint_auc(preds, gts, masks,
                                               auc_nor))))
    if 'EPE' in metrics:
        info.append(('EPE', float(keypoint_epe(preds, gts, masks))))
    if 'NME' in metrics:
        check(nme_normalize is not None, "metric 'NME' needs nme_normalize")
        info.append(
            ('NME', float(keypoint_nme(preds, gts, masks, nme_normalize))))
    return info


def interocular_normalize(gts, left, right):
    """The distance between two keypoints (e.g. the outer eye corners) of
    each instance, in both columns: the NME normaliser of face datasets.

    Args:
        gts (np.ndarray[N, K, 2]): Ground-truth keypoints.
        left (int): Index of the first keypoint.
        right (int): Index of the second keypoint.

    Returns:
        np.ndarray[N, 2]: The distance, twice per row.
    """
    gts = np.asarray(gts)
    distance = np.linalg.norm(
        gts[:, left, :2] - gts[:, right, :2], axis=1, keepdims=True)
    return np.tile(distance, [1, 2])


#: MPII joint names of the official ground-truth file, and the rows of the
#: PCKh table (left/right joints averaged).
_MPII_ROWS = (('Head', ('head', )), ('Shoulder', ('lsho', 'rsho')),
              ('Elbow', ('lelb', 'relb')), ('Wrist', ('lwri', 'rwri')),
              ('Hip', ('lhip', 'rhip')), ('Knee', ('lkne', 'rkne')),
              ('Ankle', ('lank', 'rank')))


def mpii_pckh(preds, gt, threshold=0.5, sc_bias=0.6):
    """MPII's PCKh table (the official evaluation, as MMPose 0.x and
    HRNet compute it).

    Note:
        number of instances: N
        num_keypoints: K (16)

    Args:
        preds (np.ndarray[N, K, 2]): Predictions, 1-based (MATLAB) pixel
            coordinates.
        gt (dict): The official ``mpii_gt_val.mat`` as ``scipy.io.loadmat``
            reads it: ``dataset_joints`` (joint names), ``jnt_missing``
            (np.ndarray[K, N]), ``pos_gt_src`` (np.ndarray[K, 2, N]) and
            ``headboxes_src`` (np.ndarray[2, 2, N]).
        threshold (float): PCKh threshold on the head-normalised error.
            Default: 0.5.
        sc_bias (float): Head size factor. Default: 0.6.

    Returns:
        list[tuple[str, float]]: 'Head', 'Shoulder', 'Elbow', 'Wrist',
        'Hip', 'Knee', 'Ankle', 'PCKh' (mean over the joints other than
        pelvis and thorax, weighted by their counts) and 'PCKh@0.1'. As in
        0.x and HRNet, 'PCKh@0.1' reads the threshold 0.11 row of the
        0.00:0.01:0.50 curve.
    """
    dataset_joints = np.asarray(gt['dataset_joints'])
    jnt_visible = 1 - np.asarray(gt['jnt_missing'])
    pos_gt_src = np.asarray(gt['pos_gt_src'])
    headboxes_src = np.asarray(gt['headboxes_src'])
    pos_pred_src = np.transpose(np.asarray(preds)[..., :2], [1, 2, 0])
    check(
        pos_pred_src.shape == pos_gt_src.shape,
        f'preds must hold one [K, 2] pose per ground-truth instance: '
        f'{pos_gt_src.shape[::-1]} expected, got {np.shape(preds)}')

    uv_err = np.linalg.norm(pos_pred_src - pos_gt_src, axis=1)
    headsizes = np.linalg.norm(
        headboxes_src[1, :, :] - headboxes_src[0, :, :], axis=0) * sc_bias
    scale = headsizes * np.ones((len(uv_err), 1), dtype=np.float32)
    scaled_uv_err = uv_err / scale * jnt_visible
    jnt_count = np.sum(jnt_visible, axis=1)

    def pckh_at(thresholds):
        below = (scaled_uv_err[None] <= np.reshape(thresholds, (-1, 1, 1)))
        return 100. * np.sum(below * jnt_visible, axis=2) / jnt_count

    pckh = pckh_at([threshold])[0]
    pck_all = pckh_at(np.arange(0, 0.5 + 0.01, 0.01)).astype(np.float32)

    # pelvis (6) and thorax (7) do not count in the means
    counted = np.ones(len(jnt_count), dtype=bool)
    counted[6:8] = False
    jnt_ratio = jnt_count[counted] / np.sum(jnt_count[counted]).astype(
        np.float64)

    def joint(name):
        return np.where(dataset_joints == name)[1][0]

    info = [(row, float(np.mean([pckh[joint(n)] for n in names])))
            for row, names in _MPII_ROWS]
    info.append(('PCKh', float(np.sum(pckh[counted] * jnt_ratio))))
    info.append(
        ('PCKh@0.1', float(np.sum(pck_all[11, counted] * jnt_ratio))))
    return info


#: Rows of the JHMDB tables: (name, left/right keypoint ids averaged).
_JHMDB_ROWS = (('Head', (2, )), ('Sho', (3, 4)), ('Elb', (7, 8)),
               ('Wri', (11, 12)), ('Hip', (5, 6)), ('Knee', (9, 10)),
               ('Ank', (13, 14)))


def jhmdb_pck_table(preds, gts, masks, normalize, thr=0.2, suffix='PCK'):
    """JHMDB's per-joint PCK table (as MMPose 0.x reports PCK and tPCK).

    Note:
        number of instances: N
        num_keypoints: K (15)

    Args:
        preds (np.ndarray[N, K, 2]): Predicted keypoints.
        gts (np.ndarray[N, K, 2]): Ground-truth keypoints.
        masks (np.ndarray[N, K]): True for labelled keypoints.
        normalize (np.ndarray[N]): Size per instance: the longer box side
            (PCK) or the torso (tPCK).
        thr (float): Threshold as a fraction of the size. Default: 0.2.
        suffix (str): 'PCK' or 'tPCK', appended to the row names.

    Returns:
        list[tuple[str, float]]: 'Head', 'Sho', 'Elb', 'Wri', 'Hip',
        'Knee', 'Ank' (left and right averaged) and 'Mean' (over the
        keypoints with labels), each followed by ``suffix``.
    """
    per_kpt, mean, _ = keypoint_pck_accuracy(
        np.asarray(preds)[..., :2],
        np.asarray(gts)[..., :2], np.asarray(masks, dtype=bool), thr,
        _square_normalize(normalize, len(preds)))
    info = [(f'{row} {suffix}', float(np.mean(per_kpt[list(ids)])))
            for row, ids in _JHMDB_ROWS]
    info.append((f'Mean {suffix}', float(mean)))
    return info


def mpii_trb_pckh(preds, gts, masks, headboxes, thr=0.3, num_skeleton=14):
    """MPII-TRB's accuracies: a labelled keypoint is hit when closer than
    ``thr`` x its person's head box diagonal (strictly).

    Note:
        Shapes: N instances, K keypoints (40).

    Args:
        preds (np.ndarray[N, K, 2]): Predicted keypoints.
        gts (np.ndarray[N, K, 2]): Ground-truth keypoints.
        masks (np.ndarray[N, K]): True for labelled keypoints.
        headboxes (np.ndarray[N, 4]): Head boxes (x1, y1, x2, y2).
        thr (float): Threshold as a fraction of the diagonal. Default: 0.3.
        num_skeleton (int): The first keypoints are the skeleton, the rest
            the contour. Default: 14.

    Returns:
        list[tuple[str, float]]: 'Skeleton_acc', 'Contour_acc' and 'PCKh'
        (all keypoints), each hits / labelled keypoints.
    """
    headboxes = np.asarray(headboxes, dtype=np.float64).reshape(-1, 4)
    threshold = np.linalg.norm(
        headboxes[:, :2] - headboxes[:, 2:], axis=1) * thr
    distance = np.linalg.norm(
        np.asarray(preds)[..., :2] - np.asarray(gts)[..., :2], axis=-1)
    exist = np.asarray(masks, dtype=bool)
    hit = (distance < threshold[:, None]) & exist
    hits, exists = hit.sum(axis=0), exist.sum(axis=0)
    return [('Skeleton_acc',
             float(hits[:num_skeleton].sum() / exists[:num_skeleton].sum())),
            ('Contour_acc',
             float(hits[num_skeleton:].sum() / exists[num_skeleton:].sum())),
            ('PCKh', float(hits.sum() / exists.sum()))]
