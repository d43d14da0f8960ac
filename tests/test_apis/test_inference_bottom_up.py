from pathlib import Path

import numpy as np
import pytest
import torch
from fixtures import tiny_bottom_up_model
from mmcv import Config

from mmpose.apis import (inference_bottom_up_pose_model, init_pose_model,
                         vis_pose_result)

_REPO = Path(__file__).resolve().parents[2]
_CONFIG = Config.fromfile(
    str(_REPO / 'configs' / 'bottom_up' / 'higherhrnet' / 'coco' /
        'higher_hrnet32_coco_512x512.py'))


def _tiny_config(size=128, flip_test=True, project2image=False):
    """A small ResNet AE model (stride 4) with the zoo's test pipeline."""
    data_cfg = dict(_CONFIG.data_cfg, image_size=size,
                    heatmap_size=[size // 4], num_scales=1)
    test_cfg = dict(
        _CONFIG.model.test_cfg,
        flip_test=flip_test,
        project2image=project2image,
        with_heatmaps=[True],
        with_ae=[True])
    return Config(
        dict(
            model=tiny_bottom_up_model(17, test_cfg),
            data_cfg=data_cfg,
            test_pipeline=_CONFIG.test_pipeline,
            data=dict(test=dict(type='BottomUpCocoDataset'))))


def _people_output(locs, tags, size):
    """Network output [1, 34, size, size]: Gaussian peaks at ``locs``
    [P, 17, 2] and each person's tag around its joints."""
    out = torch.zeros(1, 34, size, size)
    yy, xx = torch.meshgrid(
        torch.arange(size), torch.arange(size), indexing='ij')
    for person, tag in zip(locs, tags):
        for k, (x, y) in enumerate(person):
            peak = torch.exp(-((xx - x)**2 + (yy - y)**2) / 8.)
            out[0, k] = torch.maximum(out[0, k], peak)
            out[0, 17 + k, y - 1:y + 2, x - 1:x + 2] = tag
    return out


def test_inference_groups_known_people(monkeypatch, tmp_path):
    model = init_pose_model(_tiny_config(), device='cpu')
    rng = np.random.default_rng(0)
    cells = rng.choice(49, (2, 17)).reshape(2, 17)
    # distinct cells per joint type: peaks of one joint 4+ px apart
    cells[1] = (cells[0] + 1 + rng.integers(0, 40, 17)) % 49
    locs = np.stack((cells % 7 * 4 + 4, cells // 7 * 4 + 4), axis=2)
    flip_index = [
        0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15
    ]
    out = _people_output(locs, [2., 5.], 32)
    mirrored = torch.flip(out, [3])[:, flip_index +
                                    [17 + i for i in flip_index]]
    calls = []

    def fake_outputs(img):
        calls.append(img)
        return [mirrored if len(calls) % 2 == 0 else out]

    monkeypatch.setattr(model, '_head_outputs', fake_outputs)
    img = np.zeros((128, 128, 3), np.uint8)
    results, outputs = inference_bottom_up_pose_model(
        model, img, return_heatmap=True)
    assert len(calls) == 2  # image and its mirror image
    assert len(results) == 2
    assert outputs[0]['heatmap'].shape == (1, 17, 32, 32)
    got = sorted(results, key=lambda r: r['keypoints'][0, 0])
    want = sorted(locs, key=lambda p: p[0, 0])
    for result, person in zip(got, want):
        assert result['keypoints'].shape == (17, 3)
        # heatmap -> image x4; adjust: + 0.25 on symmetric peaks
        np.testing.assert_allclose(result['keypoints'][:, :2],
                                   (person + 0.25) * 4)
        np.testing.assert_allclose(result['keypoints'][:, 2], 1, rtol=1e-5)
        assert result['score'] == pytest.approx(1, rel=1e-5)
        extent = np.ptp(result['keypoints'][:, :2], axis=0)
        assert result['area'] == pytest.approx(extent[0] * extent[1])
    drawn = vis_pose_result(model, img, results,
                            dataset='BottomUpCocoDataset',
                            out_file=str(tmp_path / 'vis.jpg'))
    assert drawn.shape == img.shape and drawn.any()


def test_inference_oks_nms_and_real_forward(monkeypatch):
    model = init_pose_model(_tiny_config(flip_test=False,
                                         project2image=True), device='cpu')
    # a real forward on random weights runs end to end
    results, outputs = inference_bottom_up_pose_model(
        model, np.full((96, 160, 3), 128, np.uint8), outputs=['backbone'])
    assert isinstance(results, list)
    assert outputs[0]['backbone'] is not None

    # two people 3 heatmap px apart (distinct tags): both are grouped, and
    # OKS NMS keeps one unless its threshold is 1
    person = np.tile(np.arange(17)[:, None] * 2 + 10, (1, 2))
    locs = np.stack((person, person + [3, 0]))
    out = _people_output(locs, [2., 9.], 64)
    monkeypatch.setattr(model, '_head_outputs', lambda img: [out])
    img = np.zeros((256, 256, 3), np.uint8)
    both, _ = inference_bottom_up_pose_model(model, img, pose_nms_thr=1.0)
    assert len(both) == 2
    one, _ = inference_bottom_up_pose_model(model, img, pose_nms_thr=0.3)
    assert len(one) == 1


def test_inference_names_an_undecodable_image(tmp_path):
    model = init_pose_model(_tiny_config(), device='cpu')
    bad = tmp_path / 'crowd.jpg'
    bad.write_bytes(b'GIF89a' + bytes(4))
    with pytest.raises(OSError, match=f'{bad}: it starts as a GIF image but '
                       'is truncated or corrupt'):
        inference_bottom_up_pose_model(model, str(bad))
