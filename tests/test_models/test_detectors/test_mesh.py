import numpy as np
import pytest
import torch
from mmcv.runner import build_optimizer

from mmpose.models import build_posenet
from mmpose.models.detectors.mesh import set_requires_grad
from mmpose.utils import ArgumentError
from smpl_fixtures import tiny_mesh_model_cfg, write_smpl_files

IMG_RES = 32
NUM_JOINTS = 24


@pytest.fixture(scope='module')
def smpl_files(tmp_path_factory):
    return write_smpl_files(tmp_path_factory.mktemp('smpl'))


def _model(files, **kwargs):
    torch.manual_seed(0)
    return build_posenet(tiny_mesh_model_cfg(files, img_res=IMG_RES, **kwargs))


def _batch(n=2, seed=0):
    g = torch.Generator().manual_seed(seed)
    return dict(
        img=torch.randn(n, 3, IMG_RES, IMG_RES, generator=g),
        joints_2d=torch.rand(n, NUM_JOINTS, 2, generator=g) * IMG_RES,
        joints_2d_visible=torch.ones(n, NUM_JOINTS, 1),
        joints_3d=torch.randn(n, NUM_JOINTS, 3, generator=g),
        joints_3d_visible=torch.ones(n, NUM_JOINTS, 1),
        pose=torch.randn(n, 72, generator=g) * 0.2,
        beta=torch.randn(n, 10, generator=g),
        has_smpl=torch.ones(n),
        mosh_theta=torch.randn(n, 85, generator=g) * 0.2)


def _optimizers(model):
    names = ['generator'] + (['discriminator'] if model.with_gan else [])
    return {
        name: build_optimizer(getattr(model, name), dict(type='SGD', lr=0.01))
        for name in names
    }


def _snapshot(module):
    return [p.detach().clone() for p in module.parameters()]


def _changed(module, before):
    return any(not torch.equal(a, b)
               for a, b in zip(before, module.parameters()))


def test_missing_smpl_files_are_named(smpl_files, tmp_path):
    cfg = tiny_mesh_model_cfg(smpl_files)
    cfg['smpl'] = dict(cfg['smpl'], smpl_path=str(tmp_path / 'models/smpl'))
    with pytest.raises(FileNotFoundError) as err:
        build_posenet(cfg)
    for part in ('SMPL_NEUTRAL.pkl', 'model.smpl.smpl_path',
                 str(tmp_path / 'models/smpl'), 'licensed'):
        assert part in str(err.value)
    assert 'joints_regressor' not in str(err.value)
    # All missing files in one error.
    cfg['smpl']['joints_regressor'] = str(tmp_path / 'regressor.npy')
    cfg['mesh_head']['smpl_mean_params'] = str(tmp_path / 'mean.npz')
    with pytest.raises(FileNotFoundError) as err:
        build_posenet(cfg)
    for part in ('model.smpl.smpl_path', 'model.smpl.joints_regressor',
                 str(tmp_path / 'regressor.npy'),
                 'model.mesh_head.smpl_mean_params',
                 str(tmp_path / 'mean.npz')):
        assert part in str(err.value)


def test_joints_regressor_must_fit_the_mesh(smpl_files, tmp_path):
    cfg = tiny_mesh_model_cfg(smpl_files)
    np.save(tmp_path / 'regressor.npy', np.ones((24, 100)))
    cfg['smpl'] = dict(
        cfg['smpl'], joints_regressor=str(tmp_path / 'regressor.npy'))
    with pytest.raises(ArgumentError, match=r'\[K, 6890\].*\(24, 100\)'):
        build_posenet(cfg)


