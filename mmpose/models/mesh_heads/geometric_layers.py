"""Rotation conversions used by the mesh head, loss and discriminator.

All functions work on a batch at once (no loop over samples) and keep the
input's dtype and device.
"""
import torch
from torch.nn import functional as F

from mmpose.utils import check


def batch_rodrigues(theta):
    """Convert axis-angle vectors to rotation matrices.

    Note:
        batch size: N

    Args:
        theta (torch.Tensor[N, 3]): Axis-angle vectors (the axis scaled by
            the angle in radians).

    Returns:
        torch.Tensor[N, 3, 3]: The rotation matrices.
    """
    check(theta.dim() == 2 and theta.shape[-1] == 3,
          f'theta must have shape [N, 3], got {tuple(theta.shape)}')
    # 0.14 adds 1e-8 before the norm so a zero vector gives the identity
    # (its half-angle quaternion is then (1, 0, 0, 0)), not a division by 0.
    angle = torch.norm(theta + 1e-8, p=2, dim=1, keepdim=True)
    axis = theta / angle
    half = angle * 0.5
    quat = torch.cat([torch.cos(half), torch.sin(half) * axis], dim=1)
    return quat_to_rotmat(quat)


def quat_to_rotmat(quat):
    """Convert quaternions to rotation matrices.

    Note:
        batch size: N

    Args:
        quat (torch.Tensor[N, 4]): Quaternions (w, x, y, z); they need not
            be normalised.

    Returns:
        torch.Tensor[N, 3, 3]: The rotation matrices.
    """
    check(quat.dim() == 2 and quat.shape[-1] == 4,
          f'quat must have shape [N, 4], got {tuple(quat.shape)}')
    norm_quat = quat / quat.norm(p=2, dim=1, keepdim=True)
    w, x, y, z = norm_quat.unbind(dim=1)
    w2, x2, y2, z2 = w * w, x * x, y * y, z * z
    wx, wy, wz = w * x, w * y, w * z
    xy, xz, yz = x * y, x * z, y * z
    # yapf: disable
    rotmat = torch.stack([
        w2 + x2 - y2 - z2, 2 * (xy - wz), 2 * (wy + xz),
        2 * (wz + xy), w2 - x2 + y2 - z2, 2 * (yz - wx),
        2 * (xz - wy), 2 * (wx + yz), w2 - x2 - y2 + z2
    ], dim=1)
    # yapf: enable
    return rotmat.view(-1, 3, 3)


def rot6d_to_rotmat(x):
    """Convert the 6D rotation representation to rotation matrices.

    Based on Zhou et al., "On the Continuity of Rotation Representations in
    Neural Networks", CVPR 2019: the two 3D columns are orthonormalised by
    Gram-Schmidt and completed by their cross product.

    Note:
        batch size: N

    Args:
        x (torch.Tensor[N, 6] | torch.Tensor[N, M * 6]): 6D rotations; each
            group of 6 is read as a 3x2 matrix row by row (a1x, a2x, a1y,
            a2y, a1z, a2z), as 0.14 reads it. Any leading shape whose total
            size is a multiple of 6 is accepted.

    Returns:
        torch.Tensor[N * M, 3, 3]: The rotation matrices, whose columns are
        the orthonormalised a1, a2 and their cross product.
    """
    check(x.numel() % 6 == 0,
          f'x must hold groups of 6 values, got shape {tuple(x.shape)}')
    x = x.reshape(-1, 3, 2)
    a1, a2 = x[:, :, 0], x[:, :, 1]
    b1 = F.normalize(a1, dim=1)
    b2 = F.normalize(a2 - (b1 * a2).sum(dim=1, keepdim=True) * b1, dim=1)
    b3 = torch.cross(b1, b2, dim=1)
    return torch.stack((b1, b2, b3), dim=-1)
