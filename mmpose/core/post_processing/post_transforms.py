"""Geometric transforms between image, bounding-box and heatmap spaces.

Flips swap left/right keypoints with one index permutation instead of a loop
over the flip pairs, and the transforms accept lists/tuples as well as
arrays for their sizes, centres and scales.
"""
import math

import cv2
import numpy as np

from mmpose.utils import ArgumentError, check

# Bounding-box scales are stored in units of 200 pixels (MPII convention).
PIXEL_STD = 200.0


def _flip_permutation(num_keypoints, flip_pairs):
    """Return an index array that swaps every (left, right) pair."""
    perm = np.arange(num_keypoints)
    for left, right in flip_pairs:
        perm[left], perm[right] = right, left
    return perm


def fliplr_joints(joints_3d, joints_3d_visible, img_width, flip_pairs):
    """Flip human joints horizontally.

    Note:
        num_keypoints: K

    Args:
        joints_3d (np.ndarray[K, 3]): Coordinates of keypoints.
        joints_3d_visible (np.ndarray[K, 1]): Visibility of keypoints.
        img_width (int): Image width.
        flip_pairs (list[tuple()]): Pairs of keypoints which are mirrored
            (for example, left ear -- right ear).

    Returns:
        tuple: Flipped human joints.

        - joints_3d_flipped (np.ndarray[K, 3]): Flipped joints.
        - joints_3d_visible_flipped (np.ndarray[K, 1]): Joint visibility.
    """
    check(
        len(joints_3d) == len(joints_3d_visible),
        f'joints_3d has {len(joints_3d)} keypoints but joints_3d_visible has '
        f'{len(joints_3d_visible)}')
    check(img_width > 0, f'img_width must be positive, got {img_width}')
    perm = _flip_permutation(len(joints_3d), flip_pairs)
    # (fancy indexing copies)
    joints_3d_flipped = joints_3d[perm]
    joints_3d_visible_flipped = joints_3d_visible[perm]
    joints_3d_flipped[:, 0] = img_width - 1 - joints_3d_flipped[:, 0]
    # Invisible joints are zeroed, as the dataset convention expects.
    joints_3d_flipped = joints_3d_flipped * joints_3d_visible_flipped
    return joints_3d_flipped, joints_3d_visible_flipped


def fliplr_regression(regression,
                      flip_pairs,
                      center_mode='static',
                      center_x=0.5,
                      center_index=0):
    """Flip human joints horizontally.

    Note:
        batch_size: N
        num_keypoint: K

    Args:
        regression (np.ndarray[..., K, C]): Coordinates of keypoints, where K
            is the joint number and C is the dimension. Example shapes are
            [N, K, C] (a batch of keypoints) and [N, T, K, C] (a batch of
            pose sequences, T frames).
        flip_pairs (list[tuple()]): Pairs of keypoints which are mirrored
            (for example, left ear -- right ear).
        center_mode (str): The mode to set the center location on the x-axis
            to flip around: 'static' uses ``center_x``; 'root' uses the x of
            the joint ``center_index``.
        center_x (float): The x-axis location of the flip center. Only used
            when center_mode='static'.
        center_index (int): Index of the root joint, whose x location is the
            flip center. Only used when center_mode='root'.

    Returns:
        np.ndarray[..., K, C]: Flipped joints.
    """
    check(regression.ndim >= 2,
          f'regression must have shape [..., K, C], got {regression.shape}')
    check(
        center_mode in ('static', 'root'),
        f"center_mode must be 'static' or 'root', got {center_mode!r}")
    if center_mode == 'static':
        x_c = center_x
    else:
        check(
            regression.shape[-2] > center_index,
            f'center_index={center_index} is out of range for '
            f'{regression.shape[-2]} keypoints')
        x_c = regression[..., center_index:center_index + 1, 0]
    perm = _flip_permutation(regression.shape[-2], flip_pairs)
    regression_flipped = regression[..., perm, :].copy()
    regression_flipped[..., 0] = x_c * 2 - regression_flipped[..., 0]
    return regression_flipped


# Channels per keypoint of each target type flip_back accepts (lower case).
_FLIP_BACK_CHANNELS = {'gaussianheatmap': 1, 'combinedtarget': 3}


