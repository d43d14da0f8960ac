"""InterHand2DDataset: metadata, records of the shared sample and of
generated files against a per-joint reference, the sample rules, and
PCK/AUC/EPE derived by hand."""
import json
from pathlib import Path

import numpy as np
import pytest

from dataset_fixtures import (make_data_cfg, outputs_from_db,
                              write_interhand_dataset)
from mmpose.core.dataset_meta import get_dataset_meta
from mmpose.datasets import DATASETS, InterHand2DDataset
from mmpose.datasets.datasets.hand import HandBaseDataset
from mmpose.datasets.datasets.hand import InterHand2DDataset as FromHand
from mmpose.datasets.datasets.hand.interhand2d_dataset import \
    InterHand2DDataset as FromModule

SAMPLE = (Path(__file__).resolve().parents[2] / '..' / 'shared' /
          'datasets' / 'interhand2.6m')
needs_sample = pytest.mark.skipif(
    not SAMPLE.is_dir(), reason='../shared/datasets not present')

# 0.14's keypoint table of InterHand2DDataset, written out.
NAMES_014 = ('thumb4', 'thumb3', 'thumb2', 'thumb1', 'forefinger4',
             'forefinger3', 'forefinger2', 'forefinger1', 'middle_finger4',
             'middle_finger3', 'middle_finger2', 'middle_finger1',
             'ring_finger4', 'ring_finger3', 'ring_finger2', 'ring_finger1',
             'pinky_finger4', 'pinky_finger3', 'pinky_finger2',
             'pinky_finger1', 'wrist')


def _dataset(ann_file, camera_file, joint_file, img_prefix, pipeline=(),
             test_mode=True):
    return InterHand2DDataset(
        ann_file, camera_file, joint_file, img_prefix,
        make_data_cfg(21, image_size=(256, 256)), list(pipeline),
        test_mode=test_mode)


def _from_fixture(fixture, **kwargs):
    return _dataset(fixture['ann_file'], fixture['camera_file'],
                    fixture['joint_file'], fixture['img_prefix'], **kwargs)


def _hands_reference(images, annotations, cameras, joints):
    """Per hand kept by 0.14's rules: (image, 21 pixel keypoints, 21
    validity flags), one joint at a time."""
    hands = []
    for img, ann in zip(images, annotations):
        cam = cameras[str(img['capture'])]
        name = img['camera']
        R = np.array(cam['camrot'][name], dtype=np.float64)
        T = np.array(cam['campos'][name], dtype=np.float64)
        (fx, fy), (cx, cy) = cam['focal'][name], cam['princpt'][name]
        world = joints[str(img['capture'])][str(img['frame_idx'])]
        valid = [v[0] for v in ann['joint_valid']]
        for hand in range(2):  # right, then left
            pixels, flags = [], []
            for j in range(21 * hand, 21 * hand + 21):
                x, y, z = R.dot(np.array(world['world_coord'][j]) - T)
                pixels.append([x / z * fx + cx, y / z * fy + cy])
                flags.append(valid[j] * valid[21 * hand + 20])
            if sum(flags) > 11:
                hands.append((img, np.array(pixels), np.array(flags)))
    return hands


def _check_records(dataset, hands, img_prefix):
    assert len(dataset) == len(hands)
    for bbox_id, (record, (img, pixels, flags)) in enumerate(
            zip(dataset.db, hands)):
        assert record['bbox_id'] == bbox_id
        assert record['image_file'] == img_prefix + img['file_name']
        assert record['dataset'] == 'interhand2d'
        assert record['joints_3d'].dtype == np.float32
        np.testing.assert_allclose(record['joints_3d'][:, :2], pixels,
                                   rtol=1e-5, atol=1e-3)
        assert (record['joints_3d'][:, 2] == 0).all()
        assert record['joints_3d_visible'][:, 0].tolist() == flags.tolist()
        assert record['joints_3d_visible'][:, 1].tolist() == flags.tolist()
        assert (record['joints_3d_visible'][:, 2] == 0).all()
        # the tightest box around the valid keypoints, padded 1.5 into a
        # square (256 x 256 input) of side max(w, h)
        shown = pixels[flags > 0]
        x1, y1 = shown.min(axis=0)
        x2, y2 = shown.max(axis=0)
        np.testing.assert_allclose(record['bbox'], [x1, y1, x2 - x1, y2 - y1],
                                   rtol=1e-5, atol=1e-3)
        np.testing.assert_allclose(record['center'],
                                   [(x1 + x2) / 2, (y1 + y2) / 2],
                                   rtol=1e-5, atol=1e-3)
        side = max(x2 - x1, y2 - y1) * 1.5 / 200
        np.testing.assert_allclose(record['scale'], [side, side], rtol=1e-5)
        assert record['rotation'] == 0 and record['bbox_score'] == 1


def test_import_paths_and_metadata():
    assert FromHand is FromModule is InterHand2DDataset
    assert DATASETS.get('InterHand2DDataset') is InterHand2DDataset
    assert issubclass(InterHand2DDataset, HandBaseDataset)
    meta = get_dataset_meta('InterHand2DDataset')
    assert meta.dataset_name == 'interhand2d'
    assert meta.keypoint_names == NAMES_014
    assert meta.flip_pairs == []
    assert "20: 'wrist'" in InterHand2DDataset.__doc__
    # every finger a chain from the wrist (21, 1-based) to its tip
    assert meta.skeleton[:4] == [[21, 4], [4, 3], [3, 2], [2, 1]]
    assert meta.skeleton[-4:] == [[21, 20], [20, 19], [19, 18], [18, 17]]
    assert len(meta.skeleton) == 20 == len(meta.pose_link_color)
    # one colour per finger, the thumb's orange (palette row 0) at its tip
    assert meta.pose_kpt_color[0].tolist() == [255, 128, 0]
    assert meta.pose_kpt_color[4].tolist() == meta.pose_kpt_color[7].tolist()


