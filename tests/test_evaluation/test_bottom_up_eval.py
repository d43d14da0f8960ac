import copy

import numpy as np
import pytest
import torch

from mmpose.core import (aggregate_results, get_group_preds,
                         get_multi_stage_outputs)


def test_get_group_preds_hand_computed():
    people = np.zeros((2, 3, 4), np.float32)
    people[0, :, :2] = [[0, 0], [64, 32], [32, 16]]
    people[1, :, :2] = [[16, 16], [0, 0], [8, 8]]
    people[..., 2] = 0.5
    people[..., 3] = 7.
    # heatmap 128 x 64 for a scale of 256 x 128 pixels centred at (128, 64):
    # x' = x * 2, y' = y * 2
    preds = get_group_preds([people.copy()], np.array([128, 64]),
                            np.array([256, 128]) / 200., [128, 64])
    assert len(preds) == 2
    np.testing.assert_allclose(preds[0][:, :2], people[0, :, :2] * 2)
    np.testing.assert_allclose(preds[1][:, :2], people[1, :, :2] * 2)
    np.testing.assert_allclose(preds[0][:, 2:], people[0, :, 2:])
    # UDP: (heatmap size - 1) maps onto the scale given in pixels
    preds = get_group_preds([people.copy()], np.array([0, 0]),
                            np.array([254., 126.]), [128, 64], use_udp=True)
    np.testing.assert_allclose(preds[0][:, :2], people[0, :, :2] * 2,
                               rtol=1e-6, atol=1e-4)
    assert get_group_preds([np.zeros((0, 3, 4))], [0, 0], [1, 1],
                           [8, 8]) == []


def _outputs(seed, shapes):
    g = torch.Generator().manual_seed(seed)
    return [torch.rand(*s, generator=g) for s in shapes]


def test_get_multi_stage_outputs_no_flip():
    # HigherHRNet: stage 0 (1/4) heatmaps + tags, stage 1 (1/2) heatmaps
    outputs = _outputs(0, [(1, 4, 4, 4), (1, 2, 8, 8)])
    kept = copy.deepcopy(outputs)
    all_out, heatmaps, tags = get_multi_stage_outputs(
        outputs, None, 2, [True, True], [True, False], project2image=False)
    assert len(outputs) == 2 and all(
        torch.equal(a, b) for a, b in zip(outputs, kept))
    up = torch.nn.functional.interpolate(
        outputs[0], size=(8, 8), mode='bilinear', align_corners=False)
    assert len(heatmaps) == 1 and len(tags) == 1
    assert torch.allclose(heatmaps[0], (up[:, :2] + outputs[1]) / 2)
    assert torch.allclose(tags[0], up[:, 2:])
    assert len(all_out) == 2


def test_get_multi_stage_outputs_flip_and_project():
    outputs = _outputs(1, [(1, 6, 4, 4)])
    flipped = _outputs(2, [(1, 6, 4, 4)])
    flip_index = [0, 2, 1]
    all_out, heatmaps, tags = get_multi_stage_outputs(
        outputs, flipped, 3, [True], [True], True, flip_index, True, [6, 8])
    assert len(all_out) == 2 and len(heatmaps) == 2 and len(tags) == 2
    back = flipped[0].flip(3)
    expected_hm = back[:, [0, 2, 1]]
    expected_tag = back[:, [3, 5, 4]]
    resize = (lambda t: torch.nn.functional.interpolate(
        t, size=(8, 6), mode='bilinear', align_corners=False))
    assert heatmaps[0].shape == (1, 3, 8, 6)
    assert torch.allclose(heatmaps[0], resize(outputs[0][:, :3]))
    assert torch.allclose(heatmaps[1], resize(expected_hm))
    assert torch.allclose(tags[1], resize(expected_tag))
    # one tag map for all joints: not permuted
    _, _, tags = get_multi_stage_outputs(
        [outputs[0][:, :4]], [flipped[0][:, :4]], 3, [True], [True], False,
        flip_index, False)
    assert torch.allclose(tags[1], back[:, 3:4])


def test_aggregate_results():
    hm = _outputs(3, [(1, 2, 4, 4), (1, 2, 4, 4)])
    tags = _outputs(4, [(1, 2, 4, 4), (1, 2, 4, 4)])
    agg, tags_list = aggregate_results(1, None, [], hm, tags, [1, 2], True,
                                       True)
    assert torch.allclose(agg, (hm[0] + hm[1]) / 2)
    assert len(tags_list) == 2 and tags_list[0].shape == (1, 2, 4, 4, 1)
    # another scale adds its heatmaps (resized if not projected) but no tags
    small = [h[..., :2, :2] for h in hm]
    agg2, tags_list = aggregate_results(2, agg.clone(), tags_list, small,
                                        tags, [1, 2], False, False)
    up = torch.nn.functional.interpolate(
        small[0], size=(4, 4), mode='bilinear', align_corners=False)
    assert torch.allclose(agg2, agg + up)
    assert len(tags_list) == 2


@pytest.mark.parametrize('align_corners', [False, True])
def test_aggregate_results_resizes_tags(align_corners):
    agg = torch.zeros(1, 2, 4, 4)
    tags = [torch.ones(1, 2, 2, 2)]
    _, tags_list = aggregate_results(1, agg, [], [torch.zeros(1, 2, 2, 2)],
                                     tags, [1, 0.5], False, False,
                                     align_corners)
    assert tags_list[0].shape == (1, 2, 4, 4, 1)
    assert torch.allclose(tags_list[0], torch.ones(1, 2, 4, 4, 1))
