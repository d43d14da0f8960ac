"""Reading COCO-format keypoint annotation files (shared by every base that
loads this format), with errors that name the file and what is wrong."""
import json
import os

import numpy as np
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
        # flat [x, y, v] * K lists, or [K, 3] ones (RHD)
        size = np.size(ann['keypoints']) if 'keypoints' in ann else None
        if size is not None and size != num_joints * 3:
            raise ValueError(
                f'annotation file {ann_file!r}: annotation id '
                f'{ann.get("id")} has {size} keypoint values, expected '
                f'num_joints * 3 = {num_joints * 3}')


def coco_keypoints_to_joints(keypoints, num_joints, offset=0):
    """COCO keypoint lists -> MMPose's ``joints_3d`` / ``joints_3d_visible``.

    Note:
        number of annotations: A
        num_keypoints: K

    Args:
        keypoints (Sequence[Sequence[float]]): A flat ``[x, y, v] * K``
            list (or [K, 3] nested list) per annotation.
        num_joints (int): K.
        offset (float): Added to x and y (in float64, before the cast).
            Default: 0.

    Returns:
        tuple: joints_3d (np.ndarray[A, K, 3]: x, y, 0) and
        joints_3d_visible (np.ndarray[A, K, 3]: min(v, 1) twice, 0), both
        float32.
    """
    kpts = np.array(keypoints, dtype=np.float64).reshape(-1, num_joints, 3)
    joints_3d = np.zeros(kpts.shape, dtype=np.float32)
    joints_3d[..., :2] = kpts[..., :2] + offset
    joints_3d_visible = np.zeros(kpts.shape, dtype=np.float32)
    joints_3d_visible[..., :2] = np.minimum(1, kpts[..., 2:3])
    return joints_3d, joints_3d_visible


def clip_coco_bbox(obj, width, height, offset=0):
    """Clip an annotation's box to its image, as COCO-style loaders do.

    Args:
        obj (dict): COCO annotation.
        width (int): Image width.
        height (int): Image height.
        offset (float): Added to the box's x and y first (-1 for 1-based
            MATLAB annotations). Default: 0.

    Returns:
        list[float] | None: ``[x, y, w, h]``, or None for a missing or
        empty box or a zero ``area``.
    """
    if 'bbox' not in obj:
        return None
    x, y, w, h = obj['bbox']
    x, y = x + offset, y + offset
    x1 = max(0, x)
    y1 = max(0, y)
    x2 = min(width - 1, x1 + max(0, w - 1))
    y2 = min(height - 1, y1 + max(0, h - 1))
    if ('area' not in obj or obj['area'] > 0) and x2 > x1 and y2 > y1:
        return [x1, y1, x2 - x1, y2 - y1]
    return None


