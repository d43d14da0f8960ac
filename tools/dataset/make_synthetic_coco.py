"""Generate a small, deterministic COCO-format keypoint dataset.

Each image shows one to three articulated stick figures carrying the 17 COCO
keypoints on a textured, noisy background. The figures vary in pose, scale,
rotation, limb width, colour and facing direction; some are partly covered by
occluders (keypoint visibility 1) or cut by the image border (visibility 0,
coordinates zeroed as in COCO).

Every limb has a fixed base hue (left and right sides differ), jittered per
figure, so left and right are decidable from the pixels alone. Because of
that, horizontal flipping is not label-preserving on this data: train without
``TopDownRandomFlip`` and test with ``flip_test=False``.

Usage::

    python tools/dataset/make_synthetic_coco.py --out-dir data/synthetic_coco \
        --num-train 1200 --num-val 100 --seed 0

The output layout is::

    <out-dir>/annotations/person_keypoints_train.json
    <out-dir>/annotations/person_keypoints_val.json
    <out-dir>/train/000000000001.jpg ...
    <out-dir>/val/000000100001.jpg ...
"""
import argparse
import json
import os
import os.path as osp
from multiprocessing import Pool

import cv2
import numpy as np

KEYPOINT_NAMES = [
    'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
    'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
    'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee',
    'right_knee', 'left_ankle', 'right_ankle'
]
# COCO's person skeleton, 1-based keypoint ids.
SKELETON = [[16, 14], [14, 12], [17, 15], [15, 13], [12, 13], [6, 12],
            [7, 13], [6, 7], [6, 8], [7, 9], [8, 10], [9, 11], [2, 3],
            [1, 2], [1, 3], [2, 4], [3, 5], [4, 6], [5, 7]]

# Drawn limbs: (start keypoint, end keypoint, base BGR colour). Left limbs are
# warm, right limbs cold, upper and lower segments differ in brightness.
LIMBS = [
    (5, 7, (40, 40, 230)),  # left upper arm: red
    (7, 9, (60, 170, 255)),  # left forearm: orange
    (6, 8, (230, 60, 40)),  # right upper arm: blue
    (8, 10, (240, 220, 60)),  # right forearm: cyan
    (11, 13, (150, 40, 200)),  # left thigh: purple-red
    (13, 15, (60, 240, 240)),  # left shin: yellow
    (12, 14, (90, 140, 20)),  # right thigh: dark green
    (14, 16, (120, 255, 120)),  # right shin: light green
]
FACE_COLOURS = {
    0: (30, 30, 30),  # nose: black
    1: (0, 200, 0),  # left eye: green
    2: (200, 0, 200),  # right eye: magenta
    3: (0, 90, 255),  # left ear: orange
    4: (255, 120, 0),  # right ear: azure
}
JOINT_COLOURS = {
    5: (0, 0, 140), 6: (140, 0, 0), 11: (100, 0, 120), 12: (0, 90, 0),
    9: (0, 120, 255), 10: (255, 255, 0), 15: (0, 255, 255),
    16: (0, 255, 0)
}


def _rot(angle):
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s], [s, c]])


def _unit(angle):
    """Direction at ``angle`` radians from straight down (image y axis)."""
    return np.array([np.sin(angle), np.cos(angle)])


