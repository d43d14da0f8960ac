"""AnimalATRWDataset: metadata, records of the shared sample and mAP."""
from pathlib import Path

import numpy as np
import pytest

from dataset_fixtures import (make_data_cfg, outputs_from_db,
                              write_coco_format_dataset)
from mmpose.core.dataset_meta import get_dataset_meta
from mmpose.datasets import DATASETS, AnimalATRWDataset
from mmpose.datasets.datasets.animal.animal_atrw_dataset import \
    AnimalATRWDataset as AnimalATRWDataset014

SHARED = Path(__file__).resolve().parents[2] / '..' / 'shared' / 'datasets'
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason='../shared/datasets not present')


def test_metadata():
    assert AnimalATRWDataset is AnimalATRWDataset014
    assert DATASETS.get('AnimalATRWDataset') is AnimalATRWDataset
    meta = get_dataset_meta('AnimalATRWDataset')
    assert meta.dataset_name == 'atrw' and meta.num_keypoints == 15
    names = meta.keypoint_names
    # every left_/right_ name pair, and nothing else, is a flip pair
    mirrored = sorted(
        sorted([i, names.index(n.replace('left_', 'right_'))])
        for i, n in enumerate(names) if n.startswith('left_'))
    assert sorted(map(sorted, meta.flip_pairs)) == mirrored
    assert len(mirrored) == 6
    # OKS sigmas published with 0.x's ATRW dataset (ears, nose, tail, center)
    np.testing.assert_allclose(meta.sigmas[[0, 1, 2, 13, 14]],
                               [0.0277, 0.0823, 0.0831, 0.0683, 0.0539])


def _dataset(ann_file, img_prefix):
    return AnimalATRWDataset(ann_file, img_prefix,
                             make_data_cfg(15, image_size=(256, 256)), [],
                             test_mode=True)


def test_generated_fixture_perfect_ap(tmp_path):
    fixture = write_coco_format_dataset(tmp_path, 15)
    dataset = _dataset(fixture['ann_file'], fixture['img_prefix'])
    assert len(dataset) == 4 and dataset.db[0]['dataset'] == 'atrw'
    results = dataset.evaluate(outputs_from_db(dataset.db), str(tmp_path))
    assert results['AP'] == pytest.approx(1.0)


@needs_shared
def test_shared_sample_records_and_map(tmp_path):
    dataset = _dataset(str(SHARED / 'atrw' / 'test_atrw.json'),
                       str(SHARED / 'atrw') + '/')
    assert len(dataset) == 2
    rec = next(r for r in dataset.db if r['image_file'].endswith('003464.jpg'))
    # box [0, 0, 1239, 731] in a 1239 x 731 image: clipped to x2 = 1238,
    # y2 = 730; center (619, 365); square input: height 1238, padded 1.25
    np.testing.assert_allclose(rec['center'], [619.0, 365.0])
    np.testing.assert_allclose(rec['scale'], [1238 / 200 * 1.25] * 2)
    assert rec['joints_3d'].shape == (15, 3)
    assert rec['joints_3d'][0, :2].tolist() == [225, 215]
    assert rec['joints_3d_visible'][:, 0].tolist() == [1] * 15

    outputs = outputs_from_db(dataset.db, batch_size=1)
    results = dataset.evaluate(outputs, str(tmp_path))
    assert results['AP'] == pytest.approx(1.0)
    # the second tiger predicted far away with a lower score: at every OKS
    # threshold recall 1/2 at precision 1, then a false positive, so the
    # 101-point AP is 51 / 101 (points at recall 0, 0.01, ..., 0.5)
    outputs[1]['preds'][:, :, :2] += 5000
    outputs[1]['preds'][:, :, 2] = 0.5
    results = dataset.evaluate(outputs, str(tmp_path))
    assert results['AP'] == pytest.approx(51 / 101)
    assert results['AR'] == pytest.approx(0.5)
