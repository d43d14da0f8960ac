import importlib.util
from pathlib import Path

import numpy as np
import pytest
import torch

from mmpose.core.post_processing.group import (HeatmapParser, _match_by_tag,
                                               _Params, _py_max_match)

REPO = Path(__file__).resolve().parents[2]


def _load_benchmark():
    """The port of 0.14's grouping loops lives with the benchmark."""
    spec = importlib.util.spec_from_file_location(
        'benchmark_grouping', REPO / 'tools' / 'benchmark_grouping.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCH = _load_benchmark()


def _cfg(**kwargs):
    return dict(BENCH.grouping_cfg(), **kwargs)


def _scene(people, size, num_joints=17, noise=0., seed=0, weak=(),
           distinct=False):
    """People with distinct tags (2, 4, 6, ...); joint k of person p is a
    Gaussian peak at a known pixel (8 px apart from the other people's joint
    k, or from every joint when ``distinct``); ``weak`` (p, k) joints peak
    at 0.05."""
    rng = np.random.default_rng(seed)
    heatmaps = np.zeros((num_joints, size, size), np.float32)
    tags = np.zeros((num_joints, size, size), np.float32)
    yy, xx = np.mgrid[0:size, 0:size]
    cells = size // 8
    locs = np.zeros((people, num_joints, 2), np.int64)
    vals = rng.uniform(0.5, 1.0, (people, num_joints)).astype(np.float32)
    for p, k in weak:
        vals[p, k] = 0.05
    if distinct:
        all_picked = rng.choice(cells * cells, people * num_joints,
                                replace=False).reshape(num_joints, people)
    for k in range(num_joints):
        picked = (all_picked[k] if distinct else rng.choice(
            cells * cells, people, replace=False))
        locs[:, k] = np.stack((picked % cells, picked // cells), 1) * 8 + 4
        for p in range(people):
            x, y = locs[p, k]
            g = vals[p, k] * np.exp(-((xx - x)**2 + (yy - y)**2) / 8.)
            heatmaps[k] = np.maximum(heatmaps[k], g.astype(np.float32))
            tags[k, y - 2:y + 3, x - 2:x + 3] = 2. * (p + 1) + noise * (
                rng.standard_normal())
    return (torch.from_numpy(heatmaps)[None],
            torch.from_numpy(tags)[None, ..., None], locs, vals)


def test_py_max_match():
    scores = np.array([[4., 1., 3.], [2., 0., 5.], [3., 2., 2.]])
    pairs = _py_max_match(scores)
    # the optimum 1 + 2 + 2 = 5 (rows 0, 1, 2 -> cols 1, 0, 2)
    assert pairs.tolist() == [[0, 1], [1, 0], [2, 2]]


def test_nms_keeps_local_maxima_only():
    parser = HeatmapParser(_cfg())
    maps = torch.zeros(1, 1, 7, 7)
    maps[0, 0, 1, 1] = 1.
    maps[0, 0, 1, 3] = 0.5  # within 2 px of a higher value: suppressed
    maps[0, 0, 5, 5] = 0.25  # its own maximum: kept
    out = parser.nms(maps)
    expected = torch.zeros_like(maps)
    expected[0, 0, 1, 1] = 1.
    expected[0, 0, 5, 5] = 0.25
    assert torch.equal(out, expected)
    rand = torch.rand(2, 3, 9, 11)
    ref = rand * torch.eq(parser.pool(rand), rand).float()
    assert torch.equal(parser.nms(rand), ref)


def test_parse_known_people():
    heatmaps, tags, locs, vals = _scene(5, 64, weak=[(1, 3), (4, 16)])
    parser = HeatmapParser(_cfg())
    ans, scores = parser.parse(heatmaps, tags, adjust=True, refine=True)
    people = ans[0]
    assert people.shape == (5, 17, 4)
    # first tag of a person is its id: (p + 1) * 2
    order = np.argsort(people[:, :, 3].max(axis=1))
    people = people[order]
    np.testing.assert_allclose(people[:, :, 3].max(axis=1), [2, 4, 6, 8, 10])
    # Symmetric peaks on whole pixels: adjust moves x and y by -0.25 (no
    # higher neighbour) and adds 0.5, as refine does for the weak joints.
    np.testing.assert_allclose(people[..., :2], locs + 0.25)
    np.testing.assert_allclose(people[..., 2], vals, rtol=1e-6)
    # scores average the detected joints only (before refine)
    detected = np.where(vals > 0.1, vals, 0.)
    np.testing.assert_allclose(
        np.array(scores)[order], detected.mean(axis=1), rtol=1e-6)
    # without refine the weak joints stay empty
    ans, _ = parser.parse(heatmaps, tags, adjust=True, refine=False)
    assert (ans[0][:, :, 2] == 0).sum() == 2


def test_parse_matches_014_port():
    """Same people as 0.14's loops with munkres. (With more people than
    max_num_people, costs of people left out of the matching can tie, and
    munkres and linear_sum_assignment may break the tie differently.)"""
    heatmaps, tags, _, _ = _scene(12, 96, noise=0.2, seed=5, weak=[(0, 0)])
    for kwargs in (dict(), dict(use_detection_val=False),
                   dict(max_num_people=8, ignore_too_much=True)):
        cfg = _cfg(**kwargs)
        got, got_scores = HeatmapParser(cfg).parse(heatmaps, tags)
        ref, ref_scores = BENCH.reference_parse(heatmaps, tags, cfg)
        np.testing.assert_allclose(got[0], ref[0], rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(got_scores, ref_scores, rtol=1e-5)


def test_match_new_people_when_tags_differ():
    """More joints than people, and tags beyond the threshold: new people,
    in row order, keyed by their first tag."""
    params = _Params(_cfg(num_joints=2, max_num_people=3))
    tag_k = np.array([[[0.], [5.], [0.]], [[0.2], [9.], [5.4]]], np.float32)
    loc_k = np.array([[[1, 1], [2, 2], [0, 0]], [[3, 3], [4, 4], [5, 5]]])
    val_k = np.array([[0.9, 0.8, 0.], [0.7, 0.6, 0.5]], np.float32)
    people = _match_by_tag((tag_k, loc_k, val_k), params)
    expected = np.zeros((3, 2, 4), np.float32)
    expected[0] = [[1, 1, 0.9, 0.], [3, 3, 0.7, 0.2]]
    expected[1] = [[2, 2, 0.8, 5.], [5, 5, 0.5, 5.4]]
    expected[2, 1] = [4, 4, 0.6, 9.]
    np.testing.assert_allclose(people, expected)


def test_adjust_and_refine_by_hand():
    heatmaps = torch.zeros(1, 2, 5, 5)
    heatmaps[0, 0, 2, 2] = 1.
    heatmaps[0, 0, 2, 3] = 0.5  # right neighbour higher: x + 0.25
    heatmaps[0, 0, 1, 2] = 0.5  # upper neighbour higher: y - 0.25
    ans = [np.array([[[2, 2, 1., 7.], [0, 0, 0., 0.]]], np.float32)]
    HeatmapParser.adjust(ans, heatmaps)
    np.testing.assert_allclose(ans[0][0, 0], [2.75, 2.25, 1., 7.])
    np.testing.assert_allclose(ans[0][0, 1], 0)

    heatmap = np.zeros((2, 5, 5), np.float32)
    heatmap[1, 4, 0] = 0.3  # peak with the person's tag
    heatmap[1, 0, 4] = 0.4  # higher, but its tag is 2 away
    tag = np.zeros((2, 5, 5), np.float32)
    tag[0, 2, 2] = 7.
    tag[1, 4, 0] = 7.2
    tag[1, 0, 4] = 9.
    keypoints = np.array([[2.75, 2.25, 1., 7.], [0, 0, 0, 0]], np.float32)
    out = HeatmapParser.refine(heatmap, tag, keypoints.copy())
    # the tag-7.2 peak at (0, 4): x 0 + 0.5 - 0.25 (right 0 is not above
    # left, the clamped pixel itself), y 4 + 0.5 + 0.25 (below: the
    # clamped pixel 0.3, above: 0)
    np.testing.assert_allclose(out[1, :3], [0.25, 4.75, 0.3])
    np.testing.assert_allclose(out[0], keypoints[0])
    out_udp = HeatmapParser.refine(
        heatmap, tag, keypoints.copy(), use_udp=True)
    np.testing.assert_allclose(out_udp[1, :3], [-0.25, 4.25, 0.3])


def test_parse_shared_tag_and_udp():
    heatmaps, tags, locs, _ = _scene(
        3, 32, num_joints=4, seed=2, distinct=True)
    # one tag map for all joints (tag_per_joint=False): person tags drawn
    # at every joint location of joint 0's map
    shared = tags[:, :1].clone()
    for k in range(1, 4):
        shared = torch.maximum(shared, tags[:, k:k + 1])
    cfg = _cfg(num_joints=4, tag_per_joint=False)
    ans, _ = HeatmapParser(cfg).parse(heatmaps, shared)
    people = ans[0][np.argsort(ans[0][:, 0, 3])]
    np.testing.assert_allclose(people[..., :2], locs + 0.25)
    ans_udp, _ = HeatmapParser(dict(cfg, use_udp=True)).parse(
        heatmaps, shared)
    people = ans_udp[0][np.argsort(ans_udp[0][:, 0, 3])]
    # DARK on symmetric Gaussians finds the whole-pixel peaks
    np.testing.assert_allclose(people[..., :2], locs, atol=1e-3)


@pytest.mark.parametrize('kernel,padding', [(5, 2), (3, 1), (3, 0)])
def test_nms_pool_shapes(kernel, padding):
    parser = HeatmapParser(_cfg(nms_kernel=kernel, nms_padding=padding))
    rand = torch.rand(1, 2, 8, 8)
    if 2 * padding + 1 == kernel:
        ref = rand * torch.eq(parser.pool(rand), rand).float()
        assert torch.equal(parser.nms(rand), ref)
    else:
        with pytest.raises(RuntimeError):
            parser.nms(rand)
