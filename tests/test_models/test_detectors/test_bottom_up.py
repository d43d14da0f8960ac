"""BottomUp: every bottom-up model-zoo config against the published
state_dict manifest, one training iteration and one test per config (a
sample in the fast suite, all under ``slow``), and the test path on
constructed heatmaps and tags whose poses are known."""
import copy
import importlib.util
from pathlib import Path

import numpy as np
import pytest
import torch

from fixtures import tiny_bottom_up_model
from mmpose.models import build_posenet
from mmpose.models.detectors import BottomUp

TESTS = Path(__file__).resolve().parents[1]


def _manifest_helper():
    spec = importlib.util.spec_from_file_location(
        '_manifest_topdown', TESTS / 'test_manifest_topdown.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MANIFEST = _manifest_helper()
PATHS = sorted(p for p in MANIFEST.CONFIGS if p.startswith('bottom_up/'))
# HigherHRNet's train/test step (and the golden test of test_golden_models)
# take tens of seconds on two CPU cores: in the fast suite only MobileNetV2.
SAMPLE = ('bottom_up/mobilenet/crowdpose/mobilenetv2_crowdpose_512x512.py', )


@pytest.mark.skipif(not PATHS, reason='shared model zoo absent')
def test_zoo_has_35_bottom_up_configs():
    assert len(PATHS) == 35


@pytest.mark.skipif(not PATHS, reason='shared model zoo absent')
@pytest.mark.parametrize('path', PATHS)
def test_state_dict_matches_manifest(path):
    MANIFEST.assert_model_matches_manifest(path)


def _img_metas(size, num_joints, scale_factors=(1, )):
    flip_index = list(range(num_joints))
    return [
        dict(
            image_file='img.jpg',
            aug_data=[
                torch.rand(1, 3, int(size * s), int(size * s))
                for s in sorted(scale_factors, reverse=True)
            ],
            test_scale_factor=list(scale_factors),
            base_size=(size, size),
            center=np.array([size / 2, size / 2]),
            scale=np.array([size / 200, size / 200]),
            flip_index=flip_index)
    ]


def _train_and_test(path, size=64):
    """One training step (loss, backward) and one test on a small input."""
    cfg = copy.deepcopy(MANIFEST.CONFIGS[path]['model'])
    cfg['pretrained'] = None
    model = build_posenet(cfg)
    head = cfg['keypoint_head']
    num_joints = head['num_joints']
    outputs = model.forward_dummy(torch.rand(1, 3, size, size))
    sizes = [o.shape[-1] for o in outputs]
    batch = 2
    targets = [torch.rand(batch, num_joints, s, s) for s in sizes]
    masks = [torch.ones(batch, s, s) for s in sizes]
    joints = []
    for s in sizes:
        j = torch.zeros(batch, 4, num_joints, 2, dtype=torch.long)
        j[..., 0] = torch.randint(0, num_joints * s * s, (batch, 4, num_joints))
        j[..., 1] = 1
        joints.append(j)
    model.train()
    losses = model(
        img=torch.rand(batch, 3, size, size),
        targets=targets,
        masks=masks,
        joints=joints,
        img_metas=None,
        return_loss=True)
    assert set(losses) == {'heatmap_loss', 'push_loss', 'pull_loss'}
    loss, log_vars = model._parse_losses(losses)
    loss.backward()
    assert np.isfinite(log_vars['loss'])
    model.eval()
    with torch.no_grad():
        preds, scores, paths, heatmap = model(
            img=torch.rand(1, 3, size, size),
            img_metas=_img_metas(size, num_joints),
            return_loss=False,
            return_heatmap=True)
    assert paths == ['img.jpg'] and len(preds) == len(scores)
    assert heatmap.shape[:2] == (1, num_joints)
    for pred in preds:
        assert pred.shape[0] == num_joints


@pytest.mark.skipif(not PATHS, reason='shared model zoo absent')
@pytest.mark.parametrize('path', SAMPLE)
def test_train_and_test_sample(path):
    _train_and_test(path)


@pytest.mark.slow
@pytest.mark.skipif(not PATHS, reason='shared model zoo absent')
@pytest.mark.parametrize('path', PATHS)
def test_train_and_test_every_config(path):
    _train_and_test(path)


def _toy_cfg(**test_cfg):
    settings = dict(
        num_joints=3,
        max_num_people=30,
        scale_factor=[1],
        with_heatmaps=[True],
        with_ae=[True],
        project2image=False,
        nms_kernel=5,
        nms_padding=2,
        tag_per_joint=True,
        detection_threshold=0.1,
        tag_threshold=1,
        use_detection_val=True,
        ignore_too_much=False,
        adjust=True,
        refine=True,
        flip_test=False)
    settings.update(test_cfg)
    return tiny_bottom_up_model(3, settings)


def _constructed_output(locs, person_tags, size):
    """[1, 2K, size, size]: Gaussian peaks at ``locs`` [P, K, 2], each
    person's tag in a 3x3 patch around its joints."""
    num_joints = locs.shape[1]
    out = torch.zeros(1, 2 * num_joints, size, size)
    yy, xx = torch.meshgrid(
        torch.arange(size), torch.arange(size), indexing='ij')
    for p, person in enumerate(locs):
        for k, (x, y) in enumerate(person):
            g = torch.exp(-((xx - x)**2 + (yy - y)**2) / 8.)
            out[0, k] = torch.maximum(out[0, k], g)
            out[0, num_joints + k, y - 1:y + 2, x - 1:x + 2] = person_tags[p]
    return out


@pytest.mark.parametrize('flip_test', [False, True])
def test_forward_test_groups_known_people(flip_test, monkeypatch):
    model = build_posenet(_toy_cfg(flip_test=flip_test)).eval()
    locs = np.array([[[5, 6], [20, 8], [12, 25]], [[28, 4], [4, 28],
                                                   [30, 30]]])
    flip_index = [0, 2, 1]
    out = _constructed_output(locs, [1., 4.], 32)
    # the mirror image's output: mirrored maps, left/right joints swapped
    mirrored = torch.flip(out, [3])[:, flip_index + [3 + i for i in flip_index]]

    def fake_outputs(img):
        return [mirrored if img.sum() < 0 else out]

    monkeypatch.setattr(model, '_head_outputs', fake_outputs)
    metas = _img_metas(128, 3)
    metas[0]['aug_data'] = [torch.ones(1, 3, 128, 128)]
    metas[0]['flip_index'] = flip_index
    # a mirrored image sums below zero: (1 - 2) per pixel
    real_flip = torch.flip
    monkeypatch.setattr(
        torch, 'flip', lambda t, dims: real_flip(t, dims)
        if t.dim() != 4 or t.size(1) != 3 else -t)
    preds, scores, paths, heatmap = model(
        img=torch.zeros(1, 3, 128, 128),
        img_metas=metas,
        return_loss=False,
        return_heatmap=True)
    assert len(preds) == 2
    order = np.argsort([p[0, 3] for p in preds])
    preds = [preds[i] for i in order]
    # heatmap 32 -> image 128 (x4); adjust: +0.5 - 0.25 on symmetric peaks
    for person, pred in zip(locs, preds):
        np.testing.assert_allclose(pred[:, :2], (person + 0.25) * 4)
        np.testing.assert_allclose(pred[:, 2], 1.0, rtol=1e-5)
    np.testing.assert_allclose(scores, 1.0, rtol=1e-5)
    assert heatmap.shape == (1, 3, 32, 32)
    if flip_test:
        assert preds[0].shape == (3, 5)  # tags of image and mirror image


def test_forward_dummy_and_show_result(tmp_path):
    model = build_posenet(_toy_cfg())
    out = model.forward_dummy(torch.rand(1, 3, 32, 32))
    assert isinstance(out, list) and out[0].shape == (1, 6, 8, 8)
    assert isinstance(model, BottomUp)
    img = np.zeros((20, 20, 3), np.uint8)
    result = [dict(keypoints=np.array([[5, 5, 1.], [10, 10, 1.], [15, 5, 1.]]))]
    drawn = model.show_result(
        img,
        result,
        skeleton=[[1, 2], [2, 3]],
        pose_kpt_color=np.array([[0, 0, 255]] * 3),
        pose_limb_color=np.array([[0, 255, 0]] * 2),
        out_file=str(tmp_path / 'out.jpg'))
    assert drawn.shape == img.shape and drawn.any()
    assert (tmp_path / 'out.jpg').exists()
    assert not img.any()
