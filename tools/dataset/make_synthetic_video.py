"""Generate a short, deterministic clip of walking stick figures and its boxes.

The figures are those of ``make_synthetic_coco.py`` (same pose sampler,
drawing and annotation code): each keeps its look over the clip, swings its
arms and legs and walks across a static textured background, bouncing off the
image border. Figures drawn later pass in front of earlier ones.

Usage::

    python tools/dataset/make_synthetic_video.py --out-dir data/synthetic_video \
        --num-frames 40 --num-persons 3 --size 240 320 --fps 10 --seed 0

The output is::

    <out-dir>/<name>.mp4               the clip (mp4v)
    <out-dir>/<name>_boxes.json        item i: frame i's boxes as
                                       [x1, y1, x2, y2, score], the
                                       demos' --det-file format
    <out-dir>/<name>_keypoints.json    item i: frame i's figures as
                                       {track_id, bbox (x, y, w, h),
                                       keypoints (17 x [x, y, visibility])}
"""
import argparse
import json
import os
import os.path as osp
import sys

import cv2
import numpy as np

try:  # imported as tools.dataset.make_synthetic_video (tests)
    from tools.dataset.make_synthetic_coco import (_background, _draw_figure,
                                                   _rot, annotate_figures,
                                                   sample_pose)
except ImportError:  # run as a script or loaded by path: the sibling file
    sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
    from make_synthetic_coco import (_background, _draw_figure, _rot,
                                     annotate_figures, sample_pose)

# Limb chains that swing about their first keypoint, with the sign of the
# swing: legs and arms of one side move in opposite directions.
SWINGS = (((11, 13, 15), 1.0, 'leg'), ((12, 14, 16), -1.0, 'leg'),
          ((5, 7, 9), -1.0, 'arm'), ((6, 8, 10), 1.0, 'arm'))


def _reflect(x, low, high):
    """Bounce ``x`` back into ``[low, high]`` (a triangle wave)."""
    length = np.maximum(high - low, 1e-6)
    phase = np.mod(x - low, 2 * length)
    return low + length - np.abs(length - phase)


class WalkingFigure:
    """One figure of the clip: a pose, a look and a walk.

    Args:
        rng (np.random.Generator): Draws everything about the figure.
        size (tuple[int]): Frame (height, width).
        num_persons (int): Figures in the clip (they get smaller when more).
    """

    def __init__(self, rng, size, num_persons):
        h, w = size
        height = rng.uniform(0.5, 0.8) * h / (1 + 0.2 * (num_persons - 1))
        self.kpts, self.head, self.radius, _ = sample_pose(rng, height)
        # Drawn each frame from a generator of this seed: the same look.
        self.look_seed = int(rng.integers(2**31))
        self.angle = rng.normal(0, 0.1)
        self.period = rng.uniform(12, 24)
        self.phase = rng.uniform(0, 2 * np.pi)
        self.amplitude = {'leg': rng.uniform(0.25, 0.45),
                          'arm': rng.uniform(0.3, 0.6)}
        speed = rng.uniform(0.006, 0.015) * w
        self.velocity = np.array([speed * rng.choice([-1.0, 1.0]),
                                  rng.uniform(-0.3, 0.3) * speed])
        pts = np.vstack([self.kpts, self.head[None]]) @ _rot(self.angle).T
        # Room for the swinging limbs and the head disc.
        half = (pts.max(0) - pts.min(0)) / 2 * 1.15 + self.radius
        self.low = np.minimum(half, [w / 2, h / 2])
        self.high = np.maximum([w, h] - half, self.low)
        self.start = rng.uniform(self.low, self.high)

    def pose(self, index):
        """Keypoints ``np.ndarray[17, 2]`` and head centre ``np.ndarray[2]``
        in frame ``index``."""
        kpts = self.kpts.copy()
        swing = np.sin(2 * np.pi * index / self.period + self.phase)
        for chain, sign, limb in SWINGS:
            pivot = kpts[chain[0]]
            turn = _rot(sign * self.amplitude[limb] * swing)
            kpts[list(chain[1:])] = (kpts[list(chain[1:])] - pivot) @ turn.T \
                + pivot
        pts = np.vstack([kpts, self.head[None]]) @ _rot(self.angle).T
        centre = _reflect(self.start + self.velocity * index, self.low,
                          self.high)
        pts += centre - (pts.max(0) + pts.min(0)) / 2
        return pts[:17], pts[17]


