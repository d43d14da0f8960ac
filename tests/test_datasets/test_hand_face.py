"""Hand and face datasets: records as 0.x makes them and PCK / PCKh / AUC /
EPE / NME from predictions with known errors."""
import json
from pathlib import Path

import numpy as np
import pytest

from dataset_fixtures import (make_data_cfg, outputs_from_db,
                              write_coco_format_dataset)
from mmpose.datasets import (DATASETS, Face300WDataset, FaceAFLWDataset,
                             FaceCOFWDataset, FaceWFLWDataset,
                             FreiHandDataset, OneHand10KDataset,
                             PanopticDataset, Rhd2DDataset)

SHARED = Path(__file__).resolve().parents[2] / '..' / 'shared' / 'datasets'
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason='../shared/datasets not present')


def box_cs(bbox, padding, aspect_ratio=1.0):
    x, y, w, h = bbox
    if w > aspect_ratio * h:
        h = w / aspect_ratio
    else:
        w = h * aspect_ratio
    return [x + bbox[2] / 2, y + bbox[3] / 2], np.array([w, h]) / 200 * padding


def build(cls, fixture, num_joints, test_mode=True):
    return cls(fixture['ann_file'], fixture['img_prefix'],
               make_data_cfg(num_joints, image_size=(256, 256)), [],
               test_mode)


def kept_annotations(fixture):
    return [ann for anns in fixture['valid'].values() for ann in anns]


@pytest.mark.parametrize('cls, name', [(OneHand10KDataset, 'onehand10k'),
                                       (FreiHandDataset, 'freihand'),
                                       (Rhd2DDataset, 'rhd')])
def test_hand_records(tmp_path, cls, name):
    fixture = write_coco_format_dataset(tmp_path, 21)
    dataset = build(cls, fixture, 21)
    anns = kept_annotations(fixture)
    assert len(dataset) == len(anns) == 4
    for i, (entry, ann) in enumerate(zip(dataset.db, anns)):
        # boxes as annotated (not clipped), ids through the dataset
        assert entry['bbox'] == ann['bbox'] and entry['bbox_id'] == i
        center, scale = box_cs(ann['bbox'], 1.25)
        np.testing.assert_allclose(entry['center'], center, rtol=1e-6)
        np.testing.assert_allclose(entry['scale'], scale, rtol=1e-6)
        kpts = np.array(ann['keypoints']).reshape(-1, 3)
        np.testing.assert_array_equal(entry['joints_3d'][:, :2], kpts[:, :2])
        np.testing.assert_array_equal(entry['joints_3d_visible'][:, 0],
                                      kpts[:, 2] > 0)
        assert entry['dataset'] == name
    assert dataset.ann_info['flip_pairs'] == []


def test_hand_pck_auc_epe(tmp_path):
    fixture = write_coco_format_dataset(tmp_path, 21)
    dataset = build(OneHand10KDataset, fixture, 21)
    masks = np.stack([e['joints_3d_visible'][:, 0] > 0 for e in dataset.db])
    longer = max(dataset.db[0]['bbox'][2:])
    # instance 0 is off by 0.3 of its box's longer side in x (a PCK@0.2
    # miss), the others are exact
    offsets = np.zeros((len(dataset), 21, 2))
    offsets[0, :, 0] = 0.3 * longer
    results = dataset.evaluate(
        outputs_from_db(dataset.db, offsets), str(tmp_path),
        metric=['EPE', 'AUC', 'PCK'])
    assert list(results) == ['PCK', 'AUC', 'EPE']
    valid = masks.sum(axis=0)
    per_kpt = 1 - masks[0][valid > 0] / valid[valid > 0]
    assert results['PCK'] == pytest.approx(per_kpt.mean())
    assert results['EPE'] == pytest.approx(0.3 * longer * masks[0].sum() /
                                           masks.sum())
    # AUC (normaliser 30 px): the exact ones hit from t = 1/20 on; the
    # 0.3 * longer px errors exceed 30 px so never count
    assert 0.3 * longer > 30
    assert results['AUC'] == pytest.approx(per_kpt.mean() * 19 / 20)
    written = json.loads((tmp_path / 'result_keypoints.json').read_text())
    assert [r['bbox_id'] for r in written] == [0, 1, 2, 3]
    assert len(written[0]['keypoints']) == 21
    with pytest.raises(KeyError, match='NME'):
        dataset.evaluate(outputs_from_db(dataset.db), str(tmp_path), 'NME')


def test_panoptic_head_size_pckh(tmp_path):
    fixture = write_coco_format_dataset(
        tmp_path, 21,
        annotation_extras=lambda ann, rng: dict(
            head_size=float(rng.uniform(20, 60))))
    dataset = build(PanopticDataset, fixture, 21)
    anns = kept_annotations(fixture)
    for entry, ann in zip(dataset.db, anns):
        assert entry['head_size'] == ann['head_size']
        _, scale = box_cs(ann['bbox'], 1.76)
        np.testing.assert_allclose(entry['scale'], scale, rtol=1e-6)
    # every error is 0.6 of the head size (hit, < 0.7) except instance 1
    # at 0.8 (miss)
    heads = np.array([e['head_size'] for e in dataset.db])
    offsets = np.zeros((len(dataset), 21, 2))
    offsets[..., 1] = (0.6 * heads)[:, None]
    offsets[1, :, 1] = 0.8 * heads[1]
    results = dataset.evaluate(outputs_from_db(dataset.db, offsets),
                               str(tmp_path))
    assert list(results) == ['PCKh']
    masks = np.stack([e['joints_3d_visible'][:, 0] > 0 for e in dataset.db])
    valid = masks.sum(axis=0)
    per_kpt = 1 - masks[1][valid > 0] / valid[valid > 0]
    assert results['PCKh'] == pytest.approx(per_kpt.mean())


