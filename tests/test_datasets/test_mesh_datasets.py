"""Mesh recovery datasets: 0.14's records from the shared H36M / MoSh
samples and from generated files, MPJPE / MPJPE-PA against hand-derived
values, the mixing proportions and the adversarial pairing."""
import copy
import json
import os
from pathlib import Path

import numpy as np
import pytest
import torch

from mesh_fixtures import (mesh_data_cfg, write_mesh_dataset,
                           write_mosh_dataset)
from mmpose.core.dataset_meta import get_dataset_meta
from mmpose.core.evaluation.mesh_eval import (compute_similarity_transform,
                                              mesh_joint_errors)
from mmpose.datasets import DATASETS, build_dataset
from mmpose.datasets.datasets.mesh import MeshBaseDataset
from mmpose.utils import ArgumentError

SHARED = Path(__file__).resolve().parents[2] / '..' / 'shared' / 'datasets'
H36M = SHARED / 'h36m'
needs_shared = pytest.mark.skipif(
    not (H36M / 'test_h36m.npz').is_file(), reason='../shared absent')

EVAL_JOINTS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 18]

RECORD_KEYS = {
    'image_file', 'center', 'scale', 'rotation', 'joints_2d',
    'joints_2d_visible', 'joints_3d', 'joints_3d_visible', 'gender', 'pose',
    'beta', 'has_smpl', 'iuv_file', 'has_iuv'
}


def _identity(results):
    return results


def _h36m(ann_file, img_prefix, pipeline=(_identity, ), **cfg):
    return build_dataset(
        dict(
            type='MeshH36MDataset',
            ann_file=str(ann_file),
            img_prefix=str(img_prefix),
            data_cfg=mesh_data_cfg(**cfg),
            pipeline=list(pipeline)))


@needs_shared
def test_shared_h36m_sample_records():
    data = np.load(H36M / 'test_h36m.npz')
    dataset = _h36m(H36M / 'test_h36m.npz', H36M)
    assert len(dataset) == 4
    assert dataset.iuv_prefix == os.path.join(str(H36M), 'BF_IUV_gt')
    for i, rec in enumerate(dataset.db):
        assert set(rec) == RECORD_KEYS
        assert rec['image_file'] == os.path.join(str(H36M),
                                                 data['imgname'][i])
        assert os.path.isfile(rec['image_file'])
        assert os.path.isfile(rec['iuv_file'])
        assert rec['iuv_file'].endswith(data['iuv_names'][i])
        shapes = dict(center=(2, ), scale=(2, ), joints_2d=(24, 2),
                      joints_2d_visible=(24, 1), joints_3d=(24, 3),
                      joints_3d_visible=(24, 1), pose=(72, ), beta=(10, ))
        for key, shape in shapes.items():
            assert rec[key].shape == shape, key
            assert rec[key].dtype == np.float32, key
        np.testing.assert_array_equal(rec['center'],
                                      data['center'][i].astype(np.float32))
        np.testing.assert_array_equal(rec['scale'],
                                      [np.float32(data['scale'][i])] * 2)
        np.testing.assert_array_equal(rec['joints_2d'],
                                      data['part'][i, :, :2].astype('f4'))
        np.testing.assert_array_equal(rec['joints_2d_visible'][:, 0],
                                      data['part'][i, :, 2])
        np.testing.assert_array_equal(rec['joints_3d'],
                                      data['S'][i, :, :3].astype('f4'))
        np.testing.assert_array_equal(rec['joints_3d_visible'][:, 0],
                                      data['S'][i, :, 3])
        np.testing.assert_array_equal(rec['pose'],
                                      data['pose'][i].astype('f4'))
        np.testing.assert_array_equal(rec['beta'],
                                      data['shape'][i].astype('f4'))
        assert rec['rotation'] == 0
        assert rec['has_smpl'] == 1 and rec['has_iuv'] == 1
        assert rec['gender'] == -1  # the file has no genders
    info = dataset.ann_info
    assert info['flip_pairs'] == [[0, 5], [1, 4], [2, 3], [6, 11], [7, 10],
                                  [8, 9], [20, 21], [22, 23]]
    np.testing.assert_array_equal(info['image_size'], [224, 224])
    np.testing.assert_array_equal(info['iuv_size'], [56, 56])
    assert info['joint_weights'].shape == (24, 1)
    assert info['uv_type'] == 'BF' and info['use_IUV'] is False