def flip_back(output_flipped, flip_pairs, target_type='GaussianHeatMap'):
    """Flip the flipped heatmaps back to the original form.

    Note:
        batch_size: N
        num_keypoints: K
        heatmap height: H
        heatmap width: W

    Args:
        output_flipped (np.ndarray[N, K, H, W]): The output heatmaps obtained
            from the flipped images. For 'CombinedTarget' the channels are
            [heatmap, x-offset, y-offset] per keypoint (K = 3 * keypoints).
        flip_pairs (list[tuple()]): Pairs of keypoints which are mirrored
            (for example, left ear -- right ear).
        target_type (str): 'GaussianHeatMap' or 'CombinedTarget'.

    Returns:
        np.ndarray[N, K, H, W]: heatmaps flipped back to the original image.
        The input is left unchanged.
    """
    check(
        output_flipped.ndim == 4, 'output_flipped must have shape '
        f'[N, K, H, W], got {output_flipped.shape}')
    channels = _FLIP_BACK_CHANNELS.get(str(target_type).lower())
    check(
        channels is not None, "target_type must be 'GaussianHeatMap' or "
        f"'CombinedTarget', got {target_type!r}")
    N, C, H, W = output_flipped.shape
    grouped = output_flipped.reshape(N, C // channels, channels, H, W)
    perm = _flip_permutation(C // channels, flip_pairs)
    flipped_back = grouped[:, perm, ..., ::-1].copy()
    if channels == 3:
        # A mirrored image mirrors the x-offsets.
        flipped_back[:, :, 1] *= -1
    return flipped_back.reshape(N, C, H, W)


def transform_preds(coords, center, scale, output_size, use_udp=False):
    """Map keypoint predictions from heatmap space back to the image.

    Note:
        num_keypoints: K

    Args:
        coords (np.ndarray[K, ndims]): If ndims=2, predicted keypoint
            locations; if ndims=4, (x, y, scores, tags); if ndims=5,
            (x, y, scores, tags, flipped_tags). Only x and y are mapped.
        center (np.ndarray[2, ]): Center of the bounding box (x, y).
        scale (np.ndarray[2, ]): Scale of the bounding box
            wrt [width, height].
        output_size (np.ndarray[2, ] | list(2,)): Size of the destination
            heatmaps.
        use_udp (bool): Use unbiased data processing.

    Returns:
        np.ndarray[K, ndims]: Predicted coordinates in the images.
    """
    check(coords.shape[1] in (2, 4, 5),
          f'coords must have 2, 4 or 5 columns, got shape {coords.shape}')
    _check_pairs(center=center, scale=scale, output_size=output_size)
    return transform_preds_batch(coords[None],
                                 np.asarray(center)[None],
                                 np.asarray(scale)[None], output_size,
                                 use_udp)[0]


def transform_preds_batch(coords, center, scale, output_size, use_udp=False):
    """:func:`transform_preds` for a batch of instances at once.

    Note:
        batch_size: N
        num_keypoints: K

    Args:
        coords (np.ndarray[N, K, ndims]): Keypoints in heatmap space; only
            the first two columns (x, y) are mapped.
        center (np.ndarray[N, 2]): Centers of the bounding boxes (x, y).
        scale (np.ndarray[N, 2]): Scales of the bounding boxes
            wrt [width, height].
        output_size (np.ndarray[2, ] | list(2,)): Size of the heatmaps.
        use_udp (bool): Use unbiased data processing.

    Returns:
        np.ndarray[N, K, ndims]: Coordinates in the images.
    """
    scale = np.asarray(scale) * PIXEL_STD
    center = np.asarray(center)
    # Integer coordinates would truncate the mapped values.
    target_coords = coords.astype(np.result_type(coords.dtype, np.float32))
    for axis in range(2):
        # Python floats keep float32 inputs in float32, as 0.x computed.
        size = float(output_size[axis])
        if use_udp:
            # UDP measures sizes between the first and last pixel centres.
            size -= 1.0
        factor = scale[:, axis] / size
        target_coords[..., axis] = (
            coords[..., axis] * factor[:, None] + center[:, axis, None] -
            scale[:, axis, None] * 0.5)
    return target_coords


def rotate_point(pt, angle_rad):
    """Rotate a point by an angle.

    Args:
        pt (list[float]): 2 dimensional point to be rotated.
        angle_rad (float): rotation angle by radian.

    Returns:
        list[float]: Rotated point.
    """
    _check_pairs(pt=pt)
    sn, cs = np.sin(angle_rad), np.cos(angle_rad)
    new_x = pt[0] * cs - pt[1] * sn
    new_y = pt[0] * sn + pt[1] * cs
    return [new_x, new_y]


def _check_pairs(**values):
    """Check that each named argument holds two values (x, y / w, h)."""
    for name, value in values.items():
        # not check(): the message (an array repr) is built only on failure
        if len(value) != 2:
            raise ArgumentError(f'{name} must have 2 values, got {value!r}')


def get_affine_transform(center,
                         scale,
                         rot,
                         output_size,
                         shift=(0., 0.),
                         inv=False):
    """Get the affine transform matrix, given the center/scale/rot/output_size.

    Three point pairs define the transform: the box centre, the middle of
    the box's top edge (rotated by ``rot``) and a third point at a right
    angle (:func:`_get_3rd_point`), each taken to its place in the output.
    The arithmetic is 0.14's, step for step: the points are float32, and
    ``scale * 200`` keeps the dtype of ``scale`` (float32 in the training
    pipeline).

    Args:
        center (np.ndarray[2, ]): Center of the bounding box (x, y).
        scale (np.ndarray[2, ]): Scale of the bounding box
            wrt [width, height].
        rot (float): Rotation angle (degree).
        output_size (np.ndarray[2, ] | list(2,)): Size of the destination
            heatmaps.
        shift (0-100%): Shift translation ratio wrt the width/height.
            Default (0., 0.).
        inv (bool): Option to inverse the affine transform direction.
            (inv=False: src->dst or inv=True: dst->src)

    Returns:
        np.ndarray[2, 3]: The transform matrix (float64).
    """
    _check_pairs(
        center=center, scale=scale, output_size=output_size, shift=shift)
    center = np.asarray(center)
    scale_tmp = np.asarray(scale) * PIXEL_STD
    shift = np.array(shift)
    src_w = scale_tmp[0]
    dst_w = output_size[0]
    dst_h = output_size[1]

    rot_rad = np.pi * rot / 180
    src_dir = rotate_point([0., src_w * -0.5], rot_rad)
    dst_dir = np.array([0., dst_w * -0.5])

    src = np.zeros((3, 2), dtype=np.float32)
    src[0, :] = center + scale_tmp * shift
    src[1, :] = center + src_dir + scale_tmp * shift
    src[2, :] = _get_3rd_point(src[0, :], src[1, :])

    dst = np.zeros((3, 2), dtype=np.float32)
    dst[0, :] = [dst_w * 0.5, dst_h * 0.5]
    dst[1, :] = np.array([dst_w * 0.5, dst_h * 0.5]) + dst_dir
    dst[2, :] = _get_3rd_point(dst[0, :], dst[1, :])

    if inv:
        return cv2.getAffineTransform(dst, src)
    return cv2.getAffineTransform(src, dst)


def affine_transform(pt, trans_mat):
    """Apply an affine transformation to the points.

    Args:
        pt (np.ndarray): a 2 dimensional point to be transformed.
        trans_mat (np.ndarray): 2x3 matrix of an affine transform.

    Returns:
        np.ndarray[2, ]: Transformed point.
    """
    _check_pairs(pt=pt)
    return np.array(trans_mat) @ np.array([pt[0], pt[1], 1.])


def _get_3rd_point(a, b):
    """To calculate the affine matrix, three pairs of points are required.
    This function is used to get the 3rd point, given 2D points a & b.

    The 3rd point is defined by rotating vector `a - b` by 90 degrees
    anticlockwise, using b as the rotation center.

    Args:
        a (np.ndarray[2, ]): point(x,y)
        b (np.ndarray[2, ]): point(x,y)

    Returns:
        np.ndarray[2, ]: The 3rd point.
    """
    _check_pairs(a=a, b=b)
    direction = a - b
    return b + np.array([-direction[1], direction[0]], dtype=np.float32)


def get_warp_matrix(theta, size_input, size_dst, size_target):
    """Calculate the transformation matrix under the constraint of unbiased.

    Paper ref: Huang et al. The Devil is in the Details: Delving into Unbiased
    Data Processing for Human Pose Estimation (CVPR 2020).

    Args:
        theta (float): Rotation angle in degrees.
        size_input (np.ndarray): Size of input image [w, h].
        size_dst (np.ndarray): Size of output image [w, h].
        size_target (np.ndarray): Size of ROI in input plane [w, h].

    Returns:
        np.ndarray[2, 3]: A matrix for transformation (float32).
    """
    theta = np.deg2rad(theta)
    cos, sin = math.cos(theta), math.sin(theta)
    scale_x = size_dst[0] / size_target[0]
    scale_y = size_dst[1] / size_target[1]
    matrix = np.zeros((2, 3), dtype=np.float32)
    matrix[0, 0] = cos * scale_x
    matrix[0, 1] = -sin * scale_x
    matrix[0, 2] = scale_x * (-0.5 * size_input[0] * cos +
                              0.5 * size_input[1] * sin + 0.5 * size_target[0])
    matrix[1, 0] = sin * scale_y
    matrix[1, 1] = cos * scale_y
    matrix[1, 2] = scale_y * (-0.5 * size_input[0] * sin -
                              0.5 * size_input[1] * cos + 0.5 * size_target[1])
    return matrix


def warp_affine_joints(joints, mat):
    """Apply the affine transform ``mat`` to the joints.

    Args:
        joints (np.ndarray[..., 2]): Origin coordinate of joints.
        mat (np.ndarray[2, 3]): The affine matrix.

    Returns:
        np.ndarray[..., 2]: Result coordinate of joints.
    """
    joints = np.array(joints)
    shape = joints.shape
    joints = joints.reshape(-1, 2)
    # [x, y, 1] @ mat.T as 0.14 computed it (same rounding)
    return np.dot(
        np.concatenate((joints, joints[:, 0:1] * 0 + 1), axis=1),
        np.asarray(mat).T).reshape(shape)