def test_interhand3d_metadata():
    meta = get_dataset_meta('InterHand3DDataset')
    assert meta.dataset_name == 'interhand3d' and meta.num_keypoints == 42
    assert meta.keypoint_names[0] == 'r_thumb4'
    assert meta.keypoint_names[20] == 'r_wrist'
    assert meta.keypoint_names[41] == 'l_wrist'
    assert meta.flip_pairs == [[i, 21 + i] for i in range(21)]
    assert meta.skeleton[20] == [42, 25]  # the left wrist to its thumb
    assert meta.pose_kpt_color.shape == (42, 3)


@needs_sample
def test_shared_sample_records():
    dataset = _dataset(f'{SAMPLE}/test_interhand2.6m_data.json',
                       f'{SAMPLE}/test_interhand2.6m_camera.json',
                       f'{SAMPLE}/test_interhand2.6m_joint_3d.json',
                       f'{SAMPLE}/')
    data, cameras, joints = (
        json.loads((SAMPLE / f'test_interhand2.6m_{name}.json').read_text())
        for name in ('data', 'camera', 'joint_3d'))
    hands = _hands_reference(data['images'], data['annotations'], cameras,
                             joints)
    # two interacting pairs, a left hand alone and a right hand alone
    assert len(hands) == 6
    _check_records(dataset, hands, f'{SAMPLE}/')
    assert dataset.num_images == 4
    assert dataset.ann_info['flip_pairs'] == []


def test_generated_records_and_sample_rules(tmp_path):
    valid = np.ones((4, 42), dtype=int)
    valid[0, 20] = 0  # right wrist invalid: the right hand goes
    valid[1, 21:33] = 0  # left hand: 9 valid joints, goes
    valid[2, 21:30] = 0  # left hand: 12 valid joints, stays
    valid[3, :10] = 0  # right hand: 11 valid joints, goes
    fixture = write_interhand_dataset(
        tmp_path, ('interacting', ) * 4, joint_valid=valid.tolist())
    dataset = _from_fixture(fixture)
    hands = _hands_reference(fixture['data']['images'],
                             fixture['data']['annotations'],
                             fixture['cameras'], fixture['joints'])
    kept = [(img['id'], int(flags.sum())) for img, _, flags in hands]
    assert kept == [(100, 21), (101, 21), (102, 21), (102, 12), (103, 21)]
    _check_records(dataset, hands, fixture['img_prefix'])


def test_evaluate_pck_auc_epe_by_hand(tmp_path):
    fixture = write_interhand_dataset(tmp_path, ('interacting', 'right'))
    dataset = _from_fixture(fixture)
    assert len(dataset) == 3
    # every keypoint 4 px off (x); the last hand's also 0.3 of its box
    offsets = np.zeros((3, 21, 2))
    offsets[..., 0] = 4.0
    size = max(dataset.db[2]['bbox'][2:])
    offsets[2, :, 1] = 0.3 * size
    results = dataset.evaluate(
        outputs_from_db(dataset.db, offsets), str(tmp_path),
        ['PCK', 'AUC', 'EPE'])
    assert list(results) == ['PCK', 'AUC', 'EPE']
    # PCK at 0.2 of the longer box side: the first two hands
    assert results['PCK'] == pytest.approx(2 / 3)
    # AUC over 20 thresholds k/20 of 30 px: 4 px (0.133) is within 17 of
    # them; the last hand's error is beyond all of them
    far = np.hypot(4.0, 0.3 * size) / 30
    assert far > 0.95
    assert results['AUC'] == pytest.approx(2 / 3 * 17 / 20)
    assert results['EPE'] == pytest.approx(
        (4.0 * 2 + np.hypot(4.0, 0.3 * size)) / 3)
    with open(tmp_path / 'result_keypoints.json') as f:
        written = json.load(f)
    assert [r['bbox_id'] for r in written] == [0, 1, 2]
    np.testing.assert_allclose(
        written[0]['keypoints'][3][:2],
        dataset.db[0]['joints_3d'][3, :2] + [4.0, 0.0], rtol=1e-6)
    with pytest.raises(KeyError, match='mAP'):
        dataset.evaluate(outputs_from_db(dataset.db), str(tmp_path), 'mAP')


def test_training_pipeline_and_missing_files(tmp_path):
    fixture = write_interhand_dataset(tmp_path, ('left', ))
    pipeline = [dict(type='LoadImageFromFile'),
                dict(type='TopDownRandomFlip', flip_prob=1.0),
                dict(type='TopDownAffine')]
    dataset = _from_fixture(fixture, pipeline=pipeline, test_mode=False)
    sample = dataset[0]
    assert sample['img'].shape == (256, 256, 3)
    assert sample['joints_3d_visible'][:, 0].sum() == 21
    for key in ('camera_file', 'joint_file', 'ann_file'):
        missing = dict(fixture, **{key: str(tmp_path / 'missing.json')})
        with pytest.raises(FileNotFoundError, match=key):
            _from_fixture(missing)
