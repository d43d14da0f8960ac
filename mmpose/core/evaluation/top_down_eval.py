"""Top-down decoding (heatmaps / regression -> image keypoints) and the
keypoint accuracy metrics (PCK, AUC, EPE)."""
import numpy as np

from ..codecs import (RegressionLabel, build_codec, codec_cfg_from_flags,
                      get_max_preds, modulate_heatmaps, post_dark_udp,
                      taylor_refine)
from ..post_processing.post_transforms import transform_preds_batch

__all__ = [
    'keypoints_from_heatmaps', 'keypoints_from_codec',
    'keypoints_from_regression', 'post_dark_udp',
    'keypoint_pck_accuracy', 'keypoint_auc', 'keypoint_epe', 'keypoint_nme',
    'pose_pck_accuracy'
]

# 0.x's private helper names, kept for code that imports them.
_get_max_preds = get_max_preds


def _taylor(heatmap, coord):
    """Distribution aware coordinate decoding method.

    Note:
        heatmap height: H
        heatmap width: W

    Args:
        heatmap (np.ndarray[H, W]): Heatmap of a particular joint type
            (the log of the modulated heatmap).
        coord (np.ndarray[2, ]): Coordinates of the predicted keypoints.

    Returns:
        np.ndarray[2, ]: Updated coordinates.
    """
    coord = np.asarray(coord)
    return taylor_refine(heatmap[None, None], coord[None, None])[0, 0]


def _gaussian_blur(heatmaps, kernel=11):
    """Modulate heatmap distribution with Gaussian.

    sigma = 0.3*((kernel_size-1)*0.5-1)+0.8; sigma~=3 if k=17,
    sigma=2 if k=11, sigma~=1.5 if k=7, sigma~=1 if k=3.

    Note:
        Shapes: N batch size, K keypoints, H x W heatmap.

    Args:
        heatmaps (np.ndarray[N, K, H, W]): model predicted heatmaps; blurred
            in place.
        kernel (int): Gaussian kernel size (K) for modulation, which should
            match the heatmap gaussian sigma when training.

    Returns:
        np.ndarray[N, K, H, W]: Modulated heatmap distribution, each map
        keeping its original maximum.
    """
    return modulate_heatmaps(heatmaps, kernel)


def _calc_distances(preds, targets, mask, normalize):
    """Calculate the normalized distances between preds and target.

    Note:
        batch_size: N
        num_keypoints: K
        dimension of keypoints: D (normally, D=2 or D=3)

    Args:
        preds (np.ndarray[N, K, D]): Predicted keypoint location.
        targets (np.ndarray[N, K, D]): Groundtruth keypoint location.
        mask (np.ndarray[N, K]): Visibility of the target. False for
            invisible joints, and True for visible.
        normalize (np.ndarray[N, D]): Typical value is heatmap_size.
            Non-positive entries count as 1e6 (the input is not modified).

    Returns:
        np.ndarray[K, N]: The normalized distances; -1 where mask is False.
    """
    N, K, _ = preds.shape
    normalize = np.where(normalize <= 0, 1e6, normalize)
    distances = np.full((N, K), -1, dtype=np.float32)
    distances[mask] = np.linalg.norm(
        ((preds - targets) / normalize[:, None, :])[mask], axis=-1)
    return distances.T


def _distance_acc(distances, thr=0.5):
    """Return the percentage below the distance threshold, while ignoring
    distances values with -1.

    Note:
        batch_size: N

    Args:
        distances (np.ndarray[N, ]): The normalized distances.
        thr (float): Threshold of the distances.

    Returns:
        float: Percentage of distances below the threshold; -1 if all
        distances are -1.
    """
    distance_valid = distances != -1
    num_distance_valid = distance_valid.sum()
    if num_distance_valid > 0:
        return (distances[distance_valid] < thr).sum() / num_distance_valid
    return -1


def pose_pck_accuracy(output, target, mask, thr=0.05, normalize=None):
    """Calculate the pose accuracy of PCK for each individual keypoint and the
    averaged accuracy across all keypoints from heatmaps.

    Note:
        The heatmap peaks are compared with :func:`keypoint_pck_accuracy`.

        batch_size: N
        num_keypoints: K
        heatmap height: H
        heatmap width: W

    Args:
        output (np.ndarray[N, K, H, W]): Model output heatmaps.
        target (np.ndarray[N, K, H, W]): Groundtruth heatmaps.
        mask (np.ndarray[N, K]): Visibility of the target (True: visible);
            invisible joints are ignored.
        thr (float): Threshold of PCK calculation. Default 0.05.
        normalize (np.ndarray[N, 2]): Normalization factor for H&W; default
            [H, W] per sample (the order 0.x used).

    Returns:
        tuple: (np.ndarray[K] accuracy of each keypoint, float averaged
        accuracy across all keypoints, int number of valid keypoints).
    """
    N, K, H, W = output.shape
    if K == 0:
        return None, 0, 0
    if normalize is None:
        normalize = np.tile(np.array([[H, W]]), (N, 1))
    pred, _ = get_max_preds(output)
    gt, _ = get_max_preds(target)
    return keypoint_pck_accuracy(pred, gt, mask, thr, normalize)


