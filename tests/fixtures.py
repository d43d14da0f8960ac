"""Shared test-data writers: small files in the formats mmpose reads.

Each function writes into a folder the test owns (``tmp_path``) and returns
what it wrote, so tests compare against the values they generated.
Add new writers as new functions.
"""
import json
import os

import numpy as np


def write_coco_keypoint_dataset(root,
                                num_joints=17,
                                image_sizes=((320, 240), (300, 260)),
                                persons_per_image=(2, 1),
                                extra_annotations=True,
                                seed=0):
    """Write a tiny COCO keypoint dataset: images and one annotation json.

    Each person has a box inside its image and keypoints inside the box;
    about a third of the keypoints are unlabelled (v=0), the rest have v=1 or
    v=2. With ``extra_annotations`` the first image also gets the kinds of
    annotation a loader must skip or fix:

    - a crowd annotation (``iscrowd=1``),
    - a person without labelled keypoints (``num_keypoints=0``),
    - a box hanging over the image's right and bottom edges, which
      must be clipped (its person is valid and has keypoints).

    Args:
        root (str | Path): Folder to write to; images go in
            ``root/images/``, the json is ``root/annotations.json``.
        num_joints (int): Keypoints per person K.
        image_sizes (Sequence[tuple[int, int]]): (width, height) per image.
        persons_per_image (Sequence[int]): Valid persons per image (not
            counting the edge-clipped extra one).
        extra_annotations (bool): Add the annotations described above.
        seed (int): Seed of the generated coordinates.

    Returns:
        dict: ``ann_file``, ``img_prefix`` (ending in a separator), ``data``
        (the json as a dict) and ``valid`` (per image id, the list of
        annotations a loader must keep, in file order).
    """
    import cv2
    rng = np.random.RandomState(seed)
    root = str(root)
    img_dir = os.path.join(root, 'images')
    os.makedirs(img_dir, exist_ok=True)

    images, annotations = [], []
    valid = {}
    ann_id = 1

    def add_person(image_id, bbox, keypoints, **extra):
        nonlocal ann_id
        ann = dict(
            id=ann_id,
            image_id=image_id,
            category_id=1,
            bbox=[float(v) for v in bbox],
            area=float(bbox[2] * bbox[3] * 0.6),
            iscrowd=0,
            keypoints=[int(v) for v in keypoints.reshape(-1)],
            num_keypoints=int((keypoints[:, 2] > 0).sum()),
            segmentation=[])
        ann.update(extra)
        annotations.append(ann)
        ann_id += 1
        return ann

    def random_keypoints(x, y, w, h):
        kpts = np.zeros((num_joints, 3), dtype=np.int64)
        kpts[:, 0] = rng.randint(int(x) + 1, int(x + w) - 1, num_joints)
        kpts[:, 1] = rng.randint(int(y) + 1, int(y + h) - 1, num_joints)
        kpts[:, 2] = rng.choice([0, 1, 2], num_joints, p=[0.3, 0.2, 0.5])
        kpts[0, 2] = 2  # at least one labelled keypoint
        kpts[kpts[:, 2] == 0, :2] = 0
        return kpts

    for index, ((width, height),
                num_persons) in enumerate(zip(image_sizes, persons_per_image)):
        image_id = 100 + index
        file_name = f'{image_id:012d}.jpg'
        cv2.imwrite(
            os.path.join(img_dir, file_name),
            rng.randint(0, 255, (height, width, 3)).astype(np.uint8))
        images.append(
            dict(id=image_id, file_name=file_name, width=width, height=height))
        valid[image_id] = []
        for _ in range(num_persons):
            w = rng.randint(width // 4, width // 2)
            h = rng.randint(height // 3, height * 2 // 3)
            x = rng.randint(0, width - w)
            y = rng.randint(0, height - h)
            valid[image_id].append(
                add_person(image_id, (x, y, w, h),
                           random_keypoints(x, y, w, h)))
        if extra_annotations and index == 0:
            x, y, w, h = 10, 20, 60, 80
            add_person(
                image_id, (x, y, w, h),
                random_keypoints(x, y, w, h),
                iscrowd=1)
            add_person(image_id, (x, y, w, h),
                       np.zeros((num_joints, 3), dtype=np.int64))
            x, y, w, h = width - 50, height - 70, 90, 120
            valid[image_id].append(
                add_person(image_id, (x, y, w, h),
                           random_keypoints(x, y, 49, 69)))

    keypoint_names = [f'kpt_{i}' for i in range(num_joints)]
    data = dict(
        images=images,
        annotations=annotations,
        categories=[
            dict(
                id=1,
                name='person',
                supercategory='person',
                keypoints=keypoint_names,
                skeleton=[])
        ])
    ann_file = os.path.join(root, 'annotations.json')
    with open(ann_file, 'w') as f:
        json.dump(data, f)
    return dict(
        ann_file=ann_file, img_prefix=img_dir + os.sep, data=data, valid=valid)


def write_coco_detections(path, detections):
    """Write a COCO detection results file (``bbox_file``).

    Args:
        path (str | Path): File to write.
        detections (list[dict]): Each with ``image_id``, ``bbox`` (x, y, w,
            h), ``score`` and optionally ``category_id`` (default 1).

    Returns:
        str: The path written.
    """
    records = [
        dict(
            category_id=det.get('category_id', 1),
            image_id=det['image_id'],
            bbox=[float(v) for v in det['bbox']],
            score=float(det['score'])) for det in detections
    ]
    with open(path, 'w') as f:
        json.dump(records, f)
    return str(path)


def topdown_img_metas(batch=2, **extra):
    """``img_metas`` of a top-down test batch: box i has ``image_file``
    'i.jpg', center (100, 120), scale (0.6, 0.8) (a 120 x 160 pixel box),
    ``bbox_score`` 0.5 + i and ``bbox_id`` 10 + i; ``extra`` items are added
    to every meta.

    Returns:
        list[dict]: One meta per box.
    """
    return [
        dict(
            image_file=f'{i}.jpg',
            center=np.array([100., 120.]),
            scale=np.array([0.6, 0.8]),
            rotation=0,
            bbox_score=0.5 + i,
            bbox_id=10 + i,
            **extra) for i in range(batch)
    ]


def tiny_bottom_up_model(num_joints, test_cfg):
    """A small associative-embedding model config: one ResNet-18 stage
    (stride 4, 64 channels) and a ``BottomUpSimpleHead`` without deconvs."""
    return dict(
        type='BottomUp',
        pretrained=None,
        backbone=dict(
            type='ResNet',
            depth=18,
            num_stages=1,
            strides=(1, ),
            dilations=(1, ),
            out_indices=(0, )),
        keypoint_head=dict(
            type='BottomUpSimpleHead',
            in_channels=64,
            num_joints=num_joints,
            num_deconv_layers=0,
            with_ae_loss=[True]),
        train_cfg=dict(),
        test_cfg=test_cfg)
