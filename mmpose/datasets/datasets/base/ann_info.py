"""``ann_info`` from a config's ``data_cfg`` and the dataset's metadata, and
the box -> (center, scale) convention, written once for every dataset."""
import numpy as np

from mmpose.core.post_processing.post_transforms import PIXEL_STD
from mmpose.utils import check

#: ``data_cfg`` keys every dataset copies into ``ann_info``.
_COMMON_KEYS = ('num_joints', 'inference_channel', 'dataset_channel')
#: Further keys of bottom-up configs.
_BOTTOM_UP_KEYS = ('num_scales', 'scale_aware_sigma')


def build_ann_info(data_cfg, meta=None, bottom_up=False):
    """Build a dataset's ``ann_info`` dict as MMPose 0.x datasets hold it.

    Args:
        data_cfg (dict): The config's ``data_cfg``: ``image_size``,
            ``heatmap_size``, ``num_joints``, ``inference_channel``,
            ``dataset_channel``; top-down also ``num_output_channels`` and
            optionally ``use_different_joint_weights``; bottom-up also
            ``num_scales`` and ``scale_aware_sigma``.
        meta (DatasetMeta | None): Keypoint metadata; it gives
            ``flip_pairs``, ``upper_body_ids``, ``lower_body_ids``,
            ``joint_weights`` (and ``flip_index`` for bottom-up). None gives
            0.x's defaults (no pairs, unit weights).
        bottom_up (bool): Build a bottom-up ``ann_info`` (``image_size`` as
            given, its scale keys and ``flip_index``). Default: False.

    Returns:
        dict: The ``ann_info``.
    """
    missing = [
        key for key in ('image_size', 'heatmap_size') + _COMMON_KEYS +
        (_BOTTOM_UP_KEYS if bottom_up else ('num_output_channels', ))
        if key not in data_cfg
    ]
    if missing:
        raise KeyError(f'data_cfg lacks {", ".join(missing)}')
    num_joints = data_cfg['num_joints']
    info = dict(
        image_size=data_cfg['image_size']
        if bottom_up else np.array(data_cfg['image_size']),
        heatmap_size=np.array(data_cfg['heatmap_size']))
    info.update((key, data_cfg[key]) for key in _COMMON_KEYS)
    if bottom_up:
        info.update((key, data_cfg[key]) for key in _BOTTOM_UP_KEYS)
    else:
        info['num_output_channels'] = data_cfg['num_output_channels']
        info['use_different_joint_weights'] = data_cfg.get(
            'use_different_joint_weights', False)
    if meta is None:
        info.update(
            flip_pairs=[],
            upper_body_ids=[],
            lower_body_ids=[],
            joint_weights=np.ones((num_joints, 1), dtype=np.float32))
        return info
    check(
        meta.num_keypoints == num_joints,
        f'data_cfg num_joints={num_joints} does not match the '
        f'{meta.num_keypoints} keypoints of dataset {meta.dataset_name!r}')
    info.update(meta.ann_info())
    if bottom_up:
        info['flip_index'] = meta.flip_index
    return info


def bbox_xywh2cs(bbox, aspect_ratio, padding=1.25, pixel_std=PIXEL_STD):
    """Convert boxes (x, y, w, h) to the center and scale of the top-down
    affine transform.

    Each box is grown to ``aspect_ratio`` (width / height), then by
    ``padding`` for context; scale is in units of ``pixel_std`` pixels.

    Note:
        number of boxes: N

    Args:
        bbox (np.ndarray[4] | np.ndarray[N, 4]): Boxes (x, y, w, h); more
            columns (a score) are ignored.
        aspect_ratio (float): Width / height of the model input.
        padding (float): Scale enlargement factor. Default: 1.25.
        pixel_std (float): The scale unit. Default: 200.

    Returns:
        tuple: center and scale (np.ndarray[2] or np.ndarray[N, 2] each),
        float32.
    """
    bbox = np.asarray(bbox, dtype=np.float64)
    x, y, w, h = (bbox[..., i] for i in range(4))
    center = np.stack([x + w * 0.5, y + h * 0.5], axis=-1).astype(np.float32)
    wider = w > aspect_ratio * h
    w, h = (np.where(wider, w, h * aspect_ratio),
            np.where(wider, w * 1.0 / aspect_ratio, h))
    scale = np.stack([w / pixel_std, h / pixel_std],
                     axis=-1).astype(np.float32) * np.float32(padding)
    return center, scale