def test_keys_of_0_14(smpl_files):
    model = _model(smpl_files)
    state = model.state_dict()
    # The generator holds the backbone and head (0.14 saves both names).
    for key, value in model.backbone.state_dict().items():
        assert torch.equal(state[f'generator.0.{key}'], value)
    for key in model.mesh_head.state_dict():
        assert f'generator.1.{key}' in state
    assert {k[len('smpl.'):]
            for k in state if k.startswith('smpl.')} == {
                'betas', 'global_orient', 'body_pose', 'transl', 'shapedirs',
                'faces_tensor', 'v_template', 'J_regressor', 'posedirs',
                'parents', 'lbs_weights', 'vertex_joint_selector.'
                'extra_joints_idxs'
            }
    assert state['joints_regressor'].shape == (1, NUM_JOINTS, 6890)
    shape_fc = 'shape_discriminator.fc_blocks.regressor_fc_0.weight'
    assert f'discriminator.{shape_fc}' in state
    assert 'discriminator.pose_discriminator.fc_layer.0.weight' not in \
        _model(smpl_files, with_gan=False).state_dict()


def test_joints_regressed_from_vertices(smpl_files):
    model = _model(smpl_files)
    vertices = torch.randn(2, 6890, 3)
    joints = model.get_3d_joints_from_mesh(vertices)
    # The fixture's regressor averages 4 vertices per joint.
    regressor = smpl_files['regressor']
    for k in range(NUM_JOINTS):
        ids = np.flatnonzero(regressor[k])
        torch.testing.assert_close(joints[:, k], vertices[:, ids].mean(1))


def test_smpl_wiring_root_rotation_and_axis_angle(smpl_files):
    model = _model(smpl_files)
    template = torch.tensor(
        smpl_files['model']['v_template'], dtype=torch.float32)
    rest = model._smpl_vertices(
        torch.eye(3).repeat(1, 24, 1, 1), torch.zeros(1, 10), pose2rot=False)
    torch.testing.assert_close(rest[0], template, atol=1e-5, rtol=0)
    # The root turned 90 degrees about z turns the whole mesh about the
    # root joint (the J_regressor's first row applied to the template).
    rz90 = torch.tensor([[0., -1, 0], [1, 0, 0], [0, 0, 1]])
    root = torch.tensor(
        smpl_files['model']['J_regressor'].toarray()[0]
        @ smpl_files['model']['v_template'],
        dtype=torch.float32)
    expected = (template - root) @ rz90.T + root
    rotmats = torch.eye(3).repeat(1, 24, 1, 1)
    rotmats[0, 0] = rz90
    turned = model._smpl_vertices(rotmats, torch.zeros(1, 10), pose2rot=False)
    torch.testing.assert_close(turned[0], expected, atol=1e-5, rtol=0)
    # The same pose as axis-angle (the ground-truth path).
    pose = torch.zeros(1, 72)
    pose[0, 2] = torch.pi / 2
    torch.testing.assert_close(
        model._smpl_vertices(pose, torch.zeros(1, 10), pose2rot=True)[0],
        expected,
        atol=1e-5,
        rtol=0)


def test_train_step_steps_discriminator_then_generator(smpl_files):
    model = _model(smpl_files)
    optimizer = _optimizers(model)
    gen, disc = _snapshot(model.generator), _snapshot(model.discriminator)
    outputs = model.train_step(_batch(), optimizer)
    assert outputs['num_samples'] == 2
    assert set(outputs['log_vars']) == {
        'vertex_loss', 'smpl_pose_loss', 'smpl_beta_loss', 'joints_3d_loss',
        'joints_2d_loss', 'adv_loss', 'loss'
    }
    assert np.isfinite(outputs['log_vars']['loss'])
    assert _changed(model.generator, gen)
    assert _changed(model.discriminator, disc)
    # The generator's step leaves the discriminator frozen.
    assert not any(p.requires_grad for p in model.discriminator.parameters())


def test_disc_step_2_alternates(smpl_files):
    model = _model(smpl_files, disc_step=2)
    optimizer = _optimizers(model)
    gen = _snapshot(model.generator)
    first = model.train_step(_batch(seed=1), optimizer)
    # Only the discriminator learned from the first batch.
    assert set(first['log_vars']) == {'real_loss', 'fake_loss', 'loss'}
    assert not _changed(model.generator, gen)
    second = model.train_step(_batch(seed=2), optimizer)
    assert 'adv_loss' in second['log_vars']
    assert _changed(model.generator, gen)