FACES = [
    # class, K, outer eye corners (None: box_size)
    (Face300WDataset, 68, (36, 45)),
    (FaceWFLWDataset, 98, (60, 72)),
    (FaceCOFWDataset, 29, (8, 9)),
    (FaceAFLWDataset, 19, None),
]


@pytest.mark.parametrize('cls, num_joints, eyes', FACES)
def test_face_nme(tmp_path, cls, num_joints, eyes):
    def extras(ann, rng):
        x, y, w, h = ann['bbox']
        return dict(center=[x + w / 2, y + h / 2], scale=h / 200,
                    box_size=float(max(w, h)))

    fixture = write_coco_format_dataset(
        tmp_path, num_joints, annotation_extras=extras)
    dataset = build(cls, fixture, num_joints)
    for entry, ann in zip(dataset.db, kept_annotations(fixture)):
        # annotated center / scale are used (scale padded by 1.25)
        np.testing.assert_allclose(entry['center'], ann['center'])
        np.testing.assert_allclose(entry['scale'], [ann['scale'] * 1.25] * 2)
    # every prediction is 5 px off (3, 4)
    offsets = np.zeros((len(dataset), num_joints, 2))
    offsets[...] = [3, 4]
    results = dataset.evaluate(outputs_from_db(dataset.db, offsets),
                               str(tmp_path))
    assert list(results) == ['NME']
    gts = np.stack([e['joints_3d'][:, :2] for e in dataset.db])
    masks = np.stack([e['joints_3d_visible'][:, 0] > 0 for e in dataset.db])
    if eyes is None:
        norm = np.array([e['box_size'] for e in dataset.db])
    else:
        norm = np.linalg.norm(gts[:, eyes[0]] - gts[:, eyes[1]], axis=1)
    # 0.x counts a zero normaliser (an unlabelled eye corner) as 1e6
    norm = np.where(norm <= 0, 1e6, norm)
    per_instance = np.broadcast_to((5 / norm)[:, None], masks.shape)
    assert results['NME'] == pytest.approx(per_instance[masks].mean(),
                                           rel=1e-5)


def test_face_box_without_center_scale(tmp_path):
    fixture = write_coco_format_dataset(tmp_path, 29)
    dataset = build(FaceCOFWDataset, fixture, 29)
    ann = kept_annotations(fixture)[0]
    center, scale = box_cs(ann['bbox'], 1.25)
    np.testing.assert_allclose(dataset.db[0]['center'], center, rtol=1e-6)
    np.testing.assert_allclose(dataset.db[0]['scale'], scale, rtol=1e-6)


@pytest.mark.parametrize('old, new', [
    ('TopDownOneHand10KDataset', OneHand10KDataset),
    ('TopDownFreiHandDataset', FreiHandDataset),
    ('TopDownPanopticDataset', PanopticDataset),
])
def test_deprecated_names_warn_and_work(tmp_path, old, new):
    fixture = write_coco_format_dataset(
        tmp_path, 21,
        annotation_extras=lambda ann, rng: dict(head_size=40.0))
    with pytest.warns(DeprecationWarning, match=new.__name__):
        dataset = DATASETS.build(
            dict(
                type=old,
                ann_file=fixture['ann_file'],
                img_prefix=fixture['img_prefix'],
                data_cfg=make_data_cfg(21, image_size=(256, 256)),
                pipeline=[],
                test_mode=True))
    assert isinstance(dataset, new) and len(dataset) == 4
    import mmpose.datasets
    import mmpose.deprecated
    assert getattr(mmpose.deprecated, old) is getattr(mmpose.datasets, old)


@needs_shared
@pytest.mark.parametrize('cls, folder, num_joints, num_samples', [
    (OneHand10KDataset, 'onehand10k', 21, 4),
    (FreiHandDataset, 'freihand', 21, 8),
    (PanopticDataset, 'panoptic', 21, 4),
    (Rhd2DDataset, 'rhd', 21, 3),
    (Face300WDataset, '300w', 68, 2),
    (FaceAFLWDataset, 'aflw', 19, 2),
    (FaceCOFWDataset, 'cofw', 29, 2),
    (FaceWFLWDataset, 'wflw', 98, 4),
])
def test_shared_samples(tmp_path, cls, folder, num_joints, num_samples):
    dataset = cls(
        str(SHARED / folder / f'test_{folder}.json'),
        str(SHARED / folder) + '/',
        make_data_cfg(num_joints, image_size=(256, 256)), [],
        test_mode=True)
    assert len(dataset) == num_samples
    results = dataset.evaluate(outputs_from_db(dataset.db), str(tmp_path),
                               cls.allowed_metrics[0])
    first = cls.allowed_metrics[0]
    assert results[first] == pytest.approx(0.0 if first == 'NME' else 1.0)


def test_report_metric_reads_the_result_file(tmp_path):
    fixture = write_coco_format_dataset(tmp_path, 21)
    dataset = build(OneHand10KDataset, fixture, 21)
    offsets = np.zeros((len(dataset), 21, 2))
    offsets[..., 0] = 3
    results = dataset.evaluate(outputs_from_db(dataset.db, offsets),
                               str(tmp_path), ['EPE'])
    # 0.x's _report_metric(res_file, metrics) reads what evaluate wrote
    again = dataset._report_metric(
        str(tmp_path / 'result_keypoints.json'), ['EPE'])
    assert dict(again) == dict(results) == {'EPE': pytest.approx(3.0)}
