import json
from pathlib import Path

import numpy as np
import pytest

from mmpose.datasets import build_dataset

SAMPLE = (Path(__file__).resolve().parents[2] / '..' / 'shared' /
          'datasets' / 'interhand2.6m')

DATA_CFG = dict(
    image_size=[256, 256],
    heatmap_size=[64, 64, 64],
    heatmap3d_depth_bound=400.0,
    heatmap_size_root=64,
    root_depth_bound=400.0,
    num_output_channels=42,
    num_joints=42,
    dataset_channel=[list(range(42))],
    inference_channel=list(range(42)))


def _dataset(folder, prefix, **kwargs):
    return build_dataset(
        dict(
            type='InterHand3DDataset',
            ann_file=f'{folder}/{prefix}_data.json',
            camera_file=f'{folder}/{prefix}_camera.json',
            joint_file=f'{folder}/{prefix}_joint_3d.json',
            img_prefix=f'{folder}/',
            data_cfg=DATA_CFG,
            pipeline=[],
            test_mode=True,
            **kwargs))


@pytest.mark.skipif(not SAMPLE.exists(), reason='shared samples absent')
def test_shared_sample_records():
    dataset = _dataset(str(SAMPLE), 'test_interhand2.6m')
    assert len(dataset) == 4
    assert dataset.ann_info['flip_pairs'][0] == [0, 21]
    with open(SAMPLE / 'test_interhand2.6m_data.json') as f:
        data = json.load(f)
    with open(SAMPLE / 'test_interhand2.6m_camera.json') as f:
        cameras = json.load(f)
    with open(SAMPLE / 'test_interhand2.6m_joint_3d.json') as f:
        joints = json.load(f)
    for record, img, ann in zip(dataset.db, data['images'],
                                data['annotations']):
        cam = cameras[str(img['capture'])]
        name = img['camera']
        R = np.array(cam['camrot'][name])
        T = np.array(cam['campos'][name])
        fx, fy = cam['focal'][name]
        cx, cy = cam['princpt'][name]
        world = joints[str(img['capture'])][str(img['frame_idx'])]
        # One joint at a time: X_cam = R (X_world - T), then the pinhole.
        for j, X in enumerate(world['world_coord']):
            Xc = R.dot(np.array(X) - T)
            np.testing.assert_allclose(record['joints_cam'][j], Xc,
                                       rtol=1e-4, atol=1e-2)
            u, v = Xc[0] / Xc[2] * fx + cx, Xc[1] / Xc[2] * fy + cy
            np.testing.assert_allclose(record['joints_3d'][j, :2], [u, v],
                                       rtol=1e-4, atol=1e-2)
            root = 20 if j < 21 else 41
            rel = Xc[2] - R.dot(np.array(world['world_coord'][root]) - T)[2]
            assert record['joints_3d'][j, 2] == pytest.approx(rel, abs=1e-2)
        expected_type = {'right': [1, 0], 'left': [0, 1],
                         'interacting': [1, 1]}[ann['hand_type']]
        assert record['hand_type'].tolist() == expected_type
        valid = np.array(ann['joint_valid']).reshape(-1)
        # A hand without a valid root has no valid joint.
        valid[:21] *= valid[20]
        valid[21:] *= valid[41]
        assert record['joints_3d_visible'][:, 0].tolist() == \
            valid.astype(float).tolist()
        assert record['image_file'] == f'{SAMPLE}/{img["file_name"]}'


def _write_synthetic(folder):
    """Two images seen by an identity camera (focal 100, principal point 0):
    an interacting pair and a right hand alone, every joint at (0, 0, 1000)
    mm, i.e. pixel (0, 0)."""
    images, annotations, frames = [], [], {}
    for i, hand_type in enumerate(['interacting', 'right']):
        images.append(dict(id=i, file_name=f'{i}.jpg', width=64, height=64,
                           capture=0, camera='c', frame_idx=i))
        valid = [[1]] * 21 + [[1 if hand_type == 'interacting' else 0]] * 21
        annotations.append(dict(id=i, image_id=i, bbox=[0, 0, 10, 10],
                                joint_valid=valid, hand_type=hand_type,
                                hand_type_valid=1))
        frames[str(i)] = dict(world_coord=[[0, 0, 1000]] * 42)
    camera = {'0': dict(campos={'c': [0, 0, 0]},
                        camrot={'c': np.eye(3).tolist()},
                        focal={'c': [100, 100]}, princpt={'c': [0, 0]})}
    for name, content in (('data', dict(images=images,
                                        annotations=annotations)),
                          ('camera', camera), ('joint_3d', {'0': frames})):
        with open(f'{folder}/toy_{name}.json', 'w') as f:
            json.dump(content, f)


