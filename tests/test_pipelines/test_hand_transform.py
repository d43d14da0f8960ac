import numpy as np
import pytest

from mmpose.datasets import PIPELINES
from mmpose.datasets.pipelines import (HandGenerateRelDepthTarget,
                                       HandRandomFlip)


def _results():
    # 4 x 5 image whose pixel (y, x) holds 10 * y + x; keypoints 1 and 2
    # are a flip pair, keypoint 0 lies on the mirror axis' left
    img = (10 * np.arange(4)[:, None] + np.arange(5)[None]).astype(np.uint8)
    joints = np.array([[1., 2., 0.], [0., 0., 0.], [3., 1., 0.]], np.float32)
    return dict(
        img=img,
        joints_3d=joints,
        joints_3d_visible=np.array([[1, 1, 0], [1, 1, 0], [0, 0, 0]],
                                   np.float32),
        center=np.array([1.5, 2.0], np.float32),
        hand_type=np.array([1., 0.], np.float32),
        rel_root_depth=12.5,
        ann_info=dict(flip_pairs=[[1, 2]]))


def test_hand_flip_swaps_hand_type_and_negates_root_depth():
    results = _results()
    hand_type_in = results['hand_type']
    out = HandRandomFlip(flip_prob=1.0)(results)
    assert out['flipped'] is True
    # image width 5: x -> 4 - x, keypoints 1, 2 swap with visibility and
    # (as 0.x) a now-invisible keypoint is zeroed
    np.testing.assert_array_equal(out['img'][1], [14, 13, 12, 11, 10])
    np.testing.assert_array_equal(
        out['joints_3d'], [[3., 2., 0.], [0., 0., 0.], [4., 0., 0.]])
    np.testing.assert_array_equal(out['joints_3d_visible'][:, 0], [1, 0, 1])
    np.testing.assert_array_equal(out['center'], [2.5, 2.0])
    np.testing.assert_array_equal(out['hand_type'], [0., 1.])
    assert out['rel_root_depth'] == -12.5
    # the caller's hand type is not modified in place
    np.testing.assert_array_equal(hand_type_in, [1., 0.])


def test_hand_flip_without_flip_keeps_everything():
    results = _results()
    out = HandRandomFlip(flip_prob=0.0)(results)
    assert out['flipped'] is False
    np.testing.assert_array_equal(out['hand_type'], [1., 0.])
    assert out['rel_root_depth'] == 12.5
    np.testing.assert_array_equal(out['center'], [1.5, 2.0])


def test_hand_flip_builds_from_config():
    step = PIPELINES.build(dict(type='HandRandomFlip', flip_prob=0.3))
    assert isinstance(step, HandRandomFlip) and step.flip_prob == 0.3


@pytest.mark.parametrize(
    'depth, valid, target, weight',
    [
        # (d / 400 + 0.5) * 64 by hand
        (0.0, 1.0, 32.0, 1.0),
        (100.0, 1.0, 48.0, 1.0),
        (-150.0, 1.0, 8.0, 1.0),
        (200.0, 1.0, 64.0, 1.0),  # on the upper edge: still counted
        (-200.0, 1.0, 0.0, 1.0),  # on the lower edge
        (250.0, 1.0, 72.0, 0.0),  # beyond the bound
        (-212.5, 1.0, -2.0, 0.0),
        (100.0, 0.0, 48.0, 0.0),  # root depth not valid
    ])
def test_rel_depth_target(depth, valid, target, weight):
    step = PIPELINES.build(dict(type='HandGenerateRelDepthTarget'))
    assert isinstance(step, HandGenerateRelDepthTarget)
    out = step(
        dict(
            rel_root_depth=np.float32(depth),
            rel_root_valid=np.float32(valid),
            ann_info=dict(heatmap_size_root=64, root_depth_bound=400.0)))
    assert out['target'].shape == out['target_weight'].shape == (1, )
    assert out['target'].dtype == out['target_weight'].dtype == np.float32
    assert out['target'][0] == pytest.approx(target)
    assert out['target_weight'][0] == weight
