"""sub-JHMDB: 1-based annotations made 0-based, string box ids, PCK and
tPCK tables, and outputs left unchanged."""
import copy
import json
from pathlib import Path

import numpy as np
import pytest

from dataset_fixtures import (make_data_cfg, outputs_from_db,
                              write_coco_format_dataset)
from mmpose.datasets import TopDownJhmdbDataset

SHARED = Path(__file__).resolve().parents[2] / '..' / 'shared' / 'datasets'
ROWS = ['Head', 'Sho', 'Elb', 'Wri', 'Hip', 'Knee', 'Ank', 'Mean']


def build(fixture):
    return TopDownJhmdbDataset(fixture['ann_file'], fixture['img_prefix'],
                               make_data_cfg(15), [], test_mode=True)


def test_records_are_zero_based(tmp_path):
    fixture = write_coco_format_dataset(tmp_path, 15)
    dataset = build(fixture)
    anns = [(image_id, i, ann)
            for image_id, anns in fixture['valid'].items()
            for i, ann in enumerate(anns)]
    images = {img['id']: img for img in fixture['data']['images']}
    assert len(dataset) == len(anns)
    for entry, (image_id, i, ann) in zip(dataset.db, anns):
        kpts = np.array(ann['keypoints'], dtype=np.float64).reshape(-1, 3)
        np.testing.assert_array_equal(entry['joints_3d'][:, :2],
                                      kpts[:, :2] - 1)
        x, y, w, h = ann['bbox']
        img = images[image_id]
        x1, y1 = max(0, x - 1), max(0, y - 1)
        x2 = min(img['width'] - 1, x1 + w - 1)
        y2 = min(img['height'] - 1, y1 + h - 1)
        np.testing.assert_allclose(entry['bbox'], [x1, y1, x2 - x1, y2 - y1])
        assert entry['bbox_id'] == f'{image_id}_{i:03}'


def test_pck_and_tpck_tables(tmp_path):
    fixture = write_coco_format_dataset(tmp_path, 15)
    dataset = build(fixture)
    n = len(dataset)
    rng = np.random.RandomState(0)
    for entry in dataset.db:  # a labelled torso for every instance
        entry['joints_3d'][4, :2] = rng.uniform(0, 20, 2)
        entry['joints_3d'][5, :2] = entry['joints_3d'][4, :2] + [30, 40]
        entry['joints_3d_visible'][4:6, :2] = 1
    masks = np.stack([e['joints_3d_visible'][:, 0] > 0 for e in dataset.db])
    longer = np.array([max(e['bbox'][2:]) for e in dataset.db])
    # instance 0 misses PCK@0.2 (0.3 of its box); every instance is 10 px
    # off in x otherwise: tPCK (torso 50 px, threshold 10 px) misses them
    # all except instance 1, which is exact
    offsets = np.zeros((n, 15, 2))
    offsets[..., 0] = 10
    offsets[0, :, 0] = 0.3 * longer[0]
    offsets[1] = 0
    assert np.all(10 < 0.2 * longer[1:])
    outputs = outputs_from_db(dataset.db, offsets)
    before = copy.deepcopy(outputs)
    results = dataset.evaluate(outputs, str(tmp_path), ['tPCK', 'PCK'])
    assert list(results) == [f'{r} PCK' for r in ROWS] + [
        f'{r} tPCK' for r in ROWS
    ]
    for out, old in zip(outputs, before):  # not mutated (0.x adds 1)
        np.testing.assert_array_equal(out['preds'], old['preds'])

    valid = masks.sum(axis=0)
    pck = np.where(valid > 0, 1 - masks[0] / np.maximum(valid, 1), -1)
    tpck = np.where(valid > 0, masks[1] / np.maximum(valid, 1), -1)
    for name, acc in (('PCK', pck), ('tPCK', tpck)):
        assert results[f'Head {name}'] == pytest.approx(acc[2])
        assert results[f'Sho {name}'] == pytest.approx((acc[3] + acc[4]) / 2)
        assert results[f'Ank {name}'] == pytest.approx(
            (acc[13] + acc[14]) / 2)
        assert results[f'Mean {name}'] == pytest.approx(acc[acc >= 0].mean())
    written = json.loads((tmp_path / 'result_keypoints.json').read_text())
    # 1-based predictions in the file
    np.testing.assert_allclose(
        np.array(written[1]['keypoints'])[:, :2],
        dataset.db[1]['joints_3d'][:, :2] + 1)
    with pytest.raises(KeyError, match='tPCK'):
        dataset.evaluate(outputs, str(tmp_path), 'mAP')


@pytest.mark.skipif(
    not SHARED.is_dir(), reason='../shared/datasets not present')
def test_shared_sample(tmp_path):
    dataset = TopDownJhmdbDataset(
        str(SHARED / 'jhmdb' / 'test_jhmdb_sub1.json'),
        str(SHARED / 'jhmdb') + '/', make_data_cfg(15), [], test_mode=True)
    assert len(dataset) == 3
    assert dataset.db[0]['bbox_id'] == '2280001_000'
    np.testing.assert_allclose(dataset.db[0]['bbox'][:2], [78, 61])
    results = dataset.evaluate(outputs_from_db(dataset.db), str(tmp_path))
    assert results['Mean PCK'] == pytest.approx(1.0)
