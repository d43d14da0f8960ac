"""Writers of small generated datasets in each annotation format the
dataset classes read (COCO-format variants, MPII json + ground-truth .mat),
and the ``data_cfg`` / model-output helpers their tests share."""
import json
import os

import numpy as np

from fixtures import write_coco_keypoint_dataset


def make_data_cfg(num_joints, image_size=(192, 256), **extra):
    """A top-down ``data_cfg`` for ``num_joints`` keypoints; COCO-style
    detection keys with ground-truth boxes; ``extra`` overrides."""
    cfg = dict(
        image_size=list(image_size),
        heatmap_size=[image_size[0] // 4, image_size[1] // 4],
        num_output_channels=num_joints,
        num_joints=num_joints,
        dataset_channel=[list(range(num_joints))],
        inference_channel=list(range(num_joints)),
        soft_nms=False,
        nms_thr=1.0,
        oks_thr=0.9,
        vis_thr=0.2,
        use_gt_bbox=True,
        det_bbox_thr=0.0,
        bbox_file='')
    cfg.update(extra)
    return cfg


def write_coco_format_dataset(root, num_joints, annotation_extras=None,
                              **kwargs):
    """A COCO-format keypoint dataset (see
    :func:`fixtures.write_coco_keypoint_dataset`) whose annotations also
    carry dataset-specific keys, and whose images a ``crowdIndex`` (0.5).

    Args:
        root (str | Path): Folder to write to.
        num_joints (int): Keypoints per instance K.
        annotation_extras (callable | None): ``f(ann, rng) -> dict`` of keys
            to add to each annotation (e.g. Panoptic's ``head_size``).
        **kwargs: Passed to ``write_coco_keypoint_dataset``.

    Returns:
        dict: As ``write_coco_keypoint_dataset``; ``data`` and ``valid``
        hold the added keys.
    """
    fixture = write_coco_keypoint_dataset(root, num_joints=num_joints,
                                          **kwargs)
    for img in fixture['data']['images']:
        img['crowdIndex'] = 0.5  # CrowdPose's COCOeval needs one
    if annotation_extras is not None:
        rng = np.random.RandomState(1)
        for ann in fixture['data']['annotations']:
            ann.update(annotation_extras(ann, rng))
    with open(fixture['ann_file'], 'w') as f:
        json.dump(fixture['data'], f)
    return fixture


def write_mpii_dataset(root, num_people=4, num_joints=16, seed=0):
    """An MPII-format json (``image``, ``center``, ``scale``, ``joints``,
    ``joints_vis``, 1-based pixels) and the matching official-style
    ``mpii_gt_val.mat`` beside it.

    Args:
        root (str | Path): Folder to write to.
        num_people (int): People (one per image).
        num_joints (int): Keypoints per person (16 for MPII).
        seed (int): Seed of the generated values.

    Returns:
        dict: ``ann_file``, ``img_prefix``, ``people`` (the json list) and
        ``gt`` (the .mat's arrays: ``jnt_missing`` [K, N], ``pos_gt_src``
        [K, 2, N], ``headboxes_src`` [2, 2, N]).
    """
    from scipy.io import savemat
    rng = np.random.RandomState(seed)
    root = str(root)
    os.makedirs(root, exist_ok=True)
    joints = rng.uniform(50, 400, (num_people, num_joints, 2)).round(1)
    joints_vis = (rng.rand(num_people, num_joints) > 0.2).astype(int)
    joints_vis[:, 9] = 1
    people = [
        dict(
            image=f'{i:09d}.jpg',
            center=[float(c) for c in joints[i].mean(axis=0).round()],
            scale=round(float(rng.uniform(1, 3)), 3),
            joints=joints[i].tolist(),
            joints_vis=joints_vis[i].tolist()) for i in range(num_people)
    ]
    if num_people:
        people[-1]['center'] = [-1.0, -1.0]
    ann_file = os.path.join(root, 'mpii_val.json')
    with open(ann_file, 'w') as f:
        json.dump(people, f)
    head_top_left = rng.uniform(0, 300, (num_people, 2))
    head_size = rng.uniform(20, 60, (num_people, 2))
    gt = dict(
        dataset_joints=np.array([[
            'rank', 'rkne', 'rhip', 'lhip', 'lkne', 'lank', 'pelv', 'thrx',
            'neck', 'head', 'rwri', 'relb', 'rsho', 'lsho', 'lelb', 'lwri'
        ][:num_joints]],
                                dtype=object),
        jnt_missing=(1 - joints_vis).T.astype(np.float64),
        pos_gt_src=joints.transpose(1, 2, 0),
        headboxes_src=np.stack([head_top_left, head_top_left + head_size],
                               axis=0).transpose(0, 2, 1))
    savemat(os.path.join(root, 'mpii_gt_val.mat'), gt)
    return dict(
        ann_file=ann_file, img_prefix=root + os.sep, people=people, gt=gt)


def outputs_from_db(db, offsets=None, score=1.0, batch_size=2):
    """Model-like ``evaluate`` outputs whose keypoints are the records'
    ground truth plus ``offsets`` (np.ndarray[N, K, 2] or None), batched.
    """
    joints = np.stack([e['joints_3d'][:, :2] for e in db]).astype(np.float64)
    if offsets is not None:
        joints = joints + offsets
    preds = np.concatenate(
        [joints, np.full(joints.shape[:2] + (1, ), score)], axis=2)
    outputs = []
    for start in range(0, len(db), batch_size):
        entries = db[start:start + batch_size]
        outputs.append(
            dict(
                preds=preds[start:start + batch_size],
                boxes=np.array([[
                    *e['center'], *e['scale'],
                    np.prod(e['scale']) * 200**2, 1.0
                ] for e in entries]),
                image_paths=[e['image_file'] for e in entries],
                bbox_ids=[e['bbox_id'] for e in entries]))
    return outputs


def write_mpii_trb_dataset(root, num_people=3, seed=0):
    """An MPII-TRB json: images named by their ids, people with ``center``,
    ``scale``, 40 ``keypoints`` and a ``headbox`` (x1, y1, x2, y2); the
    last person has no labelled keypoint.

    Returns:
        dict: ``ann_file``, ``img_prefix`` and ``data`` (the json).
    """
    rng = np.random.RandomState(seed)
    root = str(root)
    os.makedirs(root, exist_ok=True)
    images, annotations = [], []
    for i in range(num_people):
        image_id = 1000 + i
        images.append(dict(id=image_id, file_name=f'{image_id:09d}.jpg'))
        kpts = np.zeros((40, 3))
        kpts[:, :2] = rng.uniform(50, 300, (40, 2)).round(1)
        kpts[:, 2] = rng.rand(40) > 0.2
        if i == num_people - 1:
            kpts[:] = 0
        x, y = rng.uniform(0, 100, 2).round(1)
        annotations.append(
            dict(
                id=50 - i,  # loaders sort by id
                image_id=image_id,
                center=[float(v) for v in rng.uniform(100, 200, 2).round()],
                scale=round(float(rng.uniform(0.2, 0.6)), 4),
                keypoints=kpts.reshape(-1).tolist(),
                headbox=[x, y, x + 30.0, y + 40.0]))
    data = dict(images=images, annotations=annotations, categories=[])
    ann_file = os.path.join(root, 'mpii_trb.json')
    with open(ann_file, 'w') as f:
        json.dump(data, f)
    return dict(ann_file=ann_file, img_prefix=root + os.sep, data=data)


def write_image_files(img_prefix, file_names, size=(480, 480), seed=0):
    """Random ``size`` (width, height) jpg images under ``img_prefix`` for
    the annotation formats whose writers leave images out (MPII, MPII-TRB),
    so that pipelines loading images run on them."""
    import cv2
    rng = np.random.RandomState(seed)
    for name in dict.fromkeys(file_names):
        path = os.path.join(img_prefix, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        cv2.imwrite(path, rng.randint(0, 255, size[::-1] + (3, ), np.uint8))


def _annotation_keys_every_loader_reads(ann, rng):
    """Panoptic's ``head_size``, AFLW's ``box_size`` and PoseTrack18's
    ``bbox_head``, derived from the person box."""
    x, y, w, h = ann['bbox']
    return dict(head_size=40.0, box_size=float(max(w, h)),
                bbox_head=[x, y, w / 3, h / 4])


def write_dataset_for(type_name, root, num_joints, small=False):
    """A generated dataset, with images, in the annotation format the
    registered dataset type ``type_name`` reads: MPII json (+ ground-truth
    .mat), MPII-TRB json, or COCO-format json for every other 2D top-down
    type (annotations carrying the extra keys some of them read).

    Args:
        type_name (str): Registered dataset type.
        root (str | Path): Folder to write to.
        num_joints (int): Keypoints per instance K.
        small (bool): For COCO-format types, two instances (one test
            batch) instead of four, without the annotations to be skipped.

    Returns:
        dict: at least ``ann_file`` and ``img_prefix``.
    """
    if type_name == 'TopDownMpiiDataset':
        # (four people: with fewer, a joint may be unlabelled in all of
        # them, and its PCKh is NaN as in 0.x)
        fixture = write_mpii_dataset(root, num_joints=num_joints)
        write_image_files(fixture['img_prefix'],
                          [p['image'] for p in fixture['people']])
    elif type_name == 'TopDownMpiiTrbDataset':
        fixture = write_mpii_trb_dataset(root, num_people=3)
        write_image_files(fixture['img_prefix'],
                          [i['file_name'] for i in fixture['data']['images']])
    else:
        sizes = dict(persons_per_image=(1, 1),
                     extra_annotations=False) if small else {}
        fixture = write_coco_format_dataset(
            root, num_joints,
            annotation_extras=_annotation_keys_every_loader_reads, **sizes)
    return fixture