def sample_pose(rng, height):
    """Sample the 17 keypoints of one figure in its own frame.

    The neck is at the origin, y points down; ``side`` is +1 when the figure
    faces the camera (its left appears on the image right) and -1 from behind.

    Returns:
        tuple: keypoints ``np.ndarray[17, 2]``, head centre ``np.ndarray[2]``
            and head radius (float).
    """
    kpts = np.zeros((17, 2))
    side = 1.0 if rng.random() < 0.6 else -1.0
    # Foreshortening of the shoulder line mimics turning towards a profile.
    turn = rng.uniform(0.45, 1.0)
    shoulder_w = 0.25 * height * turn
    hip_w = 0.17 * height * turn
    torso = 0.31 * height * rng.uniform(0.9, 1.1)
    lean = rng.normal(0, 0.12)
    kpts[5] = [side * shoulder_w / 2, 0.02 * height]
    kpts[6] = [-side * shoulder_w / 2, 0.02 * height]
    pelvis = _rot(lean) @ np.array([0.0, torso])
    kpts[11] = pelvis + [side * hip_w / 2, 0]
    kpts[12] = pelvis + [-side * hip_w / 2, 0]

    upper, fore = 0.17 * height, 0.15 * height
    for shoulder, elbow, wrist, out in ((5, 7, 9, side), (6, 8, 10, -side)):
        # Arm angle measured from hanging down, positive away from the body.
        a1 = out * rng.uniform(-0.5, 2.9)
        a2 = a1 + out * rng.uniform(-0.4, 2.4)
        kpts[elbow] = kpts[shoulder] + upper * _unit(a1)
        kpts[wrist] = kpts[elbow] + fore * _unit(a2)
    thigh, shin = 0.24 * height, 0.23 * height
    for hip, knee, ankle, out in ((11, 13, 15, side), (12, 14, 16, -side)):
        a1 = out * rng.uniform(-0.35, 1.2)
        a2 = a1 + rng.uniform(-1.6, 0.6) * (1 if rng.random() < 0.5 else -1)
        kpts[knee] = kpts[hip] + thigh * _unit(a1)
        kpts[ankle] = kpts[knee] + shin * _unit(a2)

    radius = 0.075 * height * rng.uniform(0.9, 1.15)
    tilt = rng.normal(0, 0.25)
    head = np.array([0.0, -0.035 * height]) + _rot(tilt) @ [0, -radius]
    yaw = rng.uniform(-0.35, 0.35) * (1 - turn + 0.4)
    face = np.array([
        [yaw, 0.35],  # nose, in units of the head radius
        [0.38 * side + yaw, -0.05],
        [-0.38 * side + yaw, -0.05],
        [1.0 * side * turn + 0.3 * yaw, 0.0],
        [-1.0 * side * turn + 0.3 * yaw, 0.0],
    ])
    kpts[:5] = head + (radius * face) @ _rot(tilt).T
    return kpts, head, radius, side


def _muted(rng, size=()):
    """Low-saturation colours (grey plus a slight tint): the background and
    occluders stay textured but do not mimic the saturated limb colours."""
    grey = rng.integers(30, 226, size=size + (1, ))
    return np.clip(grey + rng.integers(-25, 26, size=size + (3, )), 0, 255)


def _jitter_colour(rng, colour, amount=20):
    jitter = rng.integers(-amount, amount + 1, size=3)
    return tuple(int(v) for v in np.clip(np.array(colour) + jitter, 0, 255))


def _background(rng, size):
    h, w = size
    base = _muted(rng)
    low = _muted(rng, (4, 4)).astype(np.float32)
    low = cv2.resize(low, (w, h), interpolation=cv2.INTER_CUBIC)
    mix = rng.uniform(0.3, 0.8)
    img = mix * low + (1 - mix) * base
    # Distractor strokes and blobs.
    img = np.ascontiguousarray(img.astype(np.uint8))
    for _ in range(rng.integers(3, 12)):
        colour = tuple(int(c) for c in _muted(rng))
        p = rng.integers(0, max(h, w), size=4)
        if rng.random() < 0.5:
            cv2.line(img, (int(p[0]), int(p[1])), (int(p[2]), int(p[3])),
                     colour, int(rng.integers(1, 4)), cv2.LINE_AA)
        else:
            cv2.circle(img, (int(p[0]), int(p[1])),
                       int(rng.integers(3, 25)), colour, -1, cv2.LINE_AA)
    noise = rng.normal(0, rng.uniform(3, 14), size=(h, w, 3))
    return np.clip(img + noise, 0, 255).astype(np.uint8)