def test_metrics_by_hand(tmp_path):
    _write_synthetic(tmp_path)
    dataset = _dataset(str(tmp_path), 'toy')
    sample = dataset[1]
    assert sample['ann_info'] is dataset.ann_info
    assert sample['hand_type'].tolist() == [1, 0]
    assert sample['joints_3d_visible'][:, 0].tolist() == [1] * 21 + [0] * 21
    # Depth bin 32 of 64 over 400 mm is the root depth; bin 40 is +50 mm.
    preds = np.zeros((2, 42, 4))
    preds[:, :, 2] = 32
    preds[0, 0, 0] = 10  # 10 px at 1000 mm, focal 100: 100 mm off
    preds[1, 1, 2] = 40  # 50 mm too deep
    outputs = [
        dict(preds=preds[1:], labels=np.array([[0.7, 0.6]]),
             values=np.array([[32.]]),
             image_paths=[f'{tmp_path}/1.jpg'], bbox_ids=[1]),
        dict(preds=preds[:1], labels=np.array([[0.9, 0.8]]),
             values=np.array([[40.]]),
             image_paths=[f'{tmp_path}/0.jpg'], bbox_ids=[0]),
    ]
    results = dataset.evaluate(outputs, str(tmp_path),
                               ['MPJPE', 'MRRPE', 'Handedness_acc'])
    # 42 valid joints in the interacting image, 21 in the single one.
    assert results['MPJPE_all'] == pytest.approx(150 / 63)
    assert results['MPJPE_single'] == pytest.approx(50 / 21)
    assert results['MPJPE_interacting'] == pytest.approx(100 / 42)
    # Relative root depth bin 40 of 64 over 400 mm: 50 mm, truth 0; the
    # single hand does not count.
    assert results['MRRPE'] == pytest.approx(50)
    # The right hand alone was called interacting.
    assert results['Handedness_acc'] == pytest.approx(0.5)
    assert (tmp_path / 'result_keypoints.json').exists()
    with pytest.raises(KeyError, match='PCK'):
        dataset.evaluate(outputs, str(tmp_path), 'PCK')
    with pytest.raises(KeyError, match='hand_type'):
        dataset.evaluate([dict(preds=preds, image_paths=[], bbox_ids=[])],
                         str(tmp_path), 'Handedness_acc')


@pytest.mark.skipif(not SAMPLE.exists(), reason='shared samples absent')
def test_sample_trains_and_evaluates_with_multitask(tmp_path):
    """The InterHand 3D pieces fit: records -> 3D heatmap, root depth and
    hand type targets -> MultiTask loss -> decoded outputs -> evaluate."""
    import torch
    from mmcv.parallel import collate

    from mmpose.models import build_posenet
    data_cfg = dict(DATA_CFG, image_size=[64, 64], heatmap_size=[16, 16, 16])
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='TopDownAffine'),
        dict(type='ToTensor'),
        dict(type='NormalizeTensor', mean=[0.485, 0.456, 0.406],
             std=[0.229, 0.224, 0.225]),
        dict(type='MultitaskGatherTarget',
             pipeline_list=[[dict(type='Generate3DHeatmapTarget', sigma=2)],
                            [dict(type='HandGenerateRelDepthTarget')],
                            [dict(type='RenameKeys',
                                  key_pairs=[('hand_type', 'target'),
                                             ('hand_type_valid',
                                              'target_weight')])]],
             pipeline_indices=[0, 1, 2]),
        dict(type='Collect', keys=['img', 'target', 'target_weight'],
             meta_keys=['image_file', 'center', 'scale', 'rotation',
                        'bbox_score', 'bbox_id']),
    ]
    dataset = build_dataset(
        dict(type='InterHand3DDataset',
             ann_file=f'{SAMPLE}/test_interhand2.6m_data.json',
             camera_file=f'{SAMPLE}/test_interhand2.6m_camera.json',
             joint_file=f'{SAMPLE}/test_interhand2.6m_joint_3d.json',
             img_prefix=f'{SAMPLE}/', data_cfg=data_cfg, pipeline=pipeline,
             test_mode=True))
    batch = collate([dataset[i] for i in range(len(dataset))], 4)
    img = batch['img']
    metas = batch['img_metas'].data[0]
    target = [t.float() for t in batch['target']]
    weight = [w.float() for w in batch['target_weight']]
    assert target[0].shape == (4, 42, 16, 16, 16)
    assert weight[0].shape == (4, 42, 1) and target[1].shape == (4, 1)
    assert weight[2].shape == (4, )

    deconv = dict(num_deconv_layers=3, num_deconv_filters=(8, 8, 8),
                  num_deconv_kernels=(4, 4, 4))
    model = build_posenet(
        dict(type='MultiTask',
             backbone=dict(type='ResNet', depth=18),
             heads=[
                 dict(type='HeatMap3DHead', in_channels=512,
                      out_channels=42 * 16, depth_size=16,
                      loss_keypoint=dict(type='JointsMSELoss',
                                         use_target_weight=True), **deconv),
                 dict(type='Heatmap1DHead', in_channels=512, heatmap_size=64,
                      hidden_dims=(16, ), loss_value=dict(type='L1Loss')),
                 dict(type='MultilabelClassificationHead', in_channels=512,
                      num_labels=2, hidden_dims=(16, ),
                      loss_classification=dict(type='BCELoss',
                                               use_target_weight=True)),
             ],
             necks=[dict(type='GlobalAveragePooling')],
             head2neck={1: 0, 2: 0}))
    out = model.train_step(
        dict(img=img, target=target, target_weight=weight, img_metas=metas),
        None)
    assert torch.isfinite(out['loss'])
    model.eval()
    with torch.no_grad():
        result = model(img=img, img_metas=metas, return_loss=False)
    metrics = dataset.evaluate([result], str(tmp_path),
                               ['MPJPE', 'MRRPE', 'Handedness_acc'])
    assert set(metrics) == {'MPJPE_all', 'MPJPE_single',
                            'MPJPE_interacting', 'MRRPE', 'Handedness_acc'}
    assert all(np.isfinite(v) for v in metrics.values())
