"""A synthetic SMPL model for tests: the licensed SMPL files cannot ship.

``write_smpl_files`` writes, into a folder the test owns, the three files a
mesh config names (``model.smpl.smpl_path``, ``model.smpl.joints_regressor``
and ``model.mesh_head.smpl_mean_params``), in the formats the real ones have:
``SMPL_NEUTRAL.pkl`` is a latin-1 readable pickle of a dict of NumPy arrays
(``J_regressor`` a SciPy sparse matrix, as in the published file), which
``smplx.SMPL`` loads.

The mesh keeps SMPL's 6890 vertices because smplx always picks 21 extra
joints at fixed vertex ids (up to 6787); everything else is small: 24 joints
on SMPL's kinematic tree, each vertex bound to one joint, a few faces, small
random shape and pose blend shapes.
"""
import os
import os.path as osp
import pickle

import numpy as np

NUM_VERTICES = 6890
NUM_JOINTS = 24
# SMPL's kinematic tree (parent of each joint; the root has none).
PARENTS = [
    -1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19,
    20, 21
]


def write_smpl_files(root, num_regressed_joints=24, seed=0):
    """Write a synthetic SMPL model, joints regressor and mean parameters.

    Args:
        root (str | Path): Folder to write to (created if missing).
        num_regressed_joints (int): Rows of the joints regressor (the K
            joints a mesh model predicts and is evaluated on).
        seed (int): Seed of the random blend shapes and template.

    Returns:
        dict: ``smpl_path`` (the folder, as the config names it),
        ``model_file``, ``joints_regressor`` and ``smpl_mean_params`` (file
        paths), ``model`` (the pickled dict), ``regressor`` (the regressor
        array [K, 6890]) and ``mean_params`` (the npz arrays).
    """
    import scipy.sparse
    rng = np.random.RandomState(seed)
    root = str(root)
    os.makedirs(root, exist_ok=True)

    joints = rng.uniform(-0.5, 0.5, size=(NUM_JOINTS, 3))
    # Every vertex sits near the joint that moves it.
    owner = np.arange(NUM_VERTICES) % NUM_JOINTS
    v_template = joints[owner] + rng.normal(0, 0.05, size=(NUM_VERTICES, 3))
    weights = np.zeros((NUM_VERTICES, NUM_JOINTS))
    weights[np.arange(NUM_VERTICES), owner] = 1
    # Each joint is the mean of its vertices.
    j_regressor = weights.T / weights.sum(0)[:, None]
    kintree = np.array([PARENTS, list(range(NUM_JOINTS))], dtype=np.int64)
    kintree[0, 0] = 4294967295  # the published file's 'no parent'
    # Pose blend shapes on a few vertices only: a full random basis takes
    # longer to draw than the tests using it take to run.
    posedirs = np.zeros((NUM_VERTICES, 3, 9 * (NUM_JOINTS - 1)), np.float32)
    posedirs[:NUM_JOINTS] = rng.normal(
        0, 0.01, size=posedirs[:NUM_JOINTS].shape)
    model = dict(
        v_template=v_template,
        shapedirs=rng.normal(0, 0.01, size=(NUM_VERTICES, 3, 10)),
        posedirs=posedirs,
        J_regressor=scipy.sparse.csc_matrix(j_regressor),
        J=joints,
        weights=weights,
        kintree_table=kintree,
        f=np.arange(3 * 100, dtype=np.uint32).reshape(100, 3),
        bs_style='lbs',
        bs_type='lrotmin')
    model_file = osp.join(root, 'SMPL_NEUTRAL.pkl')
    with open(model_file, 'wb') as f:
        pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL)

    regressor = np.zeros((num_regressed_joints, NUM_VERTICES))
    for k in range(num_regressed_joints):
        regressor[k, rng.choice(NUM_VERTICES, 4, replace=False)] = 0.25
    regressor_file = osp.join(root, 'joints_regressor_cmr.npy')
    np.save(regressor_file, regressor)

    # Mean pose: the root turned 180 degrees about x (as SMPL's mean, so the
    # body faces the camera), other joints at rest; 6D per joint is the
    # first two rotation columns laid out row by row.
    pose = np.tile(np.array([1, 0, 0, 1, 0, 0], np.float32), NUM_JOINTS)
    pose[:6] = [1, 0, 0, -1, 0, 0]
    mean_params = dict(
        pose=pose,
        shape=rng.normal(0, 0.3, size=10).astype(np.float32),
        cam=np.array([0.9, 0, 0], np.float32))
    mean_file = osp.join(root, 'smpl_mean_params.npz')
    np.savez(mean_file, **mean_params)
    paths = dict(smpl_path=root, model_file=model_file)
    paths.update(joints_regressor=regressor_file, smpl_mean_params=mean_file)
    return dict(
        paths, model=model, regressor=regressor, mean_params=mean_params)


def tiny_mesh_model_cfg(files, img_res=32, with_gan=True, disc_step=1):
    """A ``ParametricMesh`` config small enough for the fast suite.

    A one-stage ResNet-18 with 8 base channels (64 output channels) instead
    of the zoo's ResNet-50; the head, SMPL, discriminator and losses are the
    zoo config's.

    Args:
        files (dict): What :func:`write_smpl_files` returned.
        img_res (int): Input image size. Default: 32.
        with_gan (bool): Add the discriminator and GAN loss. Default: True.
        disc_step (int): ``train_cfg.disc_step``. Default: 1.

    Returns:
        dict: The model config.
    """
    cfg = dict(
        type='ParametricMesh',
        backbone=dict(
            type='ResNet',
            depth=18,
            num_stages=1,
            strides=(1, ),
            dilations=(1, ),
            out_indices=(0, ),
            stem_channels=8,
            base_channels=8),
        mesh_head=dict(
            type='MeshHMRHead',
            in_channels=8,
            smpl_mean_params=files['smpl_mean_params']),
        smpl=dict(
            smpl_path=files['smpl_path'],
            joints_regressor=files['joints_regressor']),
        loss_mesh=dict(
            type='MeshLoss',
            joints_2d_loss_weight=100,
            joints_3d_loss_weight=1000,
            vertex_loss_weight=20,
            smpl_pose_loss_weight=30,
            smpl_beta_loss_weight=0.2,
            img_res=img_res,
            focal_length=5000),
        train_cfg=dict(disc_step=disc_step),
        test_cfg=dict())
    if with_gan:
        cfg.update(
            disc=dict(),
            loss_gan=dict(
                type='GANLoss',
                gan_type='lsgan',
                real_label_val=1.0,
                fake_label_val=0.0,
                loss_weight=1))
    return cfg