def render_clip(num_frames, num_persons=3, size=(240, 320), seed=0):
    """Render the frames of a clip and their annotations.

    Args:
        num_frames (int): Frames to render.
        num_persons (int): Figures walking in the clip.
        size (tuple[int]): Frame (height, width).
        seed (int): The clip depends on it only.

    Yields:
        tuple: the BGR frame ``np.ndarray[H, W, 3]`` and a list of dicts
        with ``track_id`` (the figure's index), ``keypoints``
        (``np.ndarray[17, 3]``: x, y, visibility), ``bbox`` (x, y, w, h)
        and ``area``, for each figure that shows.
    """
    rng = np.random.default_rng(seed)
    background = _background(rng, size)
    figures = [WalkingFigure(rng, size, num_persons)
               for _ in range(num_persons)]
    for index in range(num_frames):
        img = background.copy()
        keypoints, masks = [], []
        for figure in figures:
            kpts, head = figure.pose(index)
            mask = np.zeros(size, np.uint8)
            _draw_figure(np.random.default_rng(figure.look_seed), img, mask,
                         kpts, head, figure.radius)
            keypoints.append(kpts)
            masks.append(mask)
        anns = annotate_figures(keypoints, masks, np.zeros(size, np.uint8))
        yield img, [
            dict(ann, track_id=track_id)
            for track_id, ann in enumerate(anns) if ann is not None
        ]


def make_synthetic_video(out_dir='data/synthetic_video',
                         name='synthetic_clip', num_frames=40, num_persons=3,
                         size=(240, 320), fps=10, seed=0):
    """Write the clip, its per-frame boxes and keypoints (see the module
    docstring).

    Returns:
        tuple[str]: The video, boxes and keypoints files.
    """
    os.makedirs(out_dir, exist_ok=True)
    video = osp.join(out_dir, f'{name}.mp4')
    h, w = size
    writer = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*'mp4v'), fps,
                             (w, h))
    if not writer.isOpened():
        raise OSError(f'cannot write the video {video} (OpenCV '
                      f'{cv2.__version__} has no mp4v encoder here)')
    boxes, frames = [], []
    for img, anns in render_clip(num_frames, num_persons, size, seed):
        writer.write(img)
        boxes.append([[x, y, x + bw, y + bh, 1.0]
                      for x, y, bw, bh in (ann['bbox'] for ann in anns)])
        frames.append([
            dict(track_id=ann['track_id'], bbox=ann['bbox'],
                 keypoints=np.round(ann['keypoints'], 2).tolist())
            for ann in anns
        ])
    writer.release()
    boxes_file = osp.join(out_dir, f'{name}_boxes.json')
    keypoints_file = osp.join(out_dir, f'{name}_keypoints.json')
    with open(boxes_file, 'w') as f:
        json.dump(boxes, f)
    with open(keypoints_file, 'w') as f:
        json.dump(frames, f)
    return video, boxes_file, keypoints_file


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Generate a clip of walking stick figures with per-frame '
        'boxes')
    parser.add_argument('--out-dir', default='data/synthetic_video')
    parser.add_argument('--name', default='synthetic_clip',
                        help='file name stem of the outputs')
    parser.add_argument('--num-frames', type=int, default=40)
    parser.add_argument('--num-persons', type=int, default=3)
    parser.add_argument('--size', type=int, nargs=2, default=[240, 320],
                        metavar=('H', 'W'))
    parser.add_argument('--fps', type=float, default=10)
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    video, boxes_file, keypoints_file = make_synthetic_video(
        args.out_dir, args.name, args.num_frames, args.num_persons,
        tuple(args.size), args.fps, args.seed)
    print(f'wrote {video}, {boxes_file} and {keypoints_file}')
    return video, boxes_file, keypoints_file


if __name__ == '__main__':
    main()