@needs_shared
def test_shared_h36m_sample_through_the_hmr_train_pipeline():
    keys = ['img', 'joints_2d', 'joints_2d_visible', 'joints_3d',
            'joints_3d_visible', 'pose', 'beta', 'has_smpl', 'part_index',
            'uv_coordinates']
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadIUVFromFile'),
        dict(type='MeshRandomChannelNoise', noise_factor=0.4),
        dict(type='MeshRandomFlip', flip_prob=0.5),
        dict(type='MeshGetRandomScaleRotation', rot_factor=30,
             scale_factor=0.25),
        dict(type='MeshAffine'),
        dict(type='IUVToTensor'),
        dict(type='ToTensor'),
        dict(type='NormalizeTensor', mean=[0.485, 0.456, 0.406],
             std=[0.229, 0.224, 0.225]),
        dict(type='Collect', keys=keys,
             meta_keys=['image_file', 'center', 'scale', 'rotation']),
    ]
    dataset = _h36m(H36M / 'test_h36m.npz', H36M, pipeline, use_IUV=True)
    np.random.seed(0)
    sample = dataset[1]
    assert set(sample) == set(keys) | {'img_metas'}
    assert sample['img'].shape == (3, 224, 224)
    assert sample['part_index'].shape == (1, 56, 56)
    assert sample['uv_coordinates'].shape == (2, 56, 56)
    # the person (IUV foreground) is in the crop, not only in a corner
    fg = sample['part_index'][0].numpy() > 0
    ys, xs = np.nonzero(fg)
    assert fg.mean() > 0.03
    assert 14 < xs.mean() < 42 and 14 < ys.mean() < 42
    # the record is left untouched by the pipeline
    np.testing.assert_array_equal(dataset.db[1]['center'],
                                  np.load(H36M / 'test_h36m.npz')['center'][1]
                                  .astype(np.float32))


@needs_shared
def test_shared_mosh_sample():
    data = np.load(SHARED / 'mosh' / 'test_mosh.npz')
    dataset = build_dataset(
        dict(type='MoshDataset',
             ann_file=str(SHARED / 'mosh' / 'test_mosh.npz'),
             pipeline=[dict(type='Collect', keys=['mosh_theta'],
                            meta_keys=[])]))
    assert len(dataset) == 4
    for i in range(4):
        theta = dataset[i]['mosh_theta']
        assert theta.shape == (85, ) and theta.dtype == np.float32
        np.testing.assert_array_equal(theta[:3], 0)
        np.testing.assert_array_equal(theta[3:75],
                                      data['pose'][i].astype(np.float32))
        np.testing.assert_array_equal(theta[75:],
                                      data['shape'][i].astype(np.float32))


def test_generated_file_without_optional_keys(tmp_path):
    fixture = write_mesh_dataset(tmp_path, num_samples=3, with_smpl=False)
    data = dict(np.load(fixture['ann_file']))
    for key in ('part', 'S'):
        del data[key]
    data['gender'] = np.array(['m', 'f', 'm'])
    np.savez(tmp_path / 'bare.npz', **data)
    dataset = MeshBaseDataset(
        str(tmp_path / 'bare.npz'), str(tmp_path), mesh_data_cfg(),
        [_identity])
    rec = dataset[1]
    assert rec['has_smpl'] == 0 and rec['has_iuv'] == 0
    assert [r['gender'] for r in dataset.db] == [0, 1, 0]
    for key in ('joints_2d', 'joints_3d', 'pose', 'beta',
                'joints_3d_visible'):
        assert not rec[key].any(), key
    assert rec['ann_info'] is dataset.ann_info


