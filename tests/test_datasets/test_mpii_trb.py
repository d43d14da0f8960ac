"""MPII-TRB: records (scale = image_size / scale / 200) and the skeleton /
contour accuracies with head-box thresholds."""
from pathlib import Path

import numpy as np
import pytest

from dataset_fixtures import (make_data_cfg, outputs_from_db,
                              write_mpii_trb_dataset)
from mmpose.datasets import TopDownMpiiTrbDataset

SHARED = Path(__file__).resolve().parents[2] / '..' / 'shared' / 'datasets'


def build(fixture, test_mode=True):
    return TopDownMpiiTrbDataset(fixture['ann_file'], fixture['img_prefix'],
                                 make_data_cfg(40, image_size=(256, 256)),
                                 [], test_mode)


def test_records(tmp_path):
    fixture = write_mpii_trb_dataset(tmp_path)
    dataset = build(fixture)
    anns = sorted(fixture['data']['annotations'], key=lambda a: a['id'])
    assert [e['bbox_id'] for e in dataset.db] == [a['id'] for a in anns]
    for entry, ann in zip(dataset.db, anns):
        np.testing.assert_allclose(entry['scale'],
                                   np.array([256, 256]) / ann['scale'] / 200)
        np.testing.assert_array_equal(entry['center'], ann['center'])
        assert entry['image_file'].endswith(f'{ann["image_id"]:09d}.jpg')
        assert entry['headbox'] == ann['headbox']
    # outside test mode the person without labels is skipped
    assert len(build(fixture, test_mode=False)) == len(dataset) - 1
    assert dataset.ann_info['flip_pairs'][7:9] == [[16, 22], [28, 34]]


def test_accuracies(tmp_path):
    fixture = write_mpii_trb_dataset(tmp_path)
    dataset = build(fixture, test_mode=False)
    masks = np.stack([e['joints_3d_visible'][:, 0] > 0 for e in dataset.db])
    # head boxes are 30 x 40: hit when closer than 0.3 * 50 = 15 px.
    # person 0 misses skeleton keypoint 0 and contour keypoint 20 (15 px
    # is not closer than 15); everything else is 14 px off
    offsets = np.zeros((len(dataset), 40, 2))
    offsets[..., 0] = 14
    offsets[0, [0, 20], 0] = 15
    results = dataset.evaluate(
        outputs_from_db(dataset.db, offsets), str(tmp_path))
    assert list(results) == ['Skeleton_acc', 'Contour_acc', 'PCKh']
    sk, ct = masks[:, :14], masks[:, 14:]
    assert results['Skeleton_acc'] == pytest.approx(
        (sk.sum() - masks[0, 0]) / sk.sum())
    assert results['Contour_acc'] == pytest.approx(
        (ct.sum() - masks[0, 20]) / ct.sum())
    assert results['PCKh'] == pytest.approx(
        (masks.sum() - masks[0, 0] - masks[0, 20]) / masks.sum())


@pytest.mark.skipif(
    not SHARED.is_dir(), reason='../shared/datasets not present')
def test_shared_sample(tmp_path):
    dataset = TopDownMpiiTrbDataset(
        str(SHARED / 'mpii' / 'test_mpii_trb.json'),
        str(SHARED / 'mpii') + '/', make_data_cfg(40, image_size=(256, 256)),
        [], test_mode=False)
    assert len(dataset) == 5
    entry = dataset.db[0]  # annotation 2736 of 005808361.jpg
    assert entry['bbox_id'] == 2736
    np.testing.assert_allclose(entry['scale'], 256 / 0.1756068552 / 200)
    # this sample has no head boxes, so no PCKh
    with pytest.raises(KeyError, match='headbox'):
        dataset.evaluate(outputs_from_db(dataset.db), str(tmp_path))
