"""The HMR config (``configs/mesh/hmr/hmr_res50_224x224.py``) on a synthetic
SMPL model (``tests/smpl_fixtures.py``): without the SMPL files it fails
naming them; with them it builds with 0.14's state_dict keys and shapes,
trains one iteration (discriminator and generator) on generated mesh and
MoSh data and runs one test batch through ``evaluate``."""
import copy
import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch
from mmcv import Config
from mmcv.parallel import MMDataParallel
from mmcv.runner import load_checkpoint

from mesh_fixtures import write_mesh_dataset, write_mosh_dataset
from mmpose.apis import single_gpu_test, train_model
from mmpose.core.optimizer import build_optimizers
from mmpose.datasets import build_dataloader, build_dataset
from mmpose.models import build_posenet
from smpl_fixtures import tiny_mesh_model_cfg, write_smpl_files

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / 'configs' / 'mesh' / 'hmr' / 'hmr_res50_224x224.py'
MANIFEST = (REPO / '..' / 'shared' / 'model-zoo' / 'state_dict_manifest.json')
#: A published ResNet-50 model whose ``backbone.`` entries HMR's share.
RES50_CONFIG = 'top_down/resnet/coco/res50_coco_256x192.py'


def _with_smpl(cfg, files):
    cfg.model.pretrained = None
    cfg.model.smpl.smpl_path = files['smpl_path']
    cfg.model.smpl.joints_regressor = files['joints_regressor']
    cfg.model.mesh_head.smpl_mean_params = files['smpl_mean_params']
    return cfg


def _hmr_head_shapes():
    """0.14's MeshHMRHead on ResNet-50 features (2048 channels)."""
    shapes = {'init_pose': [1, 144], 'init_shape': [1, 10], 'init_cam': [1, 3]}
    for name, out, inp in (('fc1', 1024, 2048 + 144 + 10 + 3),
                           ('fc2', 1024, 1024), ('decpose', 144, 1024),
                           ('decshape', 10, 1024), ('deccam', 3, 1024)):
        shapes.update({f'{name}.weight': [out, inp], f'{name}.bias': [out]})
    return shapes


def _discriminator_shapes():
    """0.14's SMPLDiscriminator with its default channels."""
    shapes = {}
    prefix = 'pose_discriminator.'
    for i, (out, inp) in enumerate([(32, 9), (32, 32)]):
        shapes[f'{prefix}conv_blocks.conv_{i}.weight'] = [out, inp, 1, 1]
        shapes[f'{prefix}conv_blocks.conv_{i}.bias'] = [out]
    for j in range(23):
        shapes[f'{prefix}fc_layer.{j}.weight'] = [1, 32]
        shapes[f'{prefix}fc_layer.{j}.bias'] = [1]
    for name, sizes in (('full_pose', [736, 1024, 1024,
                                       1]), ('shape', [10, 10, 5, 1])):
        for i in range(3):
            key = f'{name}_discriminator.fc_blocks.regressor_fc_{i}'
            shapes[f'{key}.weight'] = [sizes[i + 1], sizes[i]]
            shapes[f'{key}.bias'] = [sizes[i + 1]]
    return shapes


#: smplx's SMPL module with SMPL's 6890 vertices (faces vary: the synthetic
#: mesh has fewer).
SMPL_SHAPES = {
    'betas': [1, 10],
    'global_orient': [1, 3],
    'body_pose': [1, 69],
    'transl': [1, 3],
    'shapedirs': [6890, 3, 10],
    'v_template': [6890, 3],
    'J_regressor': [24, 6890],
    'posedirs': [207, 20670],
    'parents': [24],
    'lbs_weights': [6890, 24],
    'vertex_joint_selector.extra_joints_idxs': [21]
}


def test_without_smpl_files_the_build_names_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the config's relative models/smpl/...
    cfg = Config.fromfile(str(CONFIG))
    with pytest.raises(FileNotFoundError) as err:
        build_posenet(cfg.model)
    message = str(err.value)
    for path, key in (('models/smpl/SMPL_NEUTRAL.pkl', 'model.smpl.smpl_path'),
                      ('models/smpl/joints_regressor_cmr.npy',
                       'model.smpl.joints_regressor'),
                      ('models/smpl/smpl_mean_params.npz',
                       'model.mesh_head.smpl_mean_params')):
        assert f"'{path}' (config key `{key}`)" in message


