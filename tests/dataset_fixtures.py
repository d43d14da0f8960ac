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


#: COCO-WholeBody's annotation keys and keypoints per part, in order.
WHOLEBODY_PARTS = (('keypoints', 17), ('foot_kpts', 6), ('face_kpts', 68),
                   ('lefthand_kpts', 21), ('righthand_kpts', 21))


def write_coco_wholebody_dataset(root, **kwargs):
    """A COCO-WholeBody dataset: a COCO-format one with 133 keypoints per
    person (see :func:`fixtures.write_coco_keypoint_dataset`) whose
    annotations hold them split as the official files do (``keypoints``
    the 17 body ones, ``foot_kpts``, ``face_kpts``, ``lefthand_kpts``,
    ``righthand_kpts``), ``num_keypoints`` counting the body's.

    Returns:
        dict: As ``write_coco_keypoint_dataset``.
    """
    fixture = write_coco_keypoint_dataset(root, num_joints=133, **kwargs)
    for ann in fixture['data']['annotations']:
        kpts = ann.pop('keypoints')
        start = 0
        for key, size in WHOLEBODY_PARTS:
            ann[key] = kpts[start:start + 3 * size]
            start += 3 * size
        ann['num_keypoints'] = sum(v > 0 for v in ann['keypoints'][2::3])
    with open(fixture['ann_file'], 'w') as f:
        json.dump(fixture['data'], f)
    return fixture


def write_interhand_dataset(root,
                            hand_types=('interacting', 'right', 'left'),
                            joint_valid=None,
                            image_size=(160, 120),
                            seed=0):
    """An InterHand2.6M-format dataset: images, the image/annotation json
    (``capture``, ``camera``, ``frame_idx``; ``joint_valid``, ``hand_type``,
    ``hand_type_valid``, ``bbox``), the camera json (``campos``,
    ``camrot``, ``focal``, ``princpt`` per capture and camera) and the world
    joint json (``world_coord`` per capture and frame).

    Each image is seen by its own camera, rotated at random, whose view of
    the 42 joints (right hand 0-20, left hand 21-41) lies inside the image
    at 400-800 mm depth. A hand absent from ``hand_type`` has no valid
    joint.

    Args:
        root (str | Path): Folder to write to.
        hand_types (Sequence[str]): 'right', 'left' or 'interacting', one
            per image.
        joint_valid (Sequence[Sequence[int]] | None): 42 validity flags per
            image, replacing those of ``hand_types``.
        image_size (tuple[int, int]): (width, height) of every image.
        seed (int): Seed of the generated values.

    Returns:
        dict: ``ann_file``, ``camera_file``, ``joint_file``, ``img_prefix``
        and the three jsons (``data``, ``cameras``, ``joints``).
    """
    rng = np.random.RandomState(seed)
    root = str(root)
    os.makedirs(root, exist_ok=True)
    width, height = image_size
    images, annotations, cameras, joints = [], [], {}, {}
    for i, hand_type in enumerate(hand_types):
        image_id, capture, frame = 100 + i, i % 2, 10 + i
        name = f'cam{i}'
        focal = rng.uniform(150, 250, 2)
        princpt = np.array([width / 2, height / 2]) + rng.uniform(-5, 5, 2)
        rot = np.linalg.qr(rng.randn(3, 3))[0]
        pos = rng.uniform(-500, 500, 3)
        depth = rng.uniform(400, 800, 42)
        pixels = rng.uniform([5, 5], [width - 5, height - 5], (42, 2))
        cam = np.c_[(pixels - princpt) / focal * depth[:, None], depth]
        world = cam @ rot + pos  # R^T x + T, row by row
        camera = cameras.setdefault(
            str(capture), dict(campos={}, camrot={}, focal={}, princpt={}))
        camera['campos'][name] = pos.tolist()
        camera['camrot'][name] = rot.tolist()
        camera['focal'][name] = focal.tolist()
        camera['princpt'][name] = princpt.tolist()
        joints.setdefault(str(capture), {})[str(frame)] = dict(
            world_coord=world.tolist(), hand_type=hand_type)
        if joint_valid is None:
            right = hand_type in ('right', 'interacting')
            left = hand_type in ('left', 'interacting')
            valid = [int(right)] * 21 + [int(left)] * 21
        else:
            valid = list(joint_valid[i])
        images.append(
            dict(id=image_id, file_name=f'image{frame}.jpg', width=width,
                 height=height, capture=capture, camera=name,
                 frame_idx=frame))
        annotations.append(
            dict(id=image_id, image_id=image_id,
                 bbox=[10.0, 10.0, width / 2, height / 2],
                 joint_valid=[[v] for v in valid], hand_type=hand_type,
                 hand_type_valid=1))
    write_image_files(root, [img['file_name'] for img in images],
                      size=image_size, seed=seed)
    fixture = dict(img_prefix=root + os.sep, data=dict(
        images=images, annotations=annotations), cameras=cameras,
                   joints=joints)
    for key, name, content in (('ann_file', 'data', fixture['data']),
                               ('camera_file', 'camera', cameras),
                               ('joint_file', 'joint_3d', joints)):
        fixture[key] = os.path.join(root, f'interhand_{name}.json')
        with open(fixture[key], 'w') as f:
            json.dump(content, f)
    return fixture


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
    .mat), MPII-TRB json, InterHand2.6M's three jsons, COCO-WholeBody json
    (keypoints split by part), or COCO-format json for every other 2D
    top-down type (annotations carrying the extra keys some of them read).

    Args:
        type_name (str): Registered dataset type.
        root (str | Path): Folder to write to.
        num_joints (int): Keypoints per instance K.
        small (bool): For COCO-format types, two instances (one test
            batch) instead of four, without the annotations to be skipped.

    Returns:
        dict: at least ``ann_file`` and ``img_prefix`` (InterHand2.6M also
        ``camera_file`` and ``joint_file``).
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
    elif type_name == 'InterHand2DDataset':
        # three hands (two in one image) for a test split, else four
        fixture = write_interhand_dataset(
            root, ('interacting', 'left') if small else
            ('interacting', 'right', 'left'))
    elif type_name == 'TopDownCocoWholeBodyDataset':
        fixture = write_coco_wholebody_dataset(
            root, **(dict(persons_per_image=(1, 1),
                          extra_annotations=False) if small else {}))
    else:
        sizes = dict(persons_per_image=(1, 1),
                     extra_annotations=False) if small else {}
        fixture = write_coco_format_dataset(
            root, num_joints,
            annotation_extras=_annotation_keys_every_loader_reads, **sizes)
    return fixture
