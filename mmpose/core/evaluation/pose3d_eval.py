"""3D pose metrics: MPJPE with optional scale / Procrustes alignment."""
import numpy as np

from mmpose.utils import ArgumentError, check


def _batch_similarity_transform(source, target):
    """Procrustes-align each source point set onto its target.

    Args:
        source (np.ndarray[B, N, 3]): Source point sets.
        target (np.ndarray[B, N, 3]): Target point sets.

    Returns:
        np.ndarray[B, N, 3]: ``s * R @ source + t`` minimising the squared
        distance to ``target``, with R a proper rotation.
    """
    mu_s = source.mean(axis=1, keepdims=True)
    mu_t = target.mean(axis=1, keepdims=True)
    X1 = source - mu_s
    X2 = target - mu_t
    var1 = np.sum(X1**2, axis=(1, 2))
    # Cross-covariance; the R maximising trace(R K) is V U^T of its SVD.
    K = np.einsum('bni,bnj->bij', X1, X2)
    U, _, Vh = np.linalg.svd(K)
    V = np.swapaxes(Vh, 1, 2)
    Z = np.tile(np.eye(3), (len(source), 1, 1))
    # Flip the last axis where needed so that det(R) = 1 (no reflection).
    Z[:, -1, -1] = np.sign(np.linalg.det(U @ np.swapaxes(V, 1, 2)))
    R = V @ Z @ np.swapaxes(U, 1, 2)
    scale = np.trace(R @ K, axis1=1, axis2=2) / var1
    t = mu_t - scale[:, None, None] * (mu_s @ np.swapaxes(R, 1, 2))
    return scale[:, None, None] * (source @ np.swapaxes(R, 1, 2)) + t


def compute_similarity_transform(source_points, target_points):
    """Computes a similarity transform (sR, t) that takes a set of 3D points
    source_points (N x 3) closest to a set of 3D points target_points, where
    R is an 3x3 rotation matrix, t 3x1 translation, s scale. And return the
    transformed 3D points source_points_hat (N x 3). i.e. solves the
    orthogonal Procrutes problem.

    Note:
        Points number: N

    Args:
        source_points (np.ndarray[N, 3]): Source point set.
        target_points (np.ndarray[N, 3]): Target point set.

    Returns:
        np.ndarray[N, 3]: Transformed source point set (source_points_hat).
    """
    check(
        target_points.shape[0] == source_points.shape[0],
        f'source has {source_points.shape[0]} points but target has '
        f'{target_points.shape[0]}')
    check(
        target_points.shape[1] == 3 and source_points.shape[1] == 3,
        'points must be 3D, got shapes '
        f'{source_points.shape} and {target_points.shape}')
    return _batch_similarity_transform(source_points[None],
                                       target_points[None])[0]


def keypoint_mpjpe(pred, gt, mask, alignment='none'):
    """Calculate the mean per-joint position error (MPJPE) and the error after
    rigid alignment with the ground truth (P-MPJPE).

    Note:
        batch_size: N
        num_keypoints: K
        keypoint_dims: C

    Args:
        pred (np.ndarray[N, K, C]): Predicted keypoint location.
        gt (np.ndarray[N, K, C]): Groundtruth keypoint location.
        mask (np.ndarray[N, K]): Visibility of the target. False for invisible
            joints, and True for visible. Invisible joints will be ignored for
            accuracy calculation.
        alignment (str, optional): method to align the prediction with the
            groundtruth. Supported options are:
            - 'none': no alignment will be applied
            - 'scale': align in the least-square sense in scale
            - 'procrustes': align in the least-square sense in scale,
              rotation and translation.

    Returns:
        float: mean per-joint position error (after alignment) over the
        visible keypoints.
    """
    check(mask.any(), 'keypoint_mpjpe: mask must select at least one keypoint')
    if alignment == 'none':
        pass
    elif alignment == 'procrustes':
        pred = _batch_similarity_transform(pred, gt)
    elif alignment == 'scale':
        pred_dot_pred = np.einsum('nkc,nkc->n', pred, pred)
        pred_dot_gt = np.einsum('nkc,nkc->n', pred, gt)
        scale_factor = pred_dot_gt / pred_dot_pred
        pred = pred * scale_factor[:, None, None]
    else:
        raise ArgumentError("keypoint_mpjpe: alignment must be 'none', "
                            f"'scale' or 'procrustes', got {alignment!r}")
    return np.linalg.norm(pred - gt, ord=2, axis=-1)[mask].mean()
