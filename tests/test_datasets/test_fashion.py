"""DeepFashion: the subset picks the landmarks, flip pairs and name."""
from pathlib import Path

import numpy as np
import pytest

from dataset_fixtures import (make_data_cfg, outputs_from_db,
                              write_coco_format_dataset)
from mmpose.datasets import DATASETS, DeepFashionDataset
from mmpose.utils import ArgumentError

SHARED = Path(__file__).resolve().parents[2] / '..' / 'shared' / 'datasets'


@pytest.mark.parametrize('subset, num_joints, flip_pairs', [
    ('upper', 6, [[0, 1], [2, 3], [4, 5]]),
    ('lower', 4, [[0, 1], [2, 3]]),
    ('full', 8, [[0, 1], [2, 3], [4, 5], [6, 7]]),
])
def test_subsets(tmp_path, subset, num_joints, flip_pairs):
    fixture = write_coco_format_dataset(tmp_path, num_joints)
    dataset = DATASETS.build(
        dict(
            type='DeepFashionDataset',
            ann_file=fixture['ann_file'],
            img_prefix=fixture['img_prefix'],
            subset=subset,
            data_cfg=make_data_cfg(num_joints),
            pipeline=[],
            test_mode=True))
    assert dataset.ann_info['flip_pairs'] == flip_pairs
    assert dataset.db[0]['dataset'] == f'deepfashion_{subset}'
    assert len(dataset) == 4 and dataset.db[3]['bbox_id'] == 3
    # every prediction 2 px off in y: PCK 1, EPE 2
    offsets = np.zeros((4, num_joints, 2))
    offsets[..., 1] = 2
    results = dataset.evaluate(
        outputs_from_db(dataset.db, offsets), str(tmp_path), ['PCK', 'EPE'])
    assert results == {'PCK': 1.0, 'EPE': pytest.approx(2.0)}


def test_bad_subset_and_joint_count(tmp_path):
    fixture = write_coco_format_dataset(tmp_path, 6)
    with pytest.raises(ArgumentError, match='subset'):
        DeepFashionDataset(fixture['ann_file'], fixture['img_prefix'],
                           'middle', make_data_cfg(6), [])
    with pytest.raises(ArgumentError, match='num_joints=6'):
        DeepFashionDataset(fixture['ann_file'], fixture['img_prefix'],
                           'full', make_data_cfg(6), [])


@pytest.mark.skipif(
    not SHARED.is_dir(), reason='../shared/datasets not present')
def test_shared_sample(tmp_path):
    dataset = DeepFashionDataset(
        str(SHARED / 'fld' / 'test_fld.json'), str(SHARED / 'fld') + '/',
        'full', make_data_cfg(8), [], test_mode=True)
    assert len(dataset) == 2
    results = dataset.evaluate(outputs_from_db(dataset.db), str(tmp_path))
    assert results['PCK'] == pytest.approx(1.0)