def test_data_cfg_checks(tmp_path):
    fixture = write_mesh_dataset(tmp_path, num_samples=1)
    cfg = mesh_data_cfg()
    with pytest.raises(ArgumentError, match='num_joints'):
        MeshBaseDataset(fixture['ann_file'], str(tmp_path),
                        dict(cfg, num_joints=17), [])
    with pytest.raises(ArgumentError, match='uv_type'):
        MeshBaseDataset(fixture['ann_file'], str(tmp_path),
                        dict(cfg, uv_type='XY'), [])


# ---------------------------------------------------------------- evaluate


def _outputs(pred, dataset, batch=3):
    paths = [rec['image_file'] for rec in dataset.db]
    return [
        dict(keypoints_3d=pred[i:i + batch], image_path=paths[i:i + batch])
        for i in range(0, len(pred), batch)
    ]


@pytest.fixture
def h36m_dataset(tmp_path):
    fixture = write_mesh_dataset(tmp_path / 'data', num_samples=5)
    return _h36m(fixture['ann_file'], fixture['img_prefix'])


def _gt(dataset):
    return np.stack([rec['joints_3d'] for rec in dataset.db]).astype(
        np.float64)


def test_evaluate_perfect_and_translated(h36m_dataset, tmp_path):
    gt = _gt(h36m_dataset)
    for pred in (gt, gt + [0.3, -0.2, 1.0]):
        res = h36m_dataset.evaluate(_outputs(pred, h36m_dataset),
                                    str(tmp_path))
        assert list(res) == ['MPJPE', 'MPJPE-PA']
        assert res['MPJPE'] == pytest.approx(0, abs=1e-6)
        assert res['MPJPE-PA'] == pytest.approx(0, abs=1e-6)


def test_evaluate_one_joint_off_by_a_centimetre(h36m_dataset, tmp_path):
    pred = _gt(h36m_dataset)
    pred[:, 7] += [0.01, 0, 0]  # right elbow, not a hip (the root)
    res = h36m_dataset.evaluate(_outputs(pred, h36m_dataset), str(tmp_path))
    # 10 mm on one of the 14 evaluated joints
    assert res['MPJPE'] == pytest.approx(10 / 14, rel=1e-5)
    # (Procrustes minimises squared distances: spread over all joints, the
    # mean distance may exceed the unaligned one)
    assert res['MPJPE-PA'] > 0


def test_evaluate_similarity_transform_gives_zero_pa(h36m_dataset, tmp_path):
    gt = _gt(h36m_dataset)
    # rotation of 90 degrees about z, scale 2, translation
    rot = np.array([[0., -1, 0], [1, 0, 0], [0, 0, 1]])
    pred = 2 * gt @ rot.T + [1, 2, 3]
    res = h36m_dataset.evaluate(_outputs(pred, h36m_dataset), str(tmp_path))
    assert res['MPJPE-PA'] == pytest.approx(0, abs=1e-6)
    # Without alignment: per joint |2 R g - g| of the pelvis-centred g
    centred = gt[:, EVAL_JOINTS] - gt[:, [2, 3]].mean(axis=1, keepdims=True)
    expected = np.linalg.norm(2 * centred @ rot.T - centred, axis=-1).mean()
    assert res['MPJPE'] == pytest.approx(expected * 1000, rel=1e-6)


def test_evaluate_ignores_joints_outside_the_14(h36m_dataset, tmp_path):
    pred = _gt(h36m_dataset)
    pred[:, [13, 14, 15, 16, 17, 19, 20, 21, 22, 23]] = 7.0
    res = h36m_dataset.evaluate(_outputs(pred, h36m_dataset), str(tmp_path))
    assert res['MPJPE'] == pytest.approx(0, abs=1e-6)