def test_state_dict_keys_and_shapes(tmp_path):
    cfg = _with_smpl(Config.fromfile(str(CONFIG)), write_smpl_files(tmp_path))
    with torch.device('meta'):
        model = build_posenet(cfg.model)
    got = {k: list(v.shape) for k, v in model.state_dict().items()}

    backbone = {k: v for k, v in got.items() if k.startswith('backbone.')}
    expected = {'joints_regressor': [1, 24, 6890]}
    expected.update(backbone)
    for prefix, shapes in (('mesh_head.', _hmr_head_shapes()),
                           ('discriminator.',
                            _discriminator_shapes()), ('smpl.', SMPL_SHAPES)):
        expected.update({prefix + k: v for k, v in shapes.items()})
    # 0.14's generator (nn.Sequential(backbone, mesh_head)) saves them again.
    expected.update({
        'generator.0.' + k[len('backbone.'):]: v
        for k, v in backbone.items()
    })
    expected.update({
        'generator.1.' + k: v
        for k, v in _hmr_head_shapes().items()
    })
    expected['smpl.faces_tensor'] = got['smpl.faces_tensor']
    assert sorted(set(expected) - set(got)) == [], 'missing keys'
    assert sorted(set(got) - set(expected)) == [], 'unexpected keys'
    assert got == expected
    assert got['smpl.faces_tensor'][1] == 3
    assert len(backbone) > 300


@pytest.mark.skipif(not MANIFEST.exists(), reason='needs ../shared')
def test_backbone_is_the_published_resnet50():
    with open(MANIFEST) as f:
        manifest = json.load(f)
    # The HMR checkpoint needs SMPL to build, so the manifest has no entry.
    assert manifest['configs']['mesh/hmr/hmr_res50_224x224.py'] is None
    published = manifest['architectures'][manifest['configs'][RES50_CONFIG]]
    published = {
        k: v
        for k, v in published.items() if k.startswith('backbone.')
    }
    cfg = Config.fromfile(str(CONFIG))
    with torch.device('meta'):
        backbone = build_posenet(
            dict(type='TopDown', backbone=cfg.model.backbone)).backbone
    assert {
        f'backbone.{k}': list(v.shape)
        for k, v in backbone.state_dict().items()
    } == published


def _with_data(cfg, root, img_res):
    """Every split and every mixed train set on generated data, with input
    images of ``img_res`` pixels."""
    train = write_mesh_dataset(root / 'train', num_samples=4)
    for dataset in cfg.data.train.train_dataset.configs:
        dataset.ann_file = train['ann_file']
        dataset.img_prefix = train['img_prefix']
        dataset.data_cfg.image_size = [img_res, img_res]
    cfg.data.test.data_cfg.image_size = [img_res, img_res]
    cfg.model.loss_mesh.img_res = img_res
    cfg.data.train.adversarial_dataset.ann_file = write_mosh_dataset(
        root / 'mosh')['ann_file']
    test = write_mesh_dataset(root / 'test', num_samples=2, seed=1)
    cfg.data.test.ann_file = test['ann_file']
    cfg.data.test.img_prefix = test['img_prefix']
    return cfg


# The fast suite runs the config on 64-pixel inputs (the 224-pixel ResNet-50
# step takes most of a minute on a loaded 2-core machine); the slow suite at
# the config's own size.
@pytest.mark.parametrize('img_res',
                         [64, pytest.param(224, marks=pytest.mark.slow)])