def keypoint_pck_accuracy(pred, gt, mask, thr, normalize):
    """Calculate the pose accuracy of PCK for each individual keypoint and the
    averaged accuracy across all keypoints for coordinates.

    Note:
        PCK metric measures accuracy of the localization of the body joints.
        The distances between predicted positions and the ground-truth ones
        are typically normalized by the bounding box size.
        The threshold (thr) of the normalized distance is commonly set
        as 0.05, 0.1 or 0.2 etc.

        batch_size: N
        num_keypoints: K

    Args:
        pred (np.ndarray[N, K, 2]): Predicted keypoint location.
        gt (np.ndarray[N, K, 2]): Groundtruth keypoint location.
        mask (np.ndarray[N, K]): Visibility of the target. False for invisible
            joints, and True for visible. Invisible joints will be ignored for
            accuracy calculation.
        thr (float): Threshold of PCK calculation.
        normalize (np.ndarray[N, 2]): Normalization factor for H&W.

    Returns:
        tuple: A tuple containing keypoint accuracy.

        - acc (np.ndarray[K]): Accuracy of each keypoint (-1 where no
          keypoint is valid).
        - avg_acc (float): Averaged accuracy across all keypoints.
        - cnt (int): Number of valid keypoints.
    """
    distances = _calc_distances(pred, gt, mask, normalize)
    valid = distances != -1
    num_valid = valid.sum(axis=1)
    num_below = (valid & (distances < thr)).sum(axis=1)
    acc = np.where(num_valid > 0, num_below / np.maximum(num_valid, 1), -1)
    valid_acc = acc[acc >= 0]
    cnt = len(valid_acc)
    avg_acc = valid_acc.mean() if cnt > 0 else 0
    return acc, avg_acc, cnt


def keypoint_auc(pred, gt, mask, normalize, num_step=20):
    """Calculate the area under the PCK curve over thresholds
    ``[0, 1/num_step, ..., (num_step-1)/num_step]``.

    Note:
        batch_size: N
        num_keypoints: K

    Args:
        pred (np.ndarray[N, K, 2]): Predicted keypoint location.
        gt (np.ndarray[N, K, 2]): Groundtruth keypoint location.
        mask (np.ndarray[N, K]): Visibility of the target (True: visible);
            invisible joints are ignored.
        normalize (float): Normalization factor.
        num_step (int): Number of thresholds. Default: 20.

    Returns:
        float: Area under curve.
    """
    nor = np.tile(np.array([[normalize, normalize]]), (pred.shape[0], 1))
    # the distances once, then the PCK of every threshold at once (as
    # keypoint_pck_accuracy computes it per threshold)
    distances = _calc_distances(pred, gt, mask, nor)
    valid = distances != -1
    num_valid = valid.sum(axis=1)
    thrs = np.arange(num_step) / num_step
    num_below = (valid & (distances < thrs[:, None, None])).sum(axis=2)
    has_valid = num_valid > 0
    if not has_valid.any():
        return 0.0
    accs = num_below[:, has_valid] / num_valid[has_valid]
    auc = 0
    for acc in accs:  # one 1-D mean per threshold, summed in 0.x's order
        auc += 1.0 / num_step * acc.mean()
    return auc


def keypoint_nme(pred, gt, mask, normalize_factor):
    """Calculate the normalized mean error (NME).

    Note:
        batch_size: N
        num_keypoints: K

    Args:
        pred (np.ndarray[N, K, 2]): Predicted keypoint location.
        gt (np.ndarray[N, K, 2]): Groundtruth keypoint location.
        mask (np.ndarray[N, K]): Visibility of the target (True: visible);
            invisible joints are ignored.
        normalize_factor (np.ndarray[N, 2]): Normalization factor per
            sample and axis (e.g. the inter-ocular distance in both columns).

    Returns:
        float: Mean of the normalized distances of the valid keypoints (0
        when no keypoint is valid).
    """
    distances = _calc_distances(pred, gt, mask, normalize_factor)
    distance_valid = distances[distances != -1]
    return distance_valid.sum() / max(1, len(distance_valid))


def keypoint_epe(pred, gt, mask):
    """Calculate the end-point error.

    Note:
        Shapes: N batch size, K keypoints.

    Args:
        pred (np.ndarray[N, K, 2]): Predicted keypoint location.
        gt (np.ndarray[N, K, 2]): Groundtruth keypoint location.
        mask (np.ndarray[N, K]): Visibility of the target (True: visible);
            invisible joints are ignored.

    Returns:
        float: Average end-point error (0 when no keypoint is valid).
    """
    unit = np.ones((pred.shape[0], pred.shape[2]), dtype=np.float32)
    return keypoint_nme(pred, gt, mask, unit)