def test_evaluate_writes_the_result_file(h36m_dataset, tmp_path):
    pred = _gt(h36m_dataset).astype(np.float32)
    h36m_dataset.evaluate(_outputs(pred, h36m_dataset), str(tmp_path))
    with open(tmp_path / 'result_keypoints.json') as f:
        written = json.load(f)
    assert len(written) == 5
    assert set(written[0]) == {'keypoints', 'image'}
    assert written[4]['image'] == h36m_dataset.db[4]['image_file']
    np.testing.assert_array_equal(written[2]['keypoints'], pred[2])


def test_evaluate_errors(h36m_dataset, tmp_path):
    gt = _gt(h36m_dataset)
    with pytest.raises(KeyError, match='not supported'):
        h36m_dataset.evaluate(_outputs(gt, h36m_dataset), str(tmp_path),
                              metric='mpjpe')
    with pytest.raises(ArgumentError, match='4 predictions'):
        h36m_dataset.evaluate(_outputs(gt[:4], h36m_dataset), None)
    h36m_dataset.db[3]['joints_3d_visible'][12] = 0
    with pytest.raises(ArgumentError, match=r'samples \[3\]'):
        h36m_dataset.evaluate(_outputs(gt, h36m_dataset), None)


def test_evaluate_kernel_one_example(h36m_dataset):
    rec = h36m_dataset.db[0]
    gt = rec['joints_3d'].astype(np.float64)
    pred = gt.copy()
    pred[[0, 5]] += [0, 0.028, 0]  # both ankles 2.8 cm lower
    error, error_pa = h36m_dataset.evaluate_kernel(pred, rec['joints_3d'],
                                                   rec['joints_3d_visible'])
    assert error == pytest.approx(2 * 0.028 / 14, rel=1e-5)
    # the reference: the 14 joints, pelvis-centred, compute_similarity_transform
    p = pred[EVAL_JOINTS] - pred[[2, 3]].mean(axis=0)
    g = gt[EVAL_JOINTS] - gt[[2, 3]].mean(axis=0)
    aligned = compute_similarity_transform(p, g)
    assert error_pa == pytest.approx(
        np.linalg.norm(aligned - g, axis=-1).mean(), rel=1e-9)


def test_mesh_joint_errors_per_sample():
    gt = np.zeros((2, 4, 3))
    gt[:, 1] = [1, 0, 0]
    gt[:, 2] = [0, 1, 0]
    gt[:, 3] = [0, 0, 1]
    pred = gt.copy()
    pred[1, 3] = [0, 0, 2]  # one joint of the second sample 1 m off
    mpjpe, mpjpe_pa = mesh_joint_errors(pred, gt, np.ones((2, 4, 1)),
                                        [0, 1, 2, 3], [0])
    np.testing.assert_allclose(mpjpe, [0, 0.25])
    assert mpjpe_pa[0] == pytest.approx(0, abs=1e-12)
    assert mpjpe_pa[1] > 0


# ------------------------------------------------------------ mixing, adv


def _mix_configs(tmp_path, sizes):
    configs = []
    for i, size in enumerate(sizes):
        fixture = write_mesh_dataset(tmp_path / f'd{i}', num_samples=size,
                                     image_shape=(8, 8), seed=i)
        configs.append(
            dict(ann_file=fixture['ann_file'],
                 img_prefix=fixture['img_prefix'],
                 data_cfg=mesh_data_cfg(),
                 pipeline=[_identity]))
    return configs


def test_mesh_mix_dataset_proportions(tmp_path):
    configs = _mix_configs(tmp_path, [2, 6])
    dataset = build_dataset(
        dict(type='MeshMixDataset', configs=configs, partition=[0.25, 0.75]))
    assert len(dataset) == 6
    torch.manual_seed(0)
    draws = [dataset[0]['image_file'] for _ in range(2000)]
    first = np.mean([os.sep + 'd0' + os.sep in path for path in draws])
    # binomial(2000, 0.25): standard deviation ~0.0097
    assert abs(first - 0.25) < 0.04
    # within a dataset the samples are uniform: each of d1's 6 ~ 0.125
    counts = np.array([
        sum(path.endswith(f'd1{os.sep}img_{j:03d}.png') for path in draws)
        for j in range(6)
    ]) / 2000
    np.testing.assert_allclose(counts, 0.125, atol=0.035)


