"""Reading COCO-format keypoint annotation files (shared by every base that
loads this format), with errors that name the file and what is wrong."""
import json
import os

from xtcocotools.coco import COCO


def load_coco_keypoint_file(ann_file, num_joints=None,
                            require_annotations=True):
    """Load and check a COCO-format keypoint annotation file.

    Args:
        ann_file (str): Path to the json file (config key ``ann_file``).
        num_joints (int, optional): If given, every annotation with
            ``keypoints`` must hold ``num_joints * 3`` numbers.
        require_annotations (bool): Whether the file must have an
            ``annotations`` list (an image-info file used with detection
            results may lack it). Default: True.

    Returns:
        xtcocotools.coco.COCO: The indexed annotations.
    """
    if not os.path.isfile(ann_file):
        raise FileNotFoundError(
            f'annotation file {ann_file!r} (config key ann_file) not found')
    try:
        with open(ann_file, 'r') as f:
            data = json.load(f)
    except json.JSONDecodeError as e:
        raise ValueError(f'annotation file {ann_file!r} is not valid json: '
                         f'{e}') from None
    if not isinstance(data, dict):
        raise ValueError(
            f'annotation file {ann_file!r} is not in COCO keypoint format: '
            f'expected a json object with images/annotations/categories, '
            f'got a json {type(data).__name__}')
    required = ('images', 'annotations',
                'categories') if require_annotations else ('images',
                                                           'categories')
    missing = [key for key in required if key not in data]
    if missing:
        raise ValueError(
            f'annotation file {ann_file!r} is not in COCO keypoint format: '
            f'missing key(s) {", ".join(missing)}')
    _check_keypoints(ann_file, data.get('annotations', []), num_joints)
    return COCO(ann_file, ann_data=data)


def _check_keypoints(ann_file, annotations, num_joints):
    if annotations and not any('keypoints' in ann for ann in annotations):
        raise ValueError(
            f'annotation file {ann_file!r} is not in COCO keypoint format: '
            f'none of its {len(annotations)} annotations has "keypoints" '
            f'(a detection-only file?)')
    if num_joints is None:
        return
    for ann in annotations:
        if 'keypoints' in ann and len(ann['keypoints']) != num_joints * 3:
            raise ValueError(
                f'annotation file {ann_file!r}: annotation id '
                f'{ann.get("id")} has {len(ann["keypoints"])} keypoint '
                f'values, expected num_joints * 3 = {num_joints * 3}')