def keypoints_from_heatmaps(heatmaps,
                            center,
                            scale,
                            unbiased=False,
                            post_process='default',
                            kernel=11,
                            valid_radius_factor=0.0546875,
                            use_udp=False,
                            target_type='GaussianHeatMap'):
    """Get final keypoint predictions from heatmaps and transform them back to
    the image.

    Note:
        batch size: N
        num keypoints: K
        heatmap height: H
        heatmap width: W

    Args:
        heatmaps (np.ndarray[N, K, H, W]): model predicted heatmaps (for
            'CombinedTarget', [N, 3K, H, W]). Not modified.
        center (np.ndarray[N, 2]): Center of the bounding box (x, y).
        scale (np.ndarray[N, 2]): Scale of the bounding box
            wrt height/width.
        post_process (str/None): Choice of methods to post-process
            heatmaps. Currently supported: None, 'default', 'unbiased',
            'megvii'.
        unbiased (bool): Option to use unbiased decoding. Mutually
            exclusive with megvii.
            Note: this arg is deprecated and unbiased=True can be replaced
            by post_process='unbiased' (it emits a DeprecationWarning).
            Paper ref: Zhang et al. Distribution-Aware Coordinate
            Representation for Human Pose Estimation (CVPR 2020).
        kernel (int): Gaussian kernel size (K) for modulation, which should
            match the heatmap gaussian sigma when training.
            K=17 for sigma=3 and k=11 for sigma=2.
        valid_radius_factor (float): The radius factor of the positive area
            in classification heatmap for UDP.
        use_udp (bool): Use unbiased data processing.
        target_type (str): 'GaussianHeatMap' or 'CombinedTarget'.
            GaussianHeatMap: Classification target with gaussian distribution.
            CombinedTarget: The combination of classification target
            (response map) and regression target (offset map). Unlike 0.x,
            which only decoded it correctly for a batch of one, any batch
            size N works.
            Paper ref: Huang et al. The Devil is in the Details: Delving into
            Unbiased Data Processing for Human Pose Estimation (CVPR 2020).

    Returns:
        tuple: A tuple containing keypoint predictions and scores.

        - preds (np.ndarray[N, K, 2]): Predicted keypoint location in images.
        - maxvals (np.ndarray[N, K, 1]): Scores (confidence) of the keypoints.
    """
    codec = build_codec(
        codec_cfg_from_flags(
            target_type=target_type,
            valid_radius_factor=valid_radius_factor,
            use_udp=use_udp,
            post_process=post_process,
            unbiased=unbiased,
            modulate_kernel=kernel))
    return keypoints_from_codec(codec, heatmaps, center, scale)


def keypoints_from_codec(codec, output, center, scale):
    """Decode model outputs with a codec and map the keypoints to the image.

    This is :func:`keypoints_from_heatmaps` for a codec built beforehand
    (heads build theirs once from their test config).

    Note:
        Shapes: N batch size, K keypoints, H x W heatmap.

    Args:
        codec (BaseKeypointCodec): A heatmap codec (``mmpose.core.codecs``).
        output (np.ndarray[N, C, H, W]): Model outputs, C = K times the
            codec's ``channels_per_keypoint``. Not modified.
        center (np.ndarray[N, 2]): Center of the bounding box (x, y).
        scale (np.ndarray[N, 2]): Scale of the bounding box
            wrt height/width.

    Returns:
        tuple:
        - preds (np.ndarray[N, K, 2]): Predicted keypoint location in images.
        - maxvals (np.ndarray[N, K, 1]): Scores (confidence) of the keypoints.
    """
    preds, maxvals = codec.decode(output)
    H, W = output.shape[-2:]
    preds = transform_preds_batch(preds, center, scale, [W, H], codec.use_udp)
    return preds, maxvals


def keypoints_from_regression(regression_preds, center, scale, img_size):
    """Get final keypoint predictions from regression vectors and transform
    them back to the image.

    Note:
        batch_size: N
        num_keypoints: K

    Args:
        regression_preds (np.ndarray[N, K, 2]): model prediction.
        center (np.ndarray[N, 2]): Center of the bounding box (x, y).
        scale (np.ndarray[N, 2]): Scale of the bounding box
            wrt height/width.
        img_size (list(img_width, img_height)): model input image size.

    Returns:
        tuple:
        - preds (np.ndarray[N, K, 2]): Predicted keypoint location in images.
        - maxvals (np.ndarray[N, K, 1]): Scores (confidence) of the keypoints.
    """
    preds, maxvals = RegressionLabel(img_size).decode(regression_preds)
    preds = transform_preds_batch(preds, center, scale, img_size)
    return preds, maxvals
