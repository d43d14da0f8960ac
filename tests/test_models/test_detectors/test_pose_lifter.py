"""PoseLifter: the body3d model-zoo configs build with the published
state_dict, train one iteration and test on generated Human3.6M files."""
import importlib.util
import pickle
from pathlib import Path

import numpy as np
import pytest
import torch
from mmcv import Config
from mmcv.parallel import MMDataParallel
from mmcv.runner import build_optimizer

from mmpose.apis import single_gpu_test
from mmpose.datasets import build_dataloader, build_dataset
from mmpose.models import build_posenet
from mmpose.utils import ArgumentError

REPO = Path(__file__).resolve().parents[3]
BODY3D = sorted(
    str(p.relative_to(REPO / 'configs'))
    for p in (REPO / 'configs' / 'body3d').rglob('*.py'))


def _manifest_helper():
    path = REPO / 'tests' / 'test_models' / 'test_manifest_topdown.py'
    spec = importlib.util.spec_from_file_location('_manifest_topdown', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_body3d_configs_exist():
    assert BODY3D


@pytest.mark.parametrize('path', BODY3D)
def test_state_dict_matches_manifest(path):
    helper = _manifest_helper()
    if path not in helper.CONFIGS:
        pytest.skip('shared model zoo absent')
    helper.assert_model_matches_manifest(path)


def _write_h36m(root, num_joints=17):
    """Two short videos of generated poses; returns the annotation file."""
    rng = np.random.RandomState(0)
    names = [
        f'S{s}/S{s}_{a}.54138969/S{s}_{a}.54138969_{f:06d}.jpg'
        for s, a in ((1, 'Directions_1'), (9, 'Eating')) for f in range(6)
    ]
    joints_3d = np.ones((len(names), num_joints, 4), np.float32)
    joints_3d[..., :3] = rng.uniform(-1, 1, joints_3d[..., :3].shape)
    joints_3d[..., 2] += 5
    joints_2d = np.ones((len(names), num_joints, 3), np.float32)
    joints_2d[..., :2] = rng.uniform(0, 1000, joints_2d[..., :2].shape)
    ann_file = root / 'h36m.npz'
    np.savez(
        ann_file,
        imgname=np.array(names),
        center=np.full((len(names), 2), 500.),
        scale=np.ones(len(names)),
        S=joints_3d,
        part=joints_2d)
    return ann_file


def _localise(cfg, root):
    """Point the data of ``cfg`` at generated files under ``root``."""
    ann_file = _write_h36m(root)
    stats = {}
    for key, shape in (('joint3d_rel_stats.pkl', (16, 3)),
                       ('joint2d_stats.pkl', (17, 2))):
        stats[key] = root / key
        with open(stats[key], 'wb') as f:
            pickle.dump(
                dict(mean=np.zeros(shape), std=np.full(shape, 0.5)), f)
    for split in ('train', 'val', 'test'):
        data = cfg.data[split]
        data.ann_file = str(ann_file)
        for step in data.pipeline:
            if 'norm_param_file' in step:
                step.norm_param_file = str(
                    stats[Path(step.norm_param_file).name])
    return cfg


@pytest.mark.parametrize('path', BODY3D)
def test_config_trains_one_iteration_and_tests(path, tmp_path):
    cfg = _localise(Config.fromfile(str(REPO / 'configs' / path)), tmp_path)
    model = build_posenet(cfg.model)
    train_set = build_dataset(cfg.data.train)
    loader = build_dataloader(
        train_set, samples_per_gpu=4, workers_per_gpu=0, dist=False,
        shuffle=False)
    optimizer = build_optimizer(model, cfg.optimizer)
    batch = next(iter(loader))
    batch['metas'] = batch['metas'].data[0]
    model.train()
    before = [p.detach().clone() for p in model.parameters()]
    outputs = model.train_step(batch, optimizer)
    assert set(outputs['log_vars']) >= {'reg_loss', 'mpjpe', 'p_mpjpe',
                                        'n_mpjpe', 'loss'}
    optimizer.zero_grad()
    outputs['loss'].backward()
    optimizer.step()
    assert any(not torch.equal(a, b)
               for a, b in zip(before, model.parameters()))

    test_set = build_dataset(cfg.data.test, dict(test_mode=True))
    test_loader = build_dataloader(
        test_set, samples_per_gpu=5, workers_per_gpu=0, dist=False,
        shuffle=False, drop_last=False)
    results = single_gpu_test(MMDataParallel(model.eval()), test_loader)
    assert sum(len(r['preds']) for r in results) == len(test_set) == 12
    # root re-inserted: the full 17 joints in the annotation's units
    assert results[0]['preds'].shape[1:] == (17, 3)
    metrics = test_set.evaluate(results, str(tmp_path),
                                cfg.evaluation.metric)
    assert {'MPJPE', 'P-MPJPE', 'MPJPE_Directions', 'P-MPJPE_Eating'} <= \
        set(metrics)
    assert all(np.isfinite(v) and v >= 0 for v in metrics.values())
    # the root is restored exactly: its error is 0
    gt = test_set.data_info['joints_3d'][:, :, :3]
    preds = np.concatenate([r['preds'] for r in results])
    ids = [test_set.name2id[p] for r in results
           for p in r['target_image_paths']]
    np.testing.assert_allclose(preds[:, 0], gt[ids, 0], atol=1e-5)


def _lifter():
    return build_posenet(
        dict(
            type='PoseLifter',
            backbone=dict(
                type='TCN', in_channels=2 * 17, stem_channels=16,
                num_blocks=1, kernel_sizes=(3, 1), dropout=0),
            keypoint_head=dict(
                type='TemporalRegressionHead', in_channels=16, num_joints=17,
                loss_keypoint=dict(type='MSELoss')),
            test_cfg=dict(restore_global_position=False)))


def test_forward_test_and_dummy():
    model = _lifter().eval()
    x = torch.randn(3, 34, 3)
    metas = [dict(target_image_path=f'{i}.jpg') for i in range(3)]
    with torch.no_grad():
        result = model(x, metas=metas, return_loss=False)
        dummy = model.forward_dummy(x)
    assert result['target_image_paths'] == ['0.jpg', '1.jpg', '2.jpg']
    np.testing.assert_allclose(result['preds'], dummy.numpy(), rtol=1e-6)
    assert dummy.shape == (3, 17, 3)
    with pytest.raises(ArgumentError, match='metas'):
        model(x, metas=metas[:2], return_loss=False)


def test_show_result(tmp_path):
    from mmpose.core.dataset_meta import get_dataset_meta
    meta = get_dataset_meta('h36m')
    rng = np.random.RandomState(0)
    result = [dict(keypoints_3d=rng.uniform(-1, 1, (17, 4)) + [0, 0, 0, 1])]
    img = np.zeros((120, 160, 3), np.uint8)
    out_file = tmp_path / 'vis.jpg'
    vis = _lifter().show_result(
        result, img=img, skeleton=meta.skeleton,
        pose_kpt_color=meta.pose_kpt_color,
        pose_limb_color=meta.pose_link_color, vis_height=200,
        out_file=str(out_file))
    # the rescaled image, then the front and side views
    assert vis.shape == (200, round(200 * 160 / 120) + 2 * 200, 3)
    assert out_file.is_file()
    # the views are drawn on (not left white)
    assert (vis[:, -400:] != 255).any()
