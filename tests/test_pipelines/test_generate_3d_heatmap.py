import numpy as np
import pytest

from mmpose.datasets.pipelines import Compose, Generate3DHeatmapTarget
from mmpose.utils import ArgumentError


def _results(joints, visible=None, weights=None, use_weights=False):
    joints = np.array(joints, dtype=np.float32)
    if visible is None:
        visible = np.ones_like(joints)
    return dict(
        joints_3d=joints,
        joints_3d_visible=np.array(visible, dtype=np.float32),
        ann_info=dict(
            image_size=[16, 32],
            heatmap_size=[8, 8, 8],  # W, H, D
            heatmap3d_depth_bound=4.0,
            joint_weights=np.array(
                weights if weights is not None else [1.] * len(joints),
                dtype=np.float32).reshape(-1, 1),
            use_different_joint_weights=use_weights))


def test_gaussian_values_by_hand():
    # x 6 -> 6 * 8 / 16 = 3, y 8 -> 8 * 8 / 32 = 2,
    # depth 0 -> (0 / 4 + 0.5) * 8 = 4.
    results = Generate3DHeatmapTarget(sigma=1)(_results([[6, 8, 0]]))
    target, weight = results['target'], results['target_weight']
    assert target.shape == (1, 8, 8, 8) and target.dtype == np.float32
    assert weight.tolist() == [[1.0]]
    assert target[0, 4, 2, 3] == pytest.approx(1.0)
    assert target[0, 4, 2, 4] == pytest.approx(np.exp(-0.5))
    assert target[0, 5, 3, 3] == pytest.approx(np.exp(-1.0))
    assert target[0, 7, 5, 6] == pytest.approx(np.exp(-27 / 2))
    assert target[0, 4, 2, 7] == 0  # 4 voxels away: outside 3 * sigma
    assert target[0, 0, 2, 3] == 0
    # Every voxel of the 7x7x7 window (cut to the heatmap) is written.
    assert np.count_nonzero(target) == 7 * 6 * 7  # y window 0..5


def test_centre_on_half_voxel_leaves_no_holes():
    # x 1 -> 0.5: offsets -3..3 round half up to voxels -2..4, so x = 0..4
    # are all written (0.14's half-to-even rounding skipped x = 1 and 3).
    target = Generate3DHeatmapTarget(sigma=1)(_results([[1, 8, 0]]))['target']
    row = target[0, 4, 2]
    expected = np.exp(-(np.arange(8) - 0.5)**2 / 2)
    expected[5:] = 0
    np.testing.assert_allclose(row, expected, rtol=1e-6)


def test_weights_joint_indices_and_max_bound():
    joints = [[6, 8, 0], [6, 8, 2.5], [6, 8, -2], [6, 8, 1]]
    visible = [[1, 1, 1], [1, 1, 1], [1, 1, 1], [0, 0, 0]]
    step = Generate3DHeatmapTarget(sigma=1, max_bound=2.0)
    results = step(_results(joints, visible, [1, 2, 3, 4], use_weights=True))
    # Depth 2.5 -> 9 is outside [0, 8): weight 0; -2 -> 0 is inside;
    # invisible: weight 0; the rest times the joint weights.
    assert results['target_weight'][:, 0].tolist() == [1, 0, 3, 0]
    assert results['target'].max() == pytest.approx(2.0)
    assert results['target'][2, 0, 2, 3] == pytest.approx(2.0)
    picked = Compose([dict(type='Generate3DHeatmapTarget', sigma=1,
                           joint_indices=[2, 0])])(
                               _results(joints, visible, [1, 2, 3, 4]))
    assert picked['target'].shape == (2, 8, 8, 8)
    assert picked['target_weight'][:, 0].tolist() == [1, 1]
    np.testing.assert_array_equal(picked['target'][1],
                                  results['target'][0] / 2)


def test_missing_key():
    with pytest.raises(ArgumentError, match='joints_3d'):
        Generate3DHeatmapTarget()(dict(ann_info={}))
