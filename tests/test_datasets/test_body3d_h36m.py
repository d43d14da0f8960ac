"""Body3DH36MDataset: records, sequence sampling and metrics on generated
annotation files (values derived by hand) and on the shared sample."""
from pathlib import Path

import numpy as np
import pytest

from mmpose.datasets import DATASETS
from mmpose.utils import ArgumentError

H36M = Path(__file__).resolve().parents[2] / '..' / 'shared' / 'datasets' / \
    'h36m'
K = 17
# (subject, action, camera, frames); written in this order, so the file
# order differs from the sorted video order (Directions < Directions_1 < S5)
VIDEOS = [('S5', 'Walking', '55011271', 4), ('S1', 'Directions_1', '54138969',
                                              5),
          ('S1', 'Directions', '54138969', 3)]


def _imgname(subj, action, camera, frame):
    video = f'{subj}_{action}.{camera}'
    return f'{subj}/{video}/{video}_{frame:06d}.jpg'


def write_h36m_npz(path, seed=0):
    """Write an annotation npz of VIDEOS; every Directions joint lies on the
    unit sphere. Returns the arrays written."""
    rng = np.random.RandomState(seed)
    names = [
        _imgname(s, a, c, f + 1) for s, a, c, n in VIDEOS for f in range(n)
    ]
    joints_3d = np.ones((len(names), K, 4), np.float32)
    joints_3d[:, :, :3] = rng.uniform(-1, 1, (len(names), K, 3))
    directions = np.array(['Directions' in n for n in names])
    xyz = joints_3d[directions, :, :3]
    joints_3d[directions, :, :3] = xyz / np.linalg.norm(
        xyz, axis=-1, keepdims=True)
    joints_2d = np.ones((len(names), K, 3), np.float32)
    joints_2d[:, :, :2] = rng.uniform(0, 1000, (len(names), K, 2))
    data = dict(
        imgname=np.array(names),
        center=rng.uniform(400, 600, (len(names), 2)),
        scale=rng.uniform(1, 2, len(names)),
        S=joints_3d,
        part=joints_2d)
    np.savez(path, **data)
    return data


def _dataset(ann_file, pipeline=(), **data_cfg):
    cfg = dict(num_joints=K, seq_len=1, seq_frame_interval=1, causal=True)
    cfg.update(data_cfg)
    return DATASETS.build(
        dict(
            type='Body3DH36MDataset',
            ann_file=str(ann_file),
            img_prefix='',
            data_cfg=cfg,
            pipeline=list(pipeline)))


@pytest.fixture
def h36m(tmp_path):
    path = tmp_path / 'h36m.npz'
    return path, write_h36m_npz(path)


def test_records(h36m):
    path, data = h36m
    ds = _dataset(path)
    np.testing.assert_array_equal(ds.data_info['imgnames'], data['imgname'])
    np.testing.assert_allclose(ds.data_info['joints_3d'], data['S'])
    np.testing.assert_allclose(ds.data_info['joints_2d'], data['part'])
    np.testing.assert_allclose(ds.data_info['centers'], data['center'],
                               rtol=1e-6)
    assert ds.ann_info['num_joints'] == K
    assert ds.ann_info['flip_pairs'] == [[1, 4], [2, 5], [3, 6], [11, 14],
                                         [12, 15], [13, 16]]
    # one-frame samples, videos in sorted order, frames in file order
    assert ds.sample_indices[:, 0].tolist() == [9, 10, 11, 4, 5, 6, 7, 8, 0,
                                                1, 2, 3]
    assert len(ds) == 12


def test_sequence_sampling_without_padding(h36m):
    path, _ = h36m
    ds = _dataset(path, seq_len=3)
    assert ds.sample_indices.tolist() == [[9, 10, 11], [4, 5, 6], [5, 6, 7],
                                          [6, 7, 8], [0, 1, 2], [1, 2, 3]]
    ds = _dataset(path, seq_len=3, seq_frame_interval=2)
    assert ds.sample_indices.tolist() == [[4, 6, 8]]


