"""Body datasets beyond COCO: MPII (json + PCKh against the .mat), and the
COCO-style AIC, CrowdPose, OCHuman and MHP (metadata, COCOeval variant)."""
import os
from pathlib import Path

import numpy as np
import pytest

from dataset_fixtures import (make_data_cfg, outputs_from_db,
                              write_coco_format_dataset, write_mpii_dataset)
from mmpose.datasets import (DATASETS, TopDownAicDataset,
                             TopDownCrowdPoseDataset, TopDownMhpDataset,
                             TopDownMpiiDataset, TopDownOCHumanDataset)
from mmpose.utils import ArgumentError

SHARED = Path(__file__).resolve().parents[2] / '..' / 'shared' / 'datasets'
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason='../shared/datasets not present')


def build_mpii(fixture, test_mode):
    return TopDownMpiiDataset(fixture['ann_file'], fixture['img_prefix'],
                              make_data_cfg(16, image_size=(256, 256)), [],
                              test_mode)


def test_mpii_records(tmp_path):
    fixture = write_mpii_dataset(tmp_path)
    dataset = build_mpii(fixture, test_mode=False)
    assert len(dataset) == dataset.num_images == 4
    for i, (entry, person) in enumerate(zip(dataset.db, fixture['people'])):
        center = np.array(person['center'], dtype=np.float32)
        scale = np.float32(person['scale'])
        if center[0] != -1:
            # 15 * scale down, padded by 1.25, then 0-based
            center[1] += 15 * scale
            scale = scale * np.float32(1.25)
        np.testing.assert_allclose(entry['center'], center - 1, rtol=1e-6)
        np.testing.assert_allclose(entry['scale'], [scale, scale])
        assert entry['center'].dtype == entry['scale'].dtype == np.float32
        np.testing.assert_allclose(entry['joints_3d'][:, :2],
                                   np.array(person['joints']) - 1,
                                   rtol=1e-6)
        np.testing.assert_array_equal(entry['joints_3d_visible'][:, 0],
                                      person['joints_vis'])
        assert entry['bbox_id'] == i and entry['dataset'] == 'mpii'
        assert entry['image_file'] == fixture['img_prefix'] + person['image']
    # the last person's center is -1: neither moved nor padded
    assert dataset.db[-1]['center'][0] == -2
    assert dataset.ann_info['flip_pairs'][0] == [0, 5]
    assert dataset.ann_info['joint_weights'][0, 0] == pytest.approx(1.5)
    # 0.x reads no joints in test mode
    test = build_mpii(fixture, test_mode=True)
    assert not np.any(test.db[0]['joints_3d'])


def test_mpii_pckh_evaluate(tmp_path):
    fixture = write_mpii_dataset(tmp_path, num_people=3)
    dataset = build_mpii(fixture, test_mode=True)
    joints = np.array([p['joints'] for p in fixture['people']]) - 1
    offsets = np.zeros_like(joints)
    # person 0's head (9) is off by its whole head box: a miss
    headbox = fixture['gt']['headboxes_src'][:, :, 0]
    offsets[0, 9, 0] = np.linalg.norm(headbox[1] - headbox[0])
    db = [dict(e, joints_3d=np.c_[j, np.zeros(16)])
          for e, j in zip(dataset.db, joints)]
    outputs = outputs_from_db(db, offsets)
    # a padded distributed batch repeats a box: counted once
    outputs.append(outputs[0])
    res_folder = tmp_path / 'res'
    results = dataset.evaluate(outputs, str(res_folder))
    assert list(results) == [
        'Head', 'Shoulder', 'Elbow', 'Wrist', 'Hip', 'Knee', 'Ankle', 'PCKh',
        'PCKh@0.1'
    ]
    assert results['Head'] == pytest.approx(200 / 3)
    assert results['Shoulder'] == results['Ankle'] == pytest.approx(100)
    visible = 1 - fixture['gt']['jnt_missing']
    counted = np.delete(visible.sum(axis=1), [6, 7])
    assert results['PCKh'] == pytest.approx(100 * (1 - 1 / counted.sum()))
    from scipy.io import loadmat
    saved = loadmat(str(res_folder / 'pred.mat'))['preds']
    np.testing.assert_allclose(saved, joints + offsets + 1)
    with pytest.raises(KeyError, match='PCKh'):
        dataset.evaluate(outputs, None, metric='mAP')
    os.remove(os.path.join(tmp_path, 'mpii_gt_val.mat'))
    with pytest.raises(FileNotFoundError, match='mpii_gt_val.mat'):
        dataset.evaluate(outputs, None)


