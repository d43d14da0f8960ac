import json

import cv2
import numpy as np

from tools.dataset import make_synthetic_video as tool

SIZE = (96, 128)


def _changed_pixels(frame, seed):
    """Mask of the pixels where a frame differs from its clip's static
    background (the first draw of the clip's generator)."""
    background = tool._background(np.random.default_rng(seed), SIZE)
    return np.any(frame != background, axis=2)


def test_boxes_and_keypoints_cover_the_drawn_figures():
    frames = list(tool.render_clip(6, num_persons=2, size=SIZE, seed=3))
    assert len(frames) == 6
    for img, anns in frames:
        assert img.shape == SIZE + (3, ) and img.dtype == np.uint8
        assert sorted(ann['track_id'] for ann in anns) == [0, 1]
        changed = _changed_pixels(img, 3)
        # Anti-aliased edges reach one pixel past the silhouette the boxes
        # come from: grow the boxes by 2.
        covered = np.zeros(SIZE, bool)
        for ann in anns:
            x, y, w, h = (int(v) for v in ann['bbox'])
            covered[max(y - 2, 0):y + h + 2, max(x - 2, 0):x + w + 2] = True
            # Each box is tight: every edge row/column has figure pixels.
            inner = changed[y:y + h, x:x + w]
            assert inner[0].any() and inner[-1].any()
            assert inner[:, 0].any() and inner[:, -1].any()
            kpts = ann['keypoints']
            shown = kpts[:, 2] > 0
            assert np.all(kpts[shown, 0] >= x - 1)
            assert np.all(kpts[shown, 0] <= x + w + 1)
            assert np.all(kpts[shown, 1] >= y - 1)
            assert np.all(kpts[shown, 1] <= y + h + 1)
        assert changed.any() and not (changed & ~covered).any()


def test_figures_walk_smoothly():
    frames = list(tool.render_clip(12, num_persons=2, size=SIZE, seed=0))
    centres = np.array([[[a['bbox'][0] + a['bbox'][2] / 2,
                          a['bbox'][1] + a['bbox'][3] / 2]
                         for a in sorted(anns, key=lambda a: a['track_id'])]
                        for _, anns in frames])  # [frames, persons, 2]
    steps = np.linalg.norm(np.diff(centres, axis=0), axis=2)
    # Moving, but by at most a tenth of the width per frame, so that box
    # IoU links a figure to itself in the next frame.
    assert np.all(np.linalg.norm(centres[-1] - centres[0], axis=1) > 3)
    assert steps.max() < 0.1 * SIZE[1]


def test_reflect_bounces_inside_the_range():
    x = np.array([0.0, 3.0, 10.0, 12.0, 23.0, -3.0])
    np.testing.assert_allclose(tool._reflect(x, 0.0, 10.0),
                               [0, 3, 10, 8, 3, 3])


def test_writes_video_and_det_file(tmp_path, capsys):
    video, boxes_file, keypoints_file = tool.main([
        '--out-dir', str(tmp_path), '--name', 'walk', '--num-frames', '5',
        '--num-persons', '2', '--size', *map(str, SIZE), '--fps', '5',
        '--seed', '1'
    ])
    assert video == str(tmp_path / 'walk.mp4')
    assert f'wrote {video}' in capsys.readouterr().out
    reader = cv2.VideoCapture(video)
    count = 0
    while reader.read()[0]:
        count += 1
    assert count == 5
    assert reader.get(cv2.CAP_PROP_FRAME_WIDTH) == SIZE[1]
    assert reader.get(cv2.CAP_PROP_FPS) == 5
    boxes = json.loads(open(boxes_file).read())
    frames = json.loads(open(keypoints_file).read())
    expected = list(tool.render_clip(5, 2, SIZE, seed=1))
    assert len(boxes) == len(frames) == 5
    for frame_boxes, frame_anns, (_, anns) in zip(boxes, frames, expected):
        # Per frame [x1, y1, x2, y2, score]: the demos' --det-file format.
        np.testing.assert_allclose(
            frame_boxes,
            [[a['bbox'][0], a['bbox'][1], a['bbox'][0] + a['bbox'][2],
              a['bbox'][1] + a['bbox'][3], 1.0] for a in anns])
        assert [a['track_id'] for a in frame_anns] == [0, 1]
        np.testing.assert_allclose(
            [a['keypoints'] for a in frame_anns],
            [a['keypoints'] for a in anns], atol=0.006)
    # The same seed gives the same clip, another seed another one.
    tool.main(['--out-dir', str(tmp_path / 'again'), '--name', 'walk',
               '--num-frames', '5', '--num-persons', '2', '--size',
               *map(str, SIZE), '--seed', '1'])
    tool.main(['--out-dir', str(tmp_path / 'other'), '--name', 'walk',
               '--num-frames', '5', '--num-persons', '2', '--size',
               *map(str, SIZE), '--seed', '2'])
    assert (tmp_path / 'again' / 'walk_boxes.json').read_text() == \
        open(boxes_file).read()
    assert (tmp_path / 'other' / 'walk_boxes.json').read_text() != \
        open(boxes_file).read()