def _padded_014(videos, seq_len, step, causal):
    """0.14's loop for temporal padding, as a reference."""
    out = []
    for indices in videos:
        n = len(indices)
        if causal:
            left, right = seq_len - 1, 0
        else:
            left = right = (seq_len - 1) // 2
        for i in range(n):
            pad_left = max(0, left - i // step)
            pad_right = max(0, right - (n - 1 - i) // step)
            start = max(i % step, i - left * step)
            end = min(n - (n - 1 - i) % step, i + right * step + 1)
            out.append([indices[0]] * pad_left + indices[start:end:step] +
                       [indices[-1]] * pad_right)
    return out


@pytest.mark.parametrize('seq_len,step,causal', [(3, 1, True), (3, 2, False),
                                                 (5, 1, False),
                                                 (5, 2, True)])
def test_sequence_sampling_with_padding(h36m, seq_len, step, causal):
    path, _ = h36m
    ds = _dataset(
        path,
        seq_len=seq_len,
        seq_frame_interval=step,
        causal=causal,
        temporal_padding=True)
    videos = [[9, 10, 11], [4, 5, 6, 7, 8], [0, 1, 2, 3]]
    assert ds.sample_indices.tolist() == _padded_014(videos, seq_len, step,
                                                     causal)


def test_prepare_data_sequence(h36m):
    path, data = h36m
    ds = _dataset(path, seq_len=3, causal=False)
    results = ds.prepare_data(1)  # frames 4, 5, 6
    assert results['input_2d'].shape == (3, K, 2)
    np.testing.assert_allclose(results['input_2d'], data['part'][4:7, :, :2])
    np.testing.assert_allclose(results['input_3d_visible'],
                               data['S'][4:7, :, 3:])
    # not causal: the middle frame is the target
    np.testing.assert_allclose(results['target'], data['S'][5, :, :3])
    assert results['target_image_path'] == data['imgname'][5]
    assert results['scales'].shape == (3, 2)
    causal = _dataset(path, seq_len=3).prepare_data(1)
    assert causal['target_image_path'] == data['imgname'][6]


def test_filters_and_subset(h36m):
    path, _ = h36m
    assert _dataset(path, actions=['Walking']).sample_indices[:, 0].tolist() \
        == [0, 1, 2, 3]
    # an action matches by its category too
    assert len(_dataset(path, actions='Directions')) == 8
    assert len(_dataset(path, actions=['Directions_1'])) == 5
    assert len(_dataset(path, subjects=['S1'])) == 8
    full = _dataset(path).sample_indices[:, 0].tolist()
    np.random.seed(3)
    part = _dataset(path, subset=0.5).sample_indices[:, 0].tolist()
    assert len(part) == 6
    start = full.index(part[0])
    assert full[start:start + 6] == part
    with pytest.raises(ArgumentError, match='subset'):
        _dataset(path, subset=0)


def test_joint_2d_sources(h36m, tmp_path):
    path, data = h36m
    det = np.full((len(data['imgname']), K, 3), 7., np.float32)
    np.save(tmp_path / 'det.npy', det)
    ds = _dataset(
        path, joint_2d_src='detection',
        joint_2d_det_file=str(tmp_path / 'det.npy'))
    np.testing.assert_array_equal(ds.data_info['joints_2d'], det)
    np.save(tmp_path / 'short.npy', det[:3])
    with pytest.raises(ArgumentError, match='frames'):
        _dataset(path, joint_2d_src='detection',
                 joint_2d_det_file=str(tmp_path / 'short.npy'))
    ds = _dataset(path, joint_2d_src='pipeline')
    np.testing.assert_allclose(ds.data_info['joints_2d'], data['part'])
    with pytest.raises(ValueError, match='joint_2d_src'):
        _dataset(path, joint_2d_src='somewhere')


def test_evaluate_overall_and_per_action(h36m, tmp_path):
    path, data = h36m
    ds = _dataset(path)
    gt = data['S'][:, :, :3].astype(np.float64)
    names = list(data['imgname'])
    preds = gt.copy()
    directions = np.array(['Directions' in n for n in names])
    # Directions joints are unit vectors: doubling them costs 1 per joint
    # and is undone exactly by scale (and Procrustes) alignment
    preds[directions] *= 2
    # an invisible joint (a doubled one, so alignment is still exact) is
    # left out of the means
    ds.data_info['joints_3d'][4, 16, 3] = 0
    outputs = [
        dict(preds=preds[:5], target_image_paths=names[:5]),
        dict(preds=preds[5:], target_image_paths=names[5:])
    ]
    results = ds.evaluate(outputs, str(tmp_path),
                          ['mpjpe', 'p-mpjpe', 'n-mpjpe'])
    assert (tmp_path / 'result_keypoints.json').is_file()
    # 8 Directions frames with error 1 (one joint invisible), 4 Walking
    # frames with error 0
    expected = {
        'MPJPE': (8 * K - 1) / (12 * K - 1),
        'MPJPE_Walking': 0,
        'MPJPE_Directions': 1,
        'P-MPJPE': 0,
        'P-MPJPE_Walking': 0,
        # 0.14 reported the unaligned error (1) here
        'P-MPJPE_Directions': 0,
        'N-MPJPE': 0,
        'N-MPJPE_Walking': 0,
        'N-MPJPE_Directions': 0,
    }
    assert sorted(results) == sorted(expected)
    for name, value in expected.items():
        assert results[name] == pytest.approx(value, abs=1e-5), name
    assert list(results)[:3] == ['MPJPE', 'MPJPE_Walking',
                                 'MPJPE_Directions']
    with pytest.raises(ValueError, match='Unsupported metric'):
        ds.evaluate(outputs, str(tmp_path), 'pck')


needs_h36m = pytest.mark.skipif(
    not (H36M / 'test_h36m_body3d.npz').is_file(),
    reason='shared h36m sample absent')


@needs_h36m
def test_shared_sample():
    data = np.load(H36M / 'test_h36m_body3d.npz')
    ds = _dataset(
        H36M / 'test_h36m_body3d.npz',
        need_camera_param=True,
        camera_param_file=str(H36M / 'cameras.pkl'))
    assert len(ds) == 4
    np.testing.assert_allclose(ds.data_info['joints_3d'], data['S'],
                               rtol=1e-6)
    np.testing.assert_allclose(ds.data_info['joints_2d'], data['part'],
                               rtol=1e-6)
    results = ds.prepare_data(0)
    assert results['target_image_path'] == data['imgname'][0]
    assert results['camera_param']['id'] == '54138969'
    assert results['camera_param']['name'] == 'camera1'
    outputs = [
        dict(
            preds=data['S'][:, :, :3],
            target_image_paths=list(data['imgname']))
    ]
    results = ds.evaluate(outputs, None, ['mpjpe', 'p-mpjpe'])
    assert sorted(k for k in results if k.startswith('MPJPE_')) == [
        'MPJPE_Directions', 'MPJPE_Greeting', 'MPJPE_SittingDown',
        'MPJPE_WalkDog'
    ]
    assert all(v == pytest.approx(0, abs=1e-5) for v in results.values())


def test_sample_indices_access(h36m):
    path, _ = h36m
    indices = _dataset(path, seq_len=3, temporal_padding=True).sample_indices
    # causal padding: frame 9 (first of its video) repeated twice before it
    assert indices[0].tolist() == [9, 9, 9]
    assert indices[2].tolist() == [9, 10, 11]
    assert np.asarray(indices).shape == (12, 3)
    assert indices[1:3].tolist() == [[9, 9, 10], [9, 10, 11]]
    assert indices[2, -1] == 11
    assert indices[np.array([0, 11])].tolist() == [[9, 9, 9], [1, 2, 3]]