def test_train_step_without_gan(smpl_files):
    model = _model(smpl_files, with_gan=False)
    optimizer = _optimizers(model)
    batch = _batch()
    del batch['mosh_theta']
    outputs = model.train_step(batch, optimizer)
    assert 'adv_loss' not in outputs['log_vars']
    with pytest.raises(NotImplementedError, match='train_step'):
        model(**batch, img_metas=None, return_loss=True)


def test_forward_test_outputs(smpl_files):
    model = _model(smpl_files).eval()
    metas = [
        dict(
            image_file='a.jpg',
            center=np.array([10., 20]),
            scale=np.array([1., 1.5]),
            rotation=0),
        dict(
            image_file='b.jpg',
            center=np.array([5., 6]),
            scale=np.array([0.5, 0.5]),
            bbox_score=0.7,
            rotation=0)
    ]
    img = _batch()['img']
    with torch.no_grad():
        result = model(img, img_metas=metas, return_vertices=True)
        generated = model.forward_dummy(img)
    assert result['keypoints_3d'].shape == (2, NUM_JOINTS, 3)
    assert result['smpl_pose'].shape == (2, 24, 3, 3)
    assert result['smpl_beta'].shape == (2, 10)
    np.testing.assert_allclose(result['camera'], generated[2].numpy())
    # The joints are the regressor applied to the returned vertices.
    np.testing.assert_allclose(
        result['keypoints_3d'],
        np.einsum('kv,nvc->nkc', smpl_files['regressor'], result['vertices']),
        rtol=1e-4,
        atol=1e-5)
    assert 'faces' not in result
    np.testing.assert_allclose(
        result['bboxes'],
        [[10, 20, 1, 1.5, 200 * 300, 1], [5, 6, 0.5, 0.5, 100 * 100, 0.7]],
        rtol=1e-6)
    assert result['image_path'] == ['a.jpg', 'b.jpg']
    # val_step gives the same (0.14's runner calls it with the batch).
    with torch.no_grad():
        again = model.val_step(
            dict(img=img, img_metas=metas), return_faces=True)
    np.testing.assert_allclose(again['keypoints_3d'], result['keypoints_3d'])
    np.testing.assert_array_equal(again['faces'], smpl_files['model']['f'])


def test_show_result_projects_joints_into_the_image(smpl_files, tmp_path):
    model = _model(smpl_files)
    joints_3d = np.zeros((1, NUM_JOINTS, 3), np.float32)
    joints_3d[0, 1, 0] = 0.25
    camera = np.array([[1., 0, 0]], np.float32)
    # A box of img_res pixels: the crop maps 1:1 onto the image.
    boxes = np.array([[50, 40, IMG_RES / 200, IMG_RES / 200, 0, 1]],
                     np.float32)
    result = dict(keypoints_3d=joints_3d, camera=camera, bboxes=boxes)
    # Joint 0 at the crop centre (img_res - 1) / 2, joint 1 further right by
    # s * img_res / 2 * x = 4 pixels; the crop's corner is at
    # center - img_res / 2.
    projected = model.project_joints(result)
    np.testing.assert_allclose(projected[0, 0], [49.5, 39.5], atol=1e-4)
    np.testing.assert_allclose(projected[0, 1], [53.5, 39.5], atol=1e-4)

    img = np.zeros((80, 100, 3), np.uint8)
    out_file = str(tmp_path / 'vis.jpg')
    drawn = model.show_result(img, result, radius=1, out_file=out_file)
    assert (tmp_path / 'vis.jpg').exists()
    assert drawn[39, 53].tolist() == [0, 255, 0]
    assert drawn[10, 10].tolist() == [0, 0, 0]


def test_set_requires_grad():
    a, b = torch.nn.Linear(2, 2), torch.nn.Linear(2, 1)
    set_requires_grad([a, None, b], False)
    assert not any(p.requires_grad for p in [*a.parameters(), *b.parameters()])
    set_requires_grad(a, True)
    assert all(p.requires_grad for p in a.parameters())