def test_mpii_wrong_joint_count(tmp_path):
    fixture = write_mpii_dataset(tmp_path, num_joints=14)
    with pytest.raises(ArgumentError, match='14'):
        build_mpii(fixture, test_mode=False)


@needs_shared
def test_mpii_shared_sample():
    dataset = TopDownMpiiDataset(
        str(SHARED / 'mpii' / 'test_mpii.json'), str(SHARED / 'mpii') + '/',
        make_data_cfg(16, image_size=(256, 256)), [], test_mode=False)
    assert len(dataset) == 5
    entry = dataset.db[0]
    # 005808361.jpg: center (966, 340), scale 4.718488
    np.testing.assert_allclose(
        entry['center'], [965, 340 + 15 * np.float32(4.718488) - 1],
        rtol=1e-6)
    np.testing.assert_allclose(entry['scale'],
                               [4.718488 * 1.25] * 2, rtol=1e-6)
    np.testing.assert_allclose(entry['joints_3d'][0, :2], [803, 710])


COCO_STYLE = [
    # class, K, dataset_name, use_area, iouType
    (TopDownAicDataset, 14, 'aic', False, 'keypoints'),
    (TopDownCrowdPoseDataset, 14, 'crowdpose', False, 'keypoints_crowd'),
    (TopDownOCHumanDataset, 17, 'ochuman', True, 'keypoints'),
    (TopDownMhpDataset, 16, 'mhp', False, 'keypoints'),
]


@pytest.mark.parametrize('cls, num_joints, name, use_area, iou_type',
                         COCO_STYLE)
def test_coco_style_body(tmp_path, cls, num_joints, name, use_area,
                         iou_type):
    fixture = write_coco_format_dataset(tmp_path, num_joints)
    dataset = cls(fixture['ann_file'], fixture['img_prefix'],
                  make_data_cfg(num_joints), [], test_mode=True)
    assert len(dataset) == 4 and dataset.db[0]['dataset'] == name
    assert (cls.use_area, cls.coco_iou_type) == (use_area, iou_type)
    assert len(dataset.sigmas) == num_joints
    results = dataset.evaluate(outputs_from_db(dataset.db), str(tmp_path))
    assert list(results) == list(cls.stats_names)
    assert results['AP'] == pytest.approx(1.0)


def test_crowdpose_stats_names():
    assert TopDownCrowdPoseDataset.stats_names == (
        'AP', 'AP .5', 'AP .75', 'AR', 'AR .5', 'AR .75', 'AP(E)', 'AP(M)',
        'AP(H)')


def test_aic_and_crowdpose_metadata():
    aic = DATASETS.get('TopDownAicDataset')
    from mmpose.core.dataset_meta import get_dataset_meta
    meta = get_dataset_meta(aic.dataset_name)
    assert meta.flip_pairs == [[0, 3], [1, 4], [2, 5], [6, 9], [7, 10],
                               [8, 11]]
    assert meta.sigmas[0] == pytest.approx(0.01388152)
    crowd = get_dataset_meta('crowdpose')
    assert crowd.sigmas[-1] == pytest.approx(0.079)
    assert crowd.joint_weights[4] == pytest.approx(1.5)


@needs_shared
@pytest.mark.parametrize('cls, folder, num_joints, num_samples, num_images', [
    (TopDownAicDataset, 'aic', 14, 9, 3),
    (TopDownCrowdPoseDataset, 'crowdpose', 14, 4, 2),
    (TopDownOCHumanDataset, 'ochuman', 17, 5, 3),
    (TopDownMhpDataset, 'mhp', 16, 4, 2),
])
def test_coco_style_shared_samples(tmp_path, cls, folder, num_joints,
                                   num_samples, num_images):
    dataset = cls(
        str(SHARED / folder / f'test_{folder}.json'),
        str(SHARED / folder) + '/', make_data_cfg(num_joints), [],
        test_mode=True)
    assert len(dataset) == num_samples
    assert dataset.num_images == num_images
    results = dataset.evaluate(outputs_from_db(dataset.db), str(tmp_path))
    assert results['AP'] == pytest.approx(1.0)


@needs_shared
def test_crowdpose_detections(tmp_path):
    dataset = TopDownCrowdPoseDataset(
        str(SHARED / 'crowdpose' / 'test_crowdpose.json'),
        str(SHARED / 'crowdpose') + '/',
        make_data_cfg(
            14,
            use_gt_bbox=False,
            bbox_file=str(SHARED / 'crowdpose' /
                          'test_crowdpose_det_AP_40.json')), [],
        test_mode=True)
    assert len(dataset) == 6
