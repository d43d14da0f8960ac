"""Reading MPII-format json annotations (a list of people with ``image``,
``center``, ``scale``, ``joints`` and ``joints_vis``) into top-down
records."""
import json
import os

import numpy as np

from mmpose.utils import check


def load_mpii_records(ann_file, img_prefix, num_joints, with_joints=True,
                      dataset_name='mpii'):
    """Load an MPII json into top-down records, as MMPose 0.x does.

    MPII's boxes are (center, scale) in 1-based MATLAB pixels: the center is
    moved down by 15 * scale (to keep the limbs in the crop) and the scale
    padded by 1.25 (both unless the center is -1), then everything is made
    0-based.

    Note:
        num_keypoints: K

    Args:
        ann_file (str): The json file.
        img_prefix (str): Folder of the images.
        num_joints (int): K.
        with_joints (bool): Read ``joints``/``joints_vis`` (0.x reads them
            only outside test mode). Default: True.
        dataset_name (str): ``dataset`` of the records. Default: 'mpii'.

    Returns:
        list[dict]: Records with ``image_file``, ``bbox_id``, ``center``,
        ``scale`` (np.ndarray[2], float32), ``rotation``, ``joints_3d`` and
        ``joints_3d_visible`` (np.ndarray[K, 3], float32), ``dataset`` and
        ``bbox_score``.
    """
    if not os.path.isfile(ann_file):
        raise FileNotFoundError(
            f'annotation file {ann_file!r} (config key ann_file) not found')
    with open(ann_file, 'r') as f:
        anno = json.load(f)
    check(
        isinstance(anno, list),
        f'{ann_file!r} must be an MPII json list of people, got a json '
        f'{type(anno).__name__}')
    num = len(anno)
    centers = np.array([a['center'] for a in anno],
                       dtype=np.float32).reshape(num, 2)
    scales = np.repeat(
        np.array([a['scale'] for a in anno], dtype=np.float32)[:, None],
        2,
        axis=1)
    known = centers[:, 0] != -1
    centers[known, 1] += 15 * scales[known, 1]
    scales[known] *= 1.25
    centers -= 1

    joints_3d = np.zeros((num, num_joints, 3), dtype=np.float32)
    joints_3d_visible = np.zeros((num, num_joints, 3), dtype=np.float32)
    if with_joints and num:
        sizes = {len(a['joints']) for a in anno}
        check(sizes == {num_joints},
              f'{ann_file!r}: people have {sorted(sizes)} joints, data_cfg '
              f'num_joints is {num_joints}')
        joints = np.array([a['joints'] for a in anno], dtype=np.float64)
        joints_3d[..., :2] = joints[..., :2] - 1
        joints_3d_visible[..., :2] = np.array(
            [a['joints_vis'] for a in anno], dtype=np.float32)[..., None]
    return [{
        'image_file': os.path.join(img_prefix, a['image']),
        'bbox_id': i,
        'center': centers[i],
        'scale': scales[i],
        'rotation': 0,
        'joints_3d': joints_3d[i],
        'joints_3d_visible': joints_3d_visible[i],
        'dataset': dataset_name,
        'bbox_score': 1
    } for i, a in enumerate(anno)]


def load_mpii_trb_records(ann_file, img_prefix, num_joints, image_size,
                          test_mode):
    """Load an MPII-TRB json (``images`` / ``annotations`` with ``center``,
    ``scale``, ``keypoints`` and ``headbox``) into top-down records, as
    MMPose 0.x does.

    Image ids are the image file names' numbers. An MPII-TRB ``scale`` is
    the zoom onto the person, so the record's scale is ``image_size /
    scale / 200``. People without labelled keypoints are skipped outside
    test mode; records are sorted by ``bbox_id`` (the annotation id).

    Note:
        Shapes: K keypoints.

    Args:
        ann_file (str): The MPII-TRB json file.
        img_prefix (str): Folder of the images.
        num_joints (int): K (40).
        image_size (np.ndarray[2]): Model input size (w, h).
        test_mode (bool): Keep people without labels.

    Returns:
        list[dict]: Records with ``image_file``, ``center``, ``scale``,
        ``rotation``, ``joints_3d`` and ``joints_3d_visible`` (np.ndarray[K,
        3]), ``dataset`` ('mpii_trb'), ``bbox_id`` and ``headbox`` (when
        annotated).
    """
    from .coco_format import coco_keypoints_to_joints
    with open(ann_file, 'r') as f:
        data = json.load(f)
    id2file = {
        int(os.path.splitext(image['file_name'])[0]): image['file_name']
        for image in data['images']
    }
    anns = [
        ann for ann in data['annotations']
        if test_mode or max(ann['keypoints']) > 0
    ]
    if not anns:
        return []
    joints_3d, joints_3d_visible = coco_keypoints_to_joints(
        [ann['keypoints'] for ann in anns], num_joints)
    records = []
    for i, ann in enumerate(anns):
        record = dict(
            image_file=os.path.join(img_prefix, id2file[ann['image_id']]),
            center=np.array(ann['center'], dtype=np.float32),
            scale=np.asarray(image_size) / ann['scale'] / 200.0,
            rotation=0,
            joints_3d=joints_3d[i],
            joints_3d_visible=joints_3d_visible[i],
            dataset='mpii_trb',
            bbox_id=ann['id'])
        if 'headbox' in ann:
            record['headbox'] = ann['headbox']
        records.append(record)
    return sorted(records, key=lambda x: x['bbox_id'])
