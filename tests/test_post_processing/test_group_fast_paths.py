"""The vectorised grouping paths against straightforward references: the
NumPy max pooling against torch's MaxPool2d, and ``HeatmapParser.parse``
against the port of 0.14's loops on random scenes."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.optimize import linear_sum_assignment

from mmpose.core.post_processing.group import (HeatmapParser, _match_by_tag,
                                               _max_pool_np)
from tools import benchmark_grouping as BENCH  # the port of 0.14's loops


@pytest.mark.parametrize('shape', [(1, 17, 32, 40), (2, 3, 9, 11),
                                   (1, 1, 1, 1), (1, 2, 2, 7), (1, 1, 5, 5),
                                   (2, 2, 40, 4)])
@pytest.mark.parametrize('padding', [1, 2, 3])
def test_max_pool_np_matches_torch(shape, padding):
    rng = np.random.default_rng(sum(shape) + padding)
    maps = rng.standard_normal(shape).astype(np.float32)
    # plateaus: equal values next to each other
    maps[..., ::3] = np.round(maps[..., ::3])
    expected = F.max_pool2d(
        torch.from_numpy(maps), 2 * padding + 1, 1, padding).numpy()
    np.testing.assert_array_equal(_max_pool_np(maps, padding), expected)
    # reusing scratch buffers gives the same
    bufs = [np.full(maps.size, np.nan, np.float32) for _ in range(3)]
    np.testing.assert_array_equal(_max_pool_np(maps, padding, bufs), expected)


def test_nms_paths_agree():
    """CPU float maps take the NumPy path; other dtypes the torch one."""
    parser = HeatmapParser(BENCH.grouping_cfg())
    maps = torch.rand(2, 3, 20, 24)
    maps[0, 0, 3:6, 3:6] = 2.  # a plateau: every pixel of it is kept
    expected = maps * torch.eq(parser.pool(maps), maps).float()
    assert torch.equal(parser.nms(maps), expected)
    assert torch.equal(parser.nms(maps), expected)  # scratch reused
    assert torch.equal(parser.nms(maps.double()), expected.double())
    low = maps.bfloat16()
    pooled = F.max_pool2d(low.float(), 5, 1, 2).bfloat16()
    assert torch.equal(parser.nms(low), torch.where(pooled == low, low, 0.))


def _random_scene(seed, people, size, num_tags=1):
    """A benchmark scene with tag noise and, for two tag dims (flip test),
    a second tag plane that agrees with the first up to noise."""
    rng = np.random.default_rng(seed)
    heatmaps, tags, _, _ = BENCH.make_scene(people, size, seed=seed)
    tags = tags + torch.from_numpy(
        rng.normal(0, 0.15, tags.shape).astype(np.float32))
    if num_tags == 2:
        tags = torch.cat([
            tags, tags + torch.from_numpy(
                rng.normal(0, 0.1, tags.shape).astype(np.float32))
        ],
                         dim=4)
    return heatmaps, tags


def _lsa_pairs(scores):
    """0.14's matcher interface on linear_sum_assignment: with rounded tag
    distances several assignments often cost the same, and munkres breaks
    such ties its own way."""
    rows, cols = linear_sum_assignment(np.asarray(scores))
    return np.stack((rows, cols), axis=1)


@pytest.mark.parametrize('seed', range(4))
@pytest.mark.parametrize('num_tags', [1, 2])
def test_parse_matches_014_port_random(seed, num_tags):
    heatmaps, tags = _random_scene(seed, 6 + 4 * seed, 64, num_tags)
    for kwargs in (dict(), dict(use_detection_val=False),
                   dict(detection_threshold=0.3, tag_threshold=0.5)):
        cfg = dict(BENCH.grouping_cfg(), **kwargs)
        got, got_scores = HeatmapParser(cfg).parse(heatmaps, tags)
        ref, ref_scores = BENCH.reference_parse(
            heatmaps, tags, cfg, matcher=_lsa_pairs)
        assert got[0].shape == ref[0].shape
        np.testing.assert_allclose(got[0], ref[0], rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(got_scores, ref_scores, rtol=1e-5)


def test_match_equal_keys_share_a_record():
    """0.14 keyed people by their first tag: a new person whose tag equals
    an existing key overwrites that record instead of adding one."""
    params = HeatmapParser(BENCH.grouping_cfg(num_joints=2)).params
    tag_k = np.array([[[3.], [0.]], [[3.], [9.]]], np.float32)
    loc_k = np.array([[[1, 1], [0, 0]], [[2, 2], [4, 4]]])
    val_k = np.array([[0.9, 0.], [0.8, 0.7]], np.float32)
    # joint 1: tag 3 matches person 3, tag 9 is new
    people = _match_by_tag((tag_k, loc_k, val_k), params)
    expected = np.array([[[1, 1, 0.9, 3.], [2, 2, 0.8, 3.]],
                         [[0, 0, 0., 0.], [4, 4, 0.7, 9.]]], np.float32)
    np.testing.assert_allclose(people, expected)
    ref = BENCH.reference_match_by_tag(tag_k, loc_k, val_k,
                                       BENCH.grouping_cfg(num_joints=2))
    np.testing.assert_allclose(people, ref)


def test_parse_outside_no_grad():
    """Model outputs that require grad group as their detached values."""
    heatmaps, tags = _random_scene(0, 4, 32)
    cfg = BENCH.grouping_cfg()
    expected, expected_scores = HeatmapParser(cfg).parse(heatmaps, tags)
    got, scores = HeatmapParser(cfg).parse(heatmaps.clone().requires_grad_(),
                                           tags.clone().requires_grad_())
    np.testing.assert_array_equal(got[0], expected[0])
    np.testing.assert_array_equal(scores, expected_scores)
    parser = HeatmapParser(cfg)
    top = parser.top_k(heatmaps.bfloat16().float().requires_grad_(), tags)
    assert top['val_k'].shape == (1, 17, cfg['max_num_people'])
