"""Animal datasets: metadata tables as 0.x writes them, Horse-10's
nose-to-eye normalised PCK / NME, and the shared samples."""
from pathlib import Path

import numpy as np
import pytest

from dataset_fixtures import (make_data_cfg, outputs_from_db,
                              write_coco_format_dataset)
from mmpose.core.dataset_meta import get_dataset_meta
from mmpose.datasets import (AnimalFlyDataset, AnimalHorse10Dataset,
                             AnimalLocustDataset, AnimalMacaqueDataset,
                             AnimalPoseDataset, AnimalZebraDataset)

SHARED = Path(__file__).resolve().parents[2] / '..' / 'shared' / 'datasets'
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason='../shared/datasets not present')


def test_flip_pairs_as_0x():
    # the tables MMPose 0.x hard-codes
    assert get_dataset_meta('fly').flip_pairs == [[1, 2], [6, 18], [7, 19],
                                                  [8, 20], [9, 21], [10, 22],
                                                  [11, 23], [12, 24],
                                                  [13, 25], [14, 26],
                                                  [15, 27], [16, 28],
                                                  [17, 29], [30, 31]]
    assert get_dataset_meta('locust').flip_pairs == [[i, i + 15]
                                                     for i in range(5, 20)]
    assert get_dataset_meta('zebra').flip_pairs == [[3, 4], [5, 6]]
    assert get_dataset_meta('horse10').flip_pairs == []
    assert get_dataset_meta('animalpose').flip_pairs == [[0, 1], [2, 3],
                                                         [8, 9], [10, 11],
                                                         [12, 13], [14, 15],
                                                         [16, 17], [18, 19]]
    macaque = get_dataset_meta('AnimalMacaqueDataset')
    np.testing.assert_array_equal(macaque.sigmas,
                                  get_dataset_meta('coco').sigmas)
    assert get_dataset_meta('animalpose').sigmas[8] == pytest.approx(0.107)


def test_horse10_nose_eye_pck_and_nme(tmp_path):
    fixture = write_coco_format_dataset(tmp_path, 22)
    dataset = AnimalHorse10Dataset(fixture['ann_file'],
                                   fixture['img_prefix'],
                                   make_data_cfg(22), [], test_mode=True)
    gts = np.stack([e['joints_3d'][:, :2] for e in dataset.db])
    masks = np.stack([e['joints_3d_visible'][:, 0] > 0 for e in dataset.db])
    nose_eye = np.linalg.norm(gts[:, 0] - gts[:, 1], axis=1)
    # 0.x counts a zero normaliser as 1e6
    nose_eye = np.where(nose_eye <= 0, 1e6, nose_eye)
    # errors of 0.2 nose-eye distances (PCK@0.3 hits), instance 0 at 0.4
    factor = np.full(len(dataset), 0.2)
    factor[0] = 0.4
    offsets = np.zeros(gts.shape)
    offsets[..., 0] = (factor * nose_eye)[:, None]
    results = dataset.evaluate(
        outputs_from_db(dataset.db, offsets), str(tmp_path),
        metric=['NME', 'PCK'])
    assert list(results) == ['PCK', 'NME']
    valid = masks.sum(axis=0)
    per_kpt = 1 - masks[0][valid > 0] / valid[valid > 0]
    assert results['PCK'] == pytest.approx(per_kpt.mean())
    per_instance = np.broadcast_to(factor[:, None], masks.shape)
    assert results['NME'] == pytest.approx(per_instance[masks].mean(),
                                           rel=1e-5)
    with pytest.raises(KeyError, match='AUC'):
        dataset.evaluate(outputs_from_db(dataset.db), str(tmp_path), 'AUC')


@pytest.mark.parametrize('cls, num_joints', [(AnimalMacaqueDataset, 17),
                                             (AnimalPoseDataset, 20)])
def test_coco_style_animals(tmp_path, cls, num_joints):
    fixture = write_coco_format_dataset(tmp_path, num_joints)
    dataset = cls(fixture['ann_file'], fixture['img_prefix'],
                  make_data_cfg(num_joints), [], test_mode=True)
    assert len(dataset) == 4
    results = dataset.evaluate(outputs_from_db(dataset.db), str(tmp_path))
    assert results['AP'] == pytest.approx(1.0)


@needs_shared
@pytest.mark.parametrize('cls, folder, num_joints, num_samples, metric', [
    (AnimalFlyDataset, 'fly', 32, 2, 'PCK'),
    (AnimalLocustDataset, 'locust', 35, 2, 'PCK'),
    (AnimalZebraDataset, 'zebra', 9, 2, 'PCK'),
    (AnimalHorse10Dataset, 'horse10', 22, 3, 'PCK'),
    (AnimalMacaqueDataset, 'macaque', 17, 2, 'mAP'),
    (AnimalPoseDataset, 'animalpose', 20, 2, 'mAP'),
])
def test_shared_samples(tmp_path, cls, folder, num_joints, num_samples,
                        metric):
    dataset = cls(
        str(SHARED / folder / f'test_{folder}.json'),
        str(SHARED / folder) + '/', make_data_cfg(num_joints), [],
        test_mode=True)
    assert len(dataset) == num_samples
    results = dataset.evaluate(outputs_from_db(dataset.db), str(tmp_path),
                               metric)
    assert results['AP' if metric == 'mAP' else metric] == pytest.approx(1.)
