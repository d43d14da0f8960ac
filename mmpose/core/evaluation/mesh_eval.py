"""Mesh recovery metrics: per-sample MPJPE and MPJPE-PA of root-centred 3D
joints, and 0.14's module path of ``compute_similarity_transform``
(Procrustes alignment, shared with :mod:`.pose3d_eval`)."""
import numpy as np

from mmpose.utils import check
from .pose3d_eval import _batch_similarity_transform
from .pose3d_eval import compute_similarity_transform  # noqa: F401


def mesh_joint_errors(pred_joints_3d, gt_joints_3d, gt_joints_3d_visible,
                      joint_ids, root_ids):
    """Mean per-joint position error of each sample, before and after
    Procrustes alignment, on the joints ``joint_ids`` centred on the mean of
    the ``root_ids`` joints (of that subset).

    Note:
        batch_size: N
        num_keypoints: K
        num_evaluated_keypoints: J

    Args:
        pred_joints_3d (np.ndarray[N, K, 3]): Predicted joints.
        gt_joints_3d (np.ndarray[N, K, 3]): Ground-truth joints.
        gt_joints_3d_visible (np.ndarray[N, K] | np.ndarray[N, K, 1]):
            Ground-truth visibility; every evaluated joint must be visible.
        joint_ids (Sequence[int]): The J evaluated joints.
        root_ids (Sequence[int]): Indices into the J evaluated joints whose
            mean is the root both poses are centred on.

    Returns:
        tuple: In the units of the inputs,

        - mpjpe (np.ndarray[N]): Error of the root-centred joints.
        - mpjpe_pa (np.ndarray[N]): Error after aligning the prediction to
          the ground truth in scale, rotation and translation.
    """
    joint_ids = list(joint_ids)
    pred = np.asarray(pred_joints_3d, dtype=np.float64)[:, joint_ids, :3]
    gt = np.asarray(gt_joints_3d, dtype=np.float64)[:, joint_ids, :3]
    visible = np.asarray(gt_joints_3d_visible).reshape(len(gt_joints_3d),
                                                       -1)[:, joint_ids]
    check(
        pred.shape == gt.shape,
        f'pred_joints_3d {np.shape(pred_joints_3d)} and gt_joints_3d '
        f'{np.shape(gt_joints_3d)} must hold the same joints')
    check(
        visible.min(initial=1) > 0,
        f'every evaluated joint {joint_ids} must be visible in the ground '
        'truth; invisible ones found in samples '
        f'{np.flatnonzero((visible <= 0).any(axis=1)).tolist()}')
    root_ids = list(root_ids)
    pred = pred - pred[:, root_ids].mean(axis=1, keepdims=True)
    gt = gt - gt[:, root_ids].mean(axis=1, keepdims=True)
    mpjpe = np.linalg.norm(pred - gt, axis=-1).mean(axis=-1)
    aligned = _batch_similarity_transform(pred, gt)
    mpjpe_pa = np.linalg.norm(aligned - gt, axis=-1).mean(axis=-1)
    return mpjpe, mpjpe_pa


__all__ = ['compute_similarity_transform', 'mesh_joint_errors']