def test_trains_one_iteration_and_evaluates(tmp_path, img_res):
    cfg = _with_smpl(
        Config.fromfile(str(CONFIG)), write_smpl_files(tmp_path / 'smpl'))
    assert cfg.data_cfg.image_size == [224, 224]
    cfg = _with_data(cfg, tmp_path, img_res)
    torch.manual_seed(0)
    np.random.seed(0)
    model = build_posenet(cfg.model)
    optimizer = build_optimizers(model, cfg.optimizer)
    assert set(optimizer) == {'generator', 'discriminator'}

    loader = build_dataloader(
        build_dataset(cfg.data.train),
        samples_per_gpu=2,
        workers_per_gpu=0,
        dist=False,
        shuffle=False,
        seed=0)
    batch = next(iter(loader))
    assert batch['img'].shape == (2, 3, img_res, img_res)
    assert batch['mosh_theta'].shape == (2, 85)
    generator = [p.detach().clone() for p in model.generator.parameters()]
    disc = [p.detach().clone() for p in model.discriminator.parameters()]
    model.train()
    outputs = MMDataParallel(model).train_step(batch, optimizer)
    assert math.isfinite(outputs['loss'].item())
    assert outputs['num_samples'] == 2
    assert 'adv_loss' in outputs['log_vars']
    for before, module in ((generator, model.generator),
                           (disc, model.discriminator)):
        assert not all(
            torch.equal(a, b) for a, b in zip(before, module.parameters()))

    # The test loop of tools/test.py, then the dataset's evaluate.
    test_set = build_dataset(cfg.data.test, dict(test_mode=True))
    results = single_gpu_test(
        MMDataParallel(model.eval()),
        build_dataloader(
            test_set,
            samples_per_gpu=2,
            workers_per_gpu=0,
            dist=False,
            shuffle=False,
            drop_last=False))
    assert len(results) == 1
    assert results[0]['keypoints_3d'].shape == (2, 24, 3)
    metrics = test_set.evaluate(results, str(tmp_path), metric='joint_error')
    assert list(metrics) == ['MPJPE', 'MPJPE-PA']
    assert all(np.isfinite(v) and v > 0 for v in metrics.values())
    assert (tmp_path / 'result_keypoints.json').exists()


def test_train_model_then_checkpoint_loads_strictly(tmp_path,
                                                    fresh_mmpose_logger):
    """``tools/train.py``'s path (``train_model`` with the config's
    ``use_adversarial_train``, both optimizers, no optimizer hook) for one
    epoch, on the tiny mesh model; the saved checkpoint loads strictly into
    a fresh model and gives the trained model's predictions."""
    files = write_smpl_files(tmp_path / 'smpl')
    cfg = _with_data(Config.fromfile(str(CONFIG)), tmp_path, 32)
    cfg.model = tiny_mesh_model_cfg(files, img_res=32)
    cfg.merge_from_dict(
        dict(
            work_dir=str(tmp_path / 'work'),
            total_epochs=1,
            gpu_ids=[0],
            seed=0,
            dist_params=dict(backend='gloo'),
            log_config=dict(interval=1),
            checkpoint_config=dict(interval=1),
            data=dict(samples_per_gpu=2, workers_per_gpu=0)))
    assert cfg.use_adversarial_train and cfg.optimizer_config is None
    torch.manual_seed(0)
    model = build_posenet(cfg.model)
    initial = copy.deepcopy(model.state_dict())
    train_model(
        model,
        build_dataset(cfg.data.train),
        cfg,
        distributed=False,
        timestamp='mesh',
        meta={})
    checkpoint = tmp_path / 'work' / 'epoch_1.pth'
    assert checkpoint.exists()
    trained = model.state_dict()
    assert not torch.equal(trained['mesh_head.decpose.weight'],
                           initial['mesh_head.decpose.weight'])
    assert not torch.equal(
        trained['discriminator.shape_discriminator.fc_blocks.'
                'regressor_fc_0.weight'],
        initial['discriminator.shape_discriminator.fc_blocks.'
                'regressor_fc_0.weight'])

    fresh = build_posenet(cfg.model)
    load_checkpoint(fresh, str(checkpoint), map_location='cpu', strict=True)
    test_set = build_dataset(cfg.data.test, dict(test_mode=True))
    batch = next(
        iter(
            build_dataloader(
                test_set,
                samples_per_gpu=2,
                workers_per_gpu=0,
                dist=False,
                shuffle=False)))
    with torch.no_grad():
        expected = MMDataParallel(model.eval())(return_loss=False, **batch)
        got = MMDataParallel(fresh.eval())(return_loss=False, **batch)
    np.testing.assert_allclose(
        got['keypoints_3d'], expected['keypoints_3d'], rtol=1e-5, atol=1e-6)
