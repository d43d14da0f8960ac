"""Geometric transforms between image, bounding-box and heatmap spaces.

Flips swap left/right keypoints with one index permutation instead of a loop
over the flip pairs, and every transform accepts lists/tuples as well as
arrays for its sizes, centres and scales.
"""
import array
import math

import cv2
import numpy as np

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
    assert len(joints_3d) == len(joints_3d_visible), (
        f'joints_3d has {len(joints_3d)} keypoints but joints_3d_visible has '
        f'{len(joints_3d_visible)}')
    assert img_width > 0, f'img_width must be positive, got {img_width}'
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
    assert regression.ndim >= 2, (
        f'regression must have shape [..., K, C], got {regression.shape}')
    if center_mode == 'static':
        x_c = center_x
    elif center_mode == 'root':
        assert regression.shape[-2] > center_index, (
            f'center_index={center_index} is out of range for '
            f'{regression.shape[-2]} keypoints')
        x_c = regression[..., center_index:center_index + 1, 0]
    else:
        raise ValueError(f"center_mode must be 'static' or 'root', "
                         f'got {center_mode!r}')
    perm = _flip_permutation(regression.shape[-2], flip_pairs)
    regression_flipped = regression[..., perm, :].copy()
    regression_flipped[..., 0] = x_c * 2 - regression_flipped[..., 0]
    return regression_flipped


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
    assert output_flipped.ndim == 4, (
        'output_flipped must have shape [N, K, H, W], got '
        f'{output_flipped.shape}')
    target_type = target_type.lower()
    if target_type == 'gaussianheatmap':
        channels = 1
    elif target_type == 'combinedtarget':
        channels = 3
    else:
        raise ValueError("target_type must be 'GaussianHeatMap' or "
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
    assert coords.shape[1] in (2, 4, 5), (
        f'coords must have 2, 4 or 5 columns, got shape {coords.shape}')
    assert len(center) == 2 and len(scale) == 2 and len(output_size) == 2
    return transform_preds_batch(coords[None], np.asarray(center)[None],
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
        target_coords[..., axis] = (coords[..., axis] * factor[:, None] +
                                    center[:, axis, None] -
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
    assert len(pt) == 2, f'pt must be 2-dimensional, got {pt}'
    sn, cs = np.sin(angle_rad), np.cos(angle_rad)
    new_x = pt[0] * cs - pt[1] * sn
    new_y = pt[0] * sn + pt[1] * cs
    return [new_x, new_y]


def _round_to_float32(*values):
    """Python floats rounded to float32 (as storing them in a float32
    array does)."""
    return array.array('f', values).tolist()


def get_affine_transform(center,
                         scale,
                         rot,
                         output_size,
                         shift=(0., 0.),
                         inv=False):
    """Get the affine transform matrix, given the center/scale/rot/output_size.

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
        np.ndarray[2, 3]: The transform matrix.
    """
    assert len(center) == 2 and len(scale) == 2 and len(output_size) == 2
    assert len(shift) == 2
    # Three point pairs define the transform: the box centre, the middle of
    # its top edge (rotated) and a third point at a right angle, as float32
    # points. This runs once per training sample, so it is computed on
    # Python floats, not tiny arrays: float64 steps are the same IEEE
    # operations, and each float32 step is the float64 result rounded to
    # float32 (exact for + and -, whose float64 results round correctly).
    center_x, center_y = float(center[0]), float(center[1])
    src_w = float(scale[0]) * PIXEL_STD
    shift_x = src_w * float(shift[0])
    shift_y = float(scale[1]) * PIXEL_STD * float(shift[1])
    dst_w, dst_h = float(output_size[0]), float(output_size[1])

    rot_rad = np.pi * rot / 180
    if isinstance(rot_rad, float):
        sn, cs = math.sin(rot_rad), math.cos(rot_rad)
    else:
        # e.g. a NumPy float32 angle: its sine and cosine in float32
        sn, cs = float(np.sin(rot_rad)), float(np.cos(rot_rad))
    # rotate_point([0, -src_w / 2], rot_rad), term by term
    src_dir_x = 0. * cs - src_w * -0.5 * sn
    src_dir_y = 0. * sn + src_w * -0.5 * cs

    # (first point, second point) of src and of dst, in float32
    (sx0, sy0, sx1, sy1, dx0, dy0, dx1, dy1) = _round_to_float32(
        center_x + shift_x, center_y + shift_y,
        center_x + src_dir_x + shift_x, center_y + src_dir_y + shift_y,
        dst_w * 0.5, dst_h * 0.5,
        dst_w * 0.5 + 0., dst_h * 0.5 + dst_w * -0.5)
    # _get_3rd_point: second point + (-dy, dx) of direction first - second
    s_dir_x, s_dir_y, d_dir_x, d_dir_y = _round_to_float32(
        sx0 - sx1, sy0 - sy1, dx0 - dx1, dy0 - dy1)
    sx2, sy2, dx2, dy2 = _round_to_float32(sx1 - s_dir_y, sy1 + s_dir_x,
                                           dx1 - d_dir_y, dy1 + d_dir_x)
    src = np.array([[sx0, sy0], [sx1, sy1], [sx2, sy2]], dtype=np.float32)
    dst = np.array([[dx0, dy0], [dx1, dy1], [dx2, dy2]], dtype=np.float32)

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
    assert len(pt) == 2, f'pt must be 2-dimensional, got {pt}'
    return np.array(trans_mat) @ np.array([pt[0], pt[1], 1.])


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
                              0.5 * size_input[1] * sin +
                              0.5 * size_target[0])
    matrix[1, 0] = sin * scale_y
    matrix[1, 1] = cos * scale_y
    matrix[1, 2] = scale_y * (-0.5 * size_input[0] * sin -
                              0.5 * size_input[1] * cos +
                              0.5 * size_target[1])
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
    mat = np.asarray(mat)
    return (joints @ mat[:, :2].T + mat[:, 2]).reshape(shape)