def _draw_figure(rng, img, mask, kpts, head, radius):
    """Draw one figure on ``img`` and its silhouette on ``mask``."""
    height = np.linalg.norm(kpts[15] - kpts[5]) + 1e-6
    width = max(2, int(round(rng.uniform(0.06, 0.1) * height)))
    torso_colour = _jitter_colour(rng, (rng.integers(80, 200), ) * 3, 60)
    skin = _jitter_colour(rng, (150, 180, 220), 30)

    def ipt(p):
        return (int(round(p[0] * 16)), int(round(p[1] * 16)))

    def line(p, q, colour, thick):
        cv2.line(img, ipt(p), ipt(q), colour, thick, cv2.LINE_AA, shift=4)
        cv2.line(mask, ipt(p), ipt(q), 1, thick, cv2.LINE_8, shift=4)

    def disc(p, r, colour):
        r = max(1, int(round(r * 16)))
        cv2.circle(img, ipt(p), r, colour, -1, cv2.LINE_AA, shift=4)
        cv2.circle(mask, ipt(p), r, 1, -1, cv2.LINE_8, shift=4)

    torso = np.array([kpts[5], kpts[6], kpts[12], kpts[11]])
    cv2.fillPoly(img, [np.round(torso * 16).astype(np.int32)], torso_colour,
                 cv2.LINE_AA, shift=4)
    cv2.fillPoly(mask, [np.round(torso * 16).astype(np.int32)], 1,
                 cv2.LINE_8, shift=4)
    neck = (kpts[5] + kpts[6]) / 2
    line(neck, head, skin, max(2, width))
    order = [4, 5, 6, 7, 0, 1, 2, 3]  # legs first, arms on top
    for i in order:
        start, end, colour = LIMBS[i]
        line(kpts[start], kpts[end], _jitter_colour(rng, colour), width)
    for k, colour in JOINT_COLOURS.items():
        disc(kpts[k], 0.55 * width + 1, colour)
    disc(head, radius, skin)
    for k, colour in FACE_COLOURS.items():
        disc(kpts[k], max(1.5, 0.22 * radius), colour)


def _occluder(rng, img, occ_mask, box):
    """Cover a random part of ``box`` (x0, y0, x1, y1) with a textured patch."""
    x0, y0, x1, y1 = box
    w, h = max(x1 - x0, 4), max(y1 - y0, 4)
    ow, oh = rng.uniform(0.25, 0.6) * w, rng.uniform(0.15, 0.4) * h
    cx, cy = rng.uniform(x0, x1), rng.uniform(y0, y1)
    pts = np.array([[cx - ow / 2, cy - oh / 2], [cx + ow / 2, cy - oh / 2],
                    [cx + ow / 2, cy + oh / 2], [cx - ow / 2, cy + oh / 2]])
    pts = ((pts - [cx, cy]) @ _rot(rng.uniform(-0.6, 0.6)).T + [cx, cy])
    pts = np.round(pts).astype(np.int32)
    colour = tuple(int(c) for c in _muted(rng))
    cv2.fillPoly(img, [pts], colour, cv2.LINE_AA)
    cv2.fillPoly(occ_mask, [pts], 1)
    # Stripes keep the occluder textured rather than flat.
    stripe = tuple(int(c) for c in _muted(rng))
    for t in np.linspace(0, 1, 4):
        p = pts[0] + t * (pts[3] - pts[0])
        q = pts[1] + t * (pts[2] - pts[1])
        cv2.line(img, tuple(int(v) for v in p), tuple(int(v) for v in q),
                 stripe, 1)