def test_mesh_mix_dataset_partition_checks(tmp_path):
    configs = _mix_configs(tmp_path, [1, 1])
    only_second = DATASETS.build(
        dict(type='MeshMixDataset', configs=configs, partition=[0, 1]))
    assert all(os.sep + 'd1' + os.sep in only_second[0]['image_file']
               for _ in range(20))
    # proportions that sum to 1 only up to rounding are accepted
    tenths = [0.1] * 10
    assert sum(tenths) != 1
    DATASETS.build(dict(type='MeshMixDataset', configs=configs * 5,
                        partition=tenths))
    for partition, match in (([0.5, 0.6], 'sum to 1'),
                             ([1.5, -0.5], 'negative'), ([1.0], '1 prop')):
        with pytest.raises(ArgumentError, match=match):
            DATASETS.build(dict(type='MeshMixDataset', configs=configs,
                                partition=partition))


def test_mesh_adversarial_dataset(tmp_path):
    fixture = write_mesh_dataset(tmp_path / 'train', num_samples=3,
                                 image_shape=(8, 8))
    mosh = write_mosh_dataset(tmp_path / 'mosh', num_samples=5)
    train_pipeline = [
        dict(type='Collect', keys=['joints_3d', 'pose'],
             meta_keys=['image_file'])
    ]
    dataset = build_dataset(
        dict(type='MeshAdversarialDataset',
             train_dataset=dict(type='MeshH36MDataset',
                                ann_file=fixture['ann_file'],
                                img_prefix=fixture['img_prefix'],
                                data_cfg=mesh_data_cfg(),
                                pipeline=train_pipeline),
             adversarial_dataset=dict(
                 type='MoshDataset', ann_file=mosh['ann_file'],
                 pipeline=[dict(type='Collect', keys=['mosh_theta'],
                                meta_keys=[])])))
    assert len(dataset) == 3
    thetas = np.concatenate(
        [np.zeros((5, 3)), mosh['pose'], mosh['shape']], axis=1)
    np.random.seed(0)
    seen = set()
    for _ in range(30):
        sample = dataset[2]
        assert set(sample) == {'joints_3d', 'pose', 'img_metas',
                               'mosh_theta'}
        # the train sample's meta, not the adversarial pipeline's empty one
        assert sample['img_metas'].data['image_file'].endswith('img_002.png')
        np.testing.assert_array_equal(sample['pose'],
                                      fixture['pose'][2].astype(np.float32))
        match = np.flatnonzero(
            np.all(np.isclose(thetas, sample['mosh_theta'], atol=1e-6),
                   axis=1))
        assert len(match) == 1
        seen.add(int(match[0]))
    assert len(seen) > 1  # random real samples, not a fixed one


def test_records_are_copied_per_sample(h36m_dataset):
    before = copy.deepcopy(h36m_dataset.db[0])

    def scribble(results):
        results['joints_3d'][:] = 99
        results['center'][0] = -1
        return results

    h36m_dataset.pipeline = scribble
    h36m_dataset[0]
    np.testing.assert_array_equal(h36m_dataset.db[0]['joints_3d'],
                                  before['joints_3d'])
    np.testing.assert_array_equal(h36m_dataset.db[0]['center'],
                                  before['center'])


def test_mesh_joint_metadata():
    meta = get_dataset_meta('MeshH36MDataset')
    names = meta.keypoint_names
    assert len(names) == 24
    for left, right in meta.flip_pairs:
        a, b = sorted([names[left], names[right]])
        assert a.startswith('left_') and b == 'right_' + a[len('left_'):]
    sided = {i for i, n in enumerate(names) if n.startswith(('left', 'right'))}
    assert {i for pair in meta.flip_pairs for i in pair} == sided
    # the H36M labels of the shared sample: the evaluated joints and more
    assert names[2] == 'right_hip' and names[3] == 'left_hip'
    assert [names[i] for i in (12, 18)] == ['neck', 'head']
