from pathlib import Path

import numpy as np
import pytest

from mmpose.datasets import PIPELINES
from mmpose.datasets.pipelines import (TopDownGenerateTarget,
                                       TopDownGenerateTargetRegression)

GOLDEN = Path(__file__).resolve().parents[2] / '..' / 'shared' / 'golden'
needs_golden = pytest.mark.skipif(
    not GOLDEN.is_dir(), reason='golden files absent')


def _results(joints_3d, joints_3d_visible, as_arrays=True, **ann_info):
    cfg = dict(
        image_size=[192, 256],
        heatmap_size=[48, 64],
        num_joints=len(joints_3d),
        joint_weights=np.ones((len(joints_3d), 1), dtype=np.float32),
        use_different_joint_weights=False)
    if as_arrays:
        cfg['image_size'] = np.array(cfg['image_size'])
        cfg['heatmap_size'] = np.array(cfg['heatmap_size'])
    cfg.update(ann_info)
    return dict(
        joints_3d=joints_3d.copy(),
        joints_3d_visible=joints_3d_visible.copy(),
        ann_info=cfg)


def _two_joints():
    joints = np.array([[40., 80., 0.], [100., 200., 0.]], dtype=np.float32)
    return joints, np.ones((2, 3), dtype=np.float32)


def test_build_from_registry():
    step = PIPELINES.build(dict(type='TopDownGenerateTarget', sigma=3))
    assert isinstance(step, TopDownGenerateTarget) and step.sigma == 3
    assert 'sigma=3' in repr(step)
    step = PIPELINES.build(dict(type='TopDownGenerateTargetRegression'))
    assert isinstance(step, TopDownGenerateTargetRegression)


def test_msra_target_peaks():
    results = TopDownGenerateTarget(sigma=2)(_results(*_two_joints()))
    target, weight = results['target'], results['target_weight']
    assert target.shape == (2, 64, 48) and target.dtype == np.float32
    assert weight.shape == (2, 1) and weight.dtype == np.float32
    # Stride 4: (40, 80) -> (10, 20); (100, 200) -> (25, 50).
    assert target[0, 20, 10] == 1 and target[1, 50, 25] == 1
    np.testing.assert_array_equal(weight, [[1], [1]])


@pytest.mark.parametrize('kwargs,channels', [
    (dict(sigma=[2, 3]), 2),
    (dict(kernel=[(11, 11), (7, 7)], encoding='Megvii'), 2),
    (dict(sigma=[1.5, 2], encoding='UDP'), 2),
    (dict(valid_radius_factor=[0.05, 0.1], encoding='UDP',
          target_type='CombinedTarget'), 6),
])
def test_multi_stage_targets_are_stacked(kwargs, channels):
    results = TopDownGenerateTarget(**kwargs)(_results(*_two_joints()))
    assert results['target'].shape == (2, channels, 64, 48)
    assert results['target_weight'].shape == (2, 2, 1)
    single = dict((k, v[1]) if isinstance(v, list) else (k, v)
                  for k, v in kwargs.items())
    last = TopDownGenerateTarget(**single)(_results(*_two_joints()))
    np.testing.assert_array_equal(results['target'][1], last['target'])


def test_joint_weights():
    joints, visible = _two_joints()
    results = TopDownGenerateTarget()(_results(
        joints, visible, use_different_joint_weights=True,
        joint_weights=np.array([[2.], [0.5]])))
    np.testing.assert_allclose(results['target_weight'], [[2.], [0.5]])


def test_invalid_arguments():
    # 0.14 raised ValueError; the error is an AssertionError as well
    with pytest.raises(ValueError, match='encoding'):
        TopDownGenerateTarget(encoding='DARK')
    with pytest.raises(ValueError, match='target_type'):
        TopDownGenerateTarget(encoding='UDP', target_type='Offsets')
    with pytest.raises(AssertionError, match='CombinedTarget'):
        TopDownGenerateTarget(target_type='CombinedTarget')
    step = TopDownGenerateTarget(sigma=[])
    with pytest.raises(AssertionError, match='empty list'):
        step(_results(*_two_joints()))


class _OffsetCodec:
    """A codec encoding one more array than target / target_weight."""

    def __init__(self, sigma, **sizes):
        self.sigma = sigma

    def encode(self, joints_3d, joints_3d_visible):
        return dict(
            target=np.full((2, 3), self.sigma, dtype=np.float32),
            target_weight=np.ones((2, 1), dtype=np.float32),
            offsets=joints_3d[:, :2] * self.sigma)