def annotate_figures(keypoints, masks, occ_mask):
    """COCO annotations of figures drawn in order (later ones on top).

    A keypoint outside the image has visibility 0 (coordinates zeroed, as in
    COCO); one under an occluder or a later figure, 1; else 2.

    Args:
        keypoints (list[np.ndarray[17, 2]]): Keypoints of each figure.
        masks (list[np.ndarray[H, W]]): Silhouette (0/1 uint8) of each.
        occ_mask (np.ndarray[H, W]): Pixels covered by occluders.

    Returns:
        list[dict | None]: Per figure, ``keypoints`` (``np.ndarray[17, 3]``),
        ``bbox`` (x, y, w, h of the silhouette) and ``area``; None for a
        figure with under 20 visible-silhouette pixels or no keypoint in the
        image.
    """
    h, w = occ_mask.shape
    annotations = []
    for i, (kpts, mask) in enumerate(zip(keypoints, masks)):
        ys, xs = np.nonzero(mask)
        if len(xs) < 20:
            annotations.append(None)
            continue
        covered = occ_mask.copy()
        for later in masks[i + 1:]:
            covered |= later
        inside = ((kpts[:, 0] >= 0) & (kpts[:, 0] <= w - 1) &
                  (kpts[:, 1] >= 0) & (kpts[:, 1] <= h - 1))
        ix = np.clip(np.round(kpts[:, 0]).astype(int), 0, w - 1)
        iy = np.clip(np.round(kpts[:, 1]).astype(int), 0, h - 1)
        vis = np.where(inside, np.where(covered[iy, ix] > 0, 1, 2), 0)
        kp = np.concatenate([kpts, vis[:, None]], axis=1)
        kp[vis == 0, :2] = 0
        if (vis > 0).sum() == 0:
            annotations.append(None)
            continue
        x0, y0, x1, y1 = xs.min(), ys.min(), xs.max() + 1, ys.max() + 1
        annotations.append(
            dict(
                keypoints=kp,
                bbox=[float(x0), float(y0), float(x1 - x0), float(y1 - y0)],
                area=float(len(xs))))
    return annotations


def render_image(seed, size=(256, 256), max_persons=3):
    """Render one image and its person annotations.

    Args:
        seed (int): Seed of this image (the whole image depends on it only).
        size (tuple[int]): Image (height, width).
        max_persons (int): Largest number of figures in the image.

    Returns:
        tuple: the BGR image ``np.ndarray[H, W, 3]`` and a list of dicts with
            ``keypoints`` (``np.ndarray[17, 3]``: x, y, visibility), ``bbox``
            (x, y, w, h) and ``area``.
    """
    rng = np.random.default_rng(seed)
    h, w = size
    img = _background(rng, size)
    prob = np.array([0.6, 0.28, 0.12] + [0.05] * max_persons)[:max_persons]
    n = int(rng.choice(np.arange(1, max_persons + 1), p=prob / prob.sum()))
    figures = []
    placed = []
    for _ in range(n):
        height = rng.uniform(0.45, 0.95) * h / (1 + 0.35 * (n - 1))
        kpts, head, radius, _ = sample_pose(rng, height)
        angle = rng.normal(0, 0.35) if rng.random() < 0.85 else \
            rng.uniform(-np.pi, np.pi)
        rot = _rot(angle)
        pts = np.vstack([kpts, head[None]]) @ rot.T
        lo, hi = pts.min(0), pts.max(0)
        span = hi - lo
        # Try a few centres that keep figures mostly apart; allow some
        # spill over the border so that truncation happens.
        for _try in range(10):
            off = np.array([
                rng.uniform(-0.15 * span[0], w - 0.85 * span[0]),
                rng.uniform(-0.12 * span[1], h - 0.88 * span[1])
            ]) - lo
            centre = (lo + hi) / 2 + off
            if all(np.linalg.norm(centre - c) > 0.5 * (s + span.max())
                   for c, s in placed):
                break
        placed.append((centre, span.max()))
        figures.append((pts[:17] + off, pts[17] + off, radius))

    masks = []
    for kpts, head, radius in figures:
        mask = np.zeros((h, w), np.uint8)
        _draw_figure(rng, img, mask, kpts, head, radius)
        masks.append(mask)
    occ_mask = np.zeros((h, w), np.uint8)
    for i, (kpts, head, radius) in enumerate(figures):
        mask = masks[i]
        ys, xs = np.nonzero(mask)
        if len(xs) == 0:
            continue
        if rng.random() < 0.3:
            _occluder(rng, img, occ_mask,
                      (xs.min(), ys.min(), xs.max(), ys.max()))
    annotations = [
        ann for ann in annotate_figures([f[0] for f in figures], masks,
                                        occ_mask) if ann is not None
    ]
    return img, annotations