class CocoFormatMixin:
    """Loading of COCO-format keypoint annotation files, for any dataset.

    :meth:`_load_coco` reads ``ann_file`` into ``self.coco`` and the image
    indexes (``img_ids``, ``num_images``, ``id2name``, ``name2id``) and
    category tables (``classes``, ``num_classes``, ...) that MMPose 0.x
    datasets expose. :meth:`_coco_gt_records` then makes one top-down record
    per annotated instance; a top-down class calls it from ``_get_db``.

    A bottom-up dataset uses the same mixin without the top-down records:
    ``class BottomUpBaseDataset(CocoFormatMixin, Dataset)`` calls
    ``self._load_coco(ann_file, num_joints)`` in ``__init__`` (with
    ``self.ann_info`` from :func:`build_ann_info` with ``bottom_up=True``),
    reads each image's annotations with ``self.coco.getAnnIds`` /
    ``loadAnns`` and :func:`coco_keypoints_to_joints`, maps result paths back
    with :meth:`_image_id_from_path`, and evaluates with
    :mod:`mmpose.core.evaluation.coco_eval` (``rescore_and_nms``,
    ``coco_keypoint_results``, ``write_json_results``,
    ``coco_keypoint_eval``).
    """

    #: Annotation keys whose ``[x, y, v] * n`` lists, concatenated, are an
    #: instance's keypoints (COCO-WholeBody splits them by body part).
    #: Instances whose first one has no labelled keypoint are skipped.
    keypoint_fields = ('keypoints', )

    def _load_coco(self, ann_file, num_joints=None, require_annotations=True):
        """Read ``ann_file`` and set the image and category indexes.

        Args:
            ann_file (str): COCO-format keypoint json.
            num_joints (int | None): Keypoints per annotation, checked.
            require_annotations (bool): Whether the file must have
                annotations (not so for a detection-input image list).
        """
        self.coco = load_coco_keypoint_file(
            ann_file,
            num_joints=num_joints,
            require_annotations=require_annotations)
        cats = [
            cat['name'] for cat in self.coco.loadCats(self.coco.getCatIds())
        ]
        self.classes = ['__background__'] + cats
        self.num_classes = len(self.classes)
        self._class_to_ind = dict(zip(self.classes, range(self.num_classes)))
        self._class_to_coco_ind = dict(zip(cats, self.coco.getCatIds()))
        self._coco_ind_to_class_ind = dict(
            (self._class_to_coco_ind[cls], self._class_to_ind[cls])
            for cls in self.classes[1:])
        self.img_ids = self.coco.getImgIds()
        self.num_images = len(self.img_ids)
        self.id2name, self.name2id = self._get_mapping_id_name(
            self.coco.imgs)

    @staticmethod
    def _get_mapping_id_name(imgs):
        """Map image ids to file names and back.

        Args:
            imgs (dict): ``COCO.imgs``, image id -> image info.

        Returns:
            tuple: id2name (dict[int, str]) and name2id (dict[str, int]).
        """
        id2name = {}
        name2id = {}
        for image_id, image in imgs.items():
            file_name = image['file_name']
            id2name[image_id] = file_name
            name2id[file_name] = image_id
        return id2name, name2id

    def _image_file(self, img_id):
        return os.path.join(self.img_prefix, self.id2name[img_id])

    def _image_id_from_path(self, image_path):
        """Image id of a result's image path (``img_prefix`` + file name)."""
        name = image_path[len(self.img_prefix):] if image_path.startswith(
            self.img_prefix) else image_path
        try:
            return self.name2id[name]
        except KeyError:
            raise KeyError(
                f'result image path {image_path!r} does not name an image of '
                f'{self.annotations_path!r} under img_prefix '
                f'{self.img_prefix!r}') from None

    def _collect_results(self, outputs):
        """Flatten model outputs into one result per box.

        Note:
            Shapes: N batch size, K keypoints.

        Args:
            outputs (list[dict]): One dict per batch with ``preds``
                (np.ndarray[N, K, 3]), ``boxes`` (np.ndarray[N, 6]: center,
                scale, area, score), ``image_paths`` (list[str]) and
                optionally ``bbox_ids`` (list[int]).

        Returns:
            list[dict]: ``keypoints`` (np.ndarray[K, 3]), ``center``,
            ``scale`` (np.ndarray[2]), ``area``, ``score`` (float),
            ``image_id`` and ``bbox_id``.
        """
        results = []
        for output in outputs:
            preds = np.asarray(output['preds'])
            boxes = np.asarray(output['boxes'])
            bbox_ids = output.get('bbox_ids')
            if bbox_ids is None:
                # The model-zoo configs do not collect 'bbox_id': each
                # output box is then its own box, numbered in output order.
                bbox_ids = range(len(results), len(results) + len(preds))
            results.extend({
                'keypoints': pred,
                'center': box[0:2],
                'scale': box[2:4],
                'area': float(box[4]),
                'score': float(box[5]),
                'image_id': self._image_id_from_path(path),
                'bbox_id': bbox_id
            } for pred, box, path, bbox_id in zip(
                preds, boxes, output['image_paths'], bbox_ids))
        return results

    def _coco_gt_records(self,
                         clip_boxes=True,
                         bbox_id_per_image=True,
                         padding=1.25,
                         extra_keys=(),
                         offset=0):
        """One top-down record per annotated (non-crowd) instance.

        Note:
            num_keypoints: K

        Args:
            clip_boxes (bool): COCO-style people: clip boxes to the image
                and skip empty boxes and ``num_keypoints == 0``. Otherwise
                (hands, faces, ...) boxes are used as annotated. Instances
                without a labelled keypoint are always skipped.
            bbox_id_per_image (bool): Number ``bbox_id`` from 0 in each
                image (COCO-style) or through the whole dataset.
            padding (float): Box padding of :meth:`_xywh2cs`.
            extra_keys (Sequence[str]): Annotation keys copied into the
                records (e.g. ``head_size``, ``box_size``).
            offset (float): Added to annotated coordinates (-1 turns
                JHMDB's 1-based MATLAB pixels 0-based). Default: 0.

        Returns:
            list[dict]: Records with ``image_file``, ``center``, ``scale``,
            ``bbox``, ``rotation``, ``joints_3d`` (np.ndarray[K, 3]),
            ``joints_3d_visible`` (np.ndarray[K, 3]), ``dataset``,
            ``bbox_score``, ``bbox_id`` and ``extra_keys``.
        """
        num_joints = self.ann_info['num_joints']
        kept = []
        for img_id in self.img_ids:
            img = self.coco.imgs[img_id]
            objs = self.coco.loadAnns(
                self.coco.getAnnIds(imgIds=img_id, iscrowd=False))
            for obj in objs:
                if 'keypoints' not in obj or np.max(obj['keypoints']) == 0:
                    continue
                if clip_boxes:
                    bbox = clip_coco_bbox(obj, img['width'], img['height'],
                                          offset)
                    if bbox is None or obj.get('num_keypoints', 1) == 0:
                        continue
                    obj['clean_bbox'] = bbox
                else:
                    bbox = obj['bbox']
                kept.append((img_id, obj, bbox))
        if not kept:
            return []
        joints_3d, joints_3d_visible = coco_keypoints_to_joints(
            [sum((obj[key] for key in self.keypoint_fields), [])
             for _, obj, _ in kept], num_joints, offset)
        records = []
        bbox_id = 0
        for i, (img_id, obj, bbox) in enumerate(kept):
            if bbox_id_per_image and i > 0 and kept[i - 1][0] != img_id:
                bbox_id = 0
            center, scale = self._center_scale(obj, bbox, padding)
            record = {
                'image_file': self._image_file(img_id),
                'center': center,
                'scale': scale,
                'bbox': bbox,
                'rotation': 0,
                'joints_3d': joints_3d[i],
                'joints_3d_visible': joints_3d_visible[i],
                'dataset': self.dataset_name,
                'bbox_score': 1,
                'bbox_id': bbox_id
            }
            record.update((key, obj[key]) for key in extra_keys)
            records.append(record)
            bbox_id += 1
        return records

    def _center_scale(self, obj, bbox, padding):
        """Center and scale of one instance; a dataset whose annotations
        carry their own may override this."""
        return self._xywh2cs(*bbox[:4], padding=padding)