def test_every_encoded_key_reaches_the_results(monkeypatch):
    import mmpose.datasets.pipelines.top_down_target as module
    monkeypatch.setattr(module, 'build_codec',
                        lambda cfg, sizes: _OffsetCodec(cfg['sigma']))
    joints, vis = _two_joints()
    weights = dict(use_different_joint_weights=True,
                   joint_weights=np.array([[2.], [3.]]))
    out = TopDownGenerateTarget(sigma=2)(_results(joints, vis, **weights))
    np.testing.assert_array_equal(out['offsets'], joints[:, :2] * 2)
    np.testing.assert_array_equal(out['target_weight'], [[2.], [3.]])
    out = TopDownGenerateTarget(sigma=[1, 2])(_results(joints, vis,
                                                       **weights))
    assert out['target'].shape == (2, 2, 3)
    np.testing.assert_array_equal(
        out['offsets'], np.stack([joints[:, :2], joints[:, :2] * 2]))
    np.testing.assert_array_equal(out['target_weight'],
                                  [[[2.], [3.]], [[2.], [3.]]])


def test_regression_target():
    joints = np.array([[48., 64., 0.], [-1., 10., 0.], [191., 255., 0.]],
                      dtype=np.float32)
    visible = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 0]], dtype=np.float32)
    results = TopDownGenerateTargetRegression()(_results(joints, visible))
    np.testing.assert_allclose(results['target'],
                               [[0.25, 0.25], [-1 / 192, 10 / 256],
                                [191 / 192, 255 / 256]])
    assert results['target'].dtype == np.float32
    # Outside the image or invisible: weight 0.
    np.testing.assert_array_equal(results['target_weight'],
                                  [[1, 1], [0, 0], [0, 0]])


@needs_golden
@pytest.mark.parametrize('as_arrays', [True, False])
@pytest.mark.parametrize('suffix,kwargs', [
    ('msra', dict(sigma=2)),
    ('msra_unbiased', dict(sigma=2, unbiased_encoding=True)),
    ('megvii', dict(kernel=(11, 11), encoding='Megvii')),
    ('udp', dict(sigma=2, encoding='UDP')),
    ('udp_combined', dict(encoding='UDP', target_type='CombinedTarget')),
])
def test_top_down_generate_target_golden(suffix, kwargs, as_arrays):
    g = np.load(GOLDEN / 'topdown_generate_target.npz')
    results = _results(g['in_joints_3d'], g['in_joints_3d_visible'],
                       as_arrays=as_arrays)
    results = TopDownGenerateTarget(**kwargs)(results)
    np.testing.assert_allclose(results['target'], g[f'out_target_{suffix}'],
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(results['target_weight'],
                               g[f'out_weight_{suffix}'], rtol=1e-5,
                               atol=1e-5)


def test_target_decodes_back_to_the_joints():
    # The input image is the whole box: centre (96, 128), 192x256 px.
    from mmpose.core.evaluation import keypoints_from_heatmaps
    rng = np.random.RandomState(0)
    joints = np.zeros((17, 3), dtype=np.float32)
    joints[:, :2] = 30 + rng.rand(17, 2) * [132, 196]
    results = TopDownGenerateTarget(sigma=2, unbiased_encoding=True)(
        _results(joints, np.ones((17, 3), dtype=np.float32)))
    preds, _ = keypoints_from_heatmaps(
        results['target'][None], np.array([[96., 128.]]),
        np.array([[192 / 200, 256 / 200]]), post_process='unbiased')
    np.testing.assert_allclose(preds[0], joints[:, :2], atol=0.2)


def test_msra_window_is_0x_patch_exactly():
    # 0.x pasted exp(-((x - 6)^2 + (y - 6)^2) / 8) over a 13 x 13 window,
    # computed in float32, with the window corner at int(mu - 6).
    joints, vis = _two_joints()
    out = TopDownGenerateTarget(sigma=2)(_results(joints, vis))
    x = np.arange(0, 13, 1, np.float32)
    patch = np.exp(-((x - 6)**2 + (x[:, None] - 6)**2) / 8)
    assert patch.dtype == np.float32
    # joint 0 at (40, 80) / 4 = (10, 20): window rows 14..26, cols 4..16
    np.testing.assert_array_equal(out['target'][0, 14:27, 4:17], patch)
    assert out['target'][0].sum() == pytest.approx(patch.sum(), rel=1e-6)


def test_target_follows_new_settings_and_sizes():
    joints, vis = _two_joints()
    step = TopDownGenerateTarget(sigma=2)
    narrow = step(_results(joints, vis))['target']
    step.sigma = 3  # settings changed after use
    wide = step(_results(joints, vis))['target']
    assert np.count_nonzero(wide[0]) > np.count_nonzero(narrow[0])
    np.testing.assert_array_equal(
        wide, TopDownGenerateTarget(sigma=3)(_results(joints, vis))['target'])
    # another dataset's sizes
    big = step(_results(joints, vis, image_size=np.array([288, 384]),
                         heatmap_size=np.array([72, 96])))
    assert big['target'].shape == (2, 96, 72)
    # sizes changed in place: the codecs follow the values
    results = _results(joints, vis)
    step(results)
    results['ann_info']['heatmap_size'][:] = [24, 32]
    assert step(results)['target'].shape == (2, 32, 24)
    # no attribute hooks: settings are read at each call
    assert TopDownGenerateTarget.__setattr__ is object.__setattr__