def _render_job(args):
    seed, img_path, size, max_persons = args
    img, anns = render_image(seed, size, max_persons)
    cv2.imwrite(img_path, img, [cv2.IMWRITE_JPEG_QUALITY, 92])
    return anns


def make_split(out_dir, split, num_images, seed, size=(256, 256),
               max_persons=3, id_offset=0, nproc=1):
    """Write ``<out_dir>/<split>/*.jpg`` and its COCO keypoint json.

    Returns:
        str: Path of the annotation file.
    """
    img_dir = osp.join(out_dir, split)
    ann_dir = osp.join(out_dir, 'annotations')
    os.makedirs(img_dir, exist_ok=True)
    os.makedirs(ann_dir, exist_ok=True)
    ids = [id_offset + i + 1 for i in range(num_images)]
    names = [f'{i:012d}.jpg' for i in ids]
    # Image seeds depend on (seed, split, index) only, so outputs do not
    # depend on the worker count.
    split_key = sum(ord(c) for c in split) * 1000003
    jobs = [(seed * 7919 + split_key + i, osp.join(img_dir, name), size,
             max_persons) for i, name in enumerate(names)]
    if nproc > 1:
        with Pool(nproc) as pool:
            results = pool.map(_render_job, jobs, chunksize=16)
    else:
        results = [_render_job(job) for job in jobs]

    images, annotations = [], []
    ann_id = id_offset * 10
    for img_id, name, anns in zip(ids, names, results):
        images.append(
            dict(id=img_id, file_name=name, height=size[0], width=size[1]))
        for ann in anns:
            ann_id += 1
            kp = ann['keypoints']
            annotations.append(
                dict(
                    id=ann_id,
                    image_id=img_id,
                    category_id=1,
                    iscrowd=0,
                    bbox=[round(v, 2) for v in ann['bbox']],
                    area=round(ann['area'], 2),
                    num_keypoints=int((kp[:, 2] > 0).sum()),
                    keypoints=[
                        round(float(v), 2) if j % 3 != 2 else int(v)
                        for j, v in enumerate(kp.reshape(-1))
                    ]))
    coco = dict(
        info=dict(description=f'synthetic stick figures ({split})',
                  version='1.0'),
        licenses=[],
        images=images,
        annotations=annotations,
        categories=[
            dict(
                id=1,
                name='person',
                supercategory='person',
                keypoints=KEYPOINT_NAMES,
                skeleton=SKELETON)
        ])
    ann_file = osp.join(ann_dir, f'person_keypoints_{split}.json')
    with open(ann_file, 'w') as f:
        json.dump(coco, f)
    return ann_file


def make_synthetic_coco(out_dir='data/synthetic_coco', num_train=1200,
                        num_val=100, seed=0, size=(256, 256), max_persons=3,
                        nproc=1):
    """Generate the train and val splits; returns their annotation files."""
    train = make_split(out_dir, 'train', num_train, seed, size, max_persons,
                       id_offset=0, nproc=nproc)
    val = make_split(out_dir, 'val', num_val, seed, size, max_persons,
                     id_offset=100000, nproc=nproc)
    return train, val


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Generate a synthetic COCO-format keypoint dataset')
    parser.add_argument('--out-dir', default='data/synthetic_coco')
    parser.add_argument('--num-train', type=int, default=1200)
    parser.add_argument('--num-val', type=int, default=100)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--size', type=int, nargs=2, default=[256, 256],
                        metavar=('H', 'W'))
    parser.add_argument('--max-persons', type=int, default=3)
    parser.add_argument('--nproc', type=int, default=os.cpu_count() or 1)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    train, val = make_synthetic_coco(args.out_dir, args.num_train,
                                     args.num_val, args.seed,
                                     tuple(args.size), args.max_persons,
                                     args.nproc)
    print(f'wrote {train} and {val}')


if __name__ == '__main__':
    main()
