import copy
import json
import os
from pathlib import Path

import numpy as np
import pytest

from dataset_fixtures import make_data_cfg as dataset_data_cfg
from fixtures import write_coco_detections, write_coco_keypoint_dataset
from mmpose.datasets import DATASETS, TopDownCocoDataset
from mmpose.utils import ArgumentError

SHARED_COCO = (Path(__file__).resolve().parents[2] / '..' / 'shared' /
               'datasets' / 'coco')

STATS_NAMES = [
    'AP', 'AP .5', 'AP .75', 'AP (M)', 'AP (L)', 'AR', 'AR .5', 'AR .75',
    'AR (M)', 'AR (L)'
]


def make_data_cfg(**kwargs):
    return dataset_data_cfg(kwargs.pop('num_joints', 17), **kwargs)


def build(fixture, test_mode=True, pipeline=(), **cfg):
    return TopDownCocoDataset(
        fixture['ann_file'],
        fixture['img_prefix'],
        make_data_cfg(**cfg),
        list(pipeline),
        test_mode=test_mode)


def expected_center_scale(x, y, w, h, aspect_ratio=192 / 256):
    """0.x box -> (center, scale): grow to the aspect ratio, /200, x1.25."""
    center = [x + w / 2, y + h / 2]
    if w / h > aspect_ratio:
        h = w / aspect_ratio
    else:
        w = h * aspect_ratio
    return np.array(center), np.array([w, h]) / 200 * 1.25


def clipped_box(bbox, width, height):
    x, y, w, h = bbox
    x2 = min(width - 1, x + w - 1)
    y2 = min(height - 1, y + h - 1)
    return [x, y, x2 - x, y2 - y]


def perfect_outputs(dataset, score=1.0, batch_size=2):
    """Model-like outputs whose keypoints are the ground truth, batched."""
    outputs = []
    for start in range(0, len(dataset.db), batch_size):
        entries = dataset.db[start:start + batch_size]
        preds = np.stack([
            np.concatenate([e['joints_3d'][:, :2],
                            np.full((17, 1), score)], axis=1) for e in entries
        ])
        boxes = np.array([[
            *e['center'], *e['scale'], e['scale'].prod() * 200**2, 1.0
        ] for e in entries])
        outputs.append(
            dict(
                preds=preds,
                boxes=boxes,
                image_paths=[e['image_file'] for e in entries],
                bbox_ids=[e['bbox_id'] for e in entries]))
    return outputs


def read_results(res_folder):
    with open(os.path.join(res_folder, 'result_keypoints.json')) as f:
        return json.load(f)


def test_gt_db_from_annotations(coco_kpt_dataset):
    dataset = build(coco_kpt_dataset)
    images = {img['id']: img for img in coco_kpt_dataset['data']['images']}
    expected = [(image_id, i, ann)
                for image_id, anns in coco_kpt_dataset['valid'].items()
                for i, ann in enumerate(anns)]
    # crowd and keypoint-less annotations are skipped
    assert len(dataset) == len(expected) == 4
    assert dataset.num_images == 2

    for entry, (image_id, index, ann) in zip(dataset.db, expected):
        img = images[image_id]
        box = clipped_box(ann['bbox'], img['width'], img['height'])
        center, scale = expected_center_scale(*box)
        kpts = np.array(ann['keypoints'], dtype=np.float32).reshape(-1, 3)
        assert entry['image_file'] == os.path.join(
            coco_kpt_dataset['img_prefix'], img['file_name'])
        np.testing.assert_allclose(entry['bbox'], box)
        np.testing.assert_allclose(entry['center'], center, rtol=1e-6)
        np.testing.assert_allclose(entry['scale'], scale, rtol=1e-6)
        assert entry['center'].dtype == entry['scale'].dtype == np.float32
        np.testing.assert_array_equal(entry['joints_3d'][:, :2], kpts[:, :2])
        np.testing.assert_array_equal(entry['joints_3d'][:, 2], 0)
        visible = (kpts[:, 2] > 0).astype(np.float32)
        np.testing.assert_array_equal(entry['joints_3d_visible'][:, 0],
                                      visible)
        np.testing.assert_array_equal(entry['joints_3d_visible'][:, 1],
                                      visible)
        np.testing.assert_array_equal(entry['joints_3d_visible'][:, 2], 0)
        assert entry['bbox_id'] == index
        assert entry['bbox_score'] == 1
        assert entry['rotation'] == 0
        assert entry['dataset'] == 'coco'

    # the edge person's box is clipped to the image
    edge = dataset.db[2]
    assert edge['bbox'][0] + edge['bbox'][2] == images[100]['width'] - 1
    assert edge['bbox'][1] + edge['bbox'][3] == images[100]['height'] - 1


def test_train_mode_jitters_center_only(coco_kpt_dataset):
    np.random.seed(1)
    train = build(coco_kpt_dataset, test_mode=False)
    test = build(coco_kpt_dataset, test_mode=True)
    assert len(train) == len(test)
    center, scale = expected_center_scale(10, 20, 100, 150)
    shifts = []
    for _ in range(300):
        c, s = train._xywh2cs(10, 20, 100, 150)
        np.testing.assert_allclose(s, scale, rtol=1e-6)
        shifts.append(c - center)
    shifts = np.abs(np.array(shifts))
    # shifted with probability 0.3, by at most 20% of the box size
    assert 0.2 < np.mean(shifts.any(axis=1)) < 0.4
    assert np.all(shifts <= np.array([20, 30]) + 1e-4)
    for _ in range(20):
        c, _ = test._xywh2cs(10, 20, 100, 150)
        np.testing.assert_allclose(c, center)


def test_ann_info_from_dataset_meta(coco_kpt_dataset):
    dataset = build(coco_kpt_dataset)
    info = dataset.ann_info
    assert info['flip_pairs'] == [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10],
                                  [11, 12], [13, 14], [15, 16]]
    assert tuple(info['upper_body_ids']) == tuple(range(11))
    assert tuple(info['lower_body_ids']) == tuple(range(11, 17))
    assert info['joint_weights'].shape == (17, 1)
    assert info['joint_weights'].dtype == np.float32
    assert info['joint_weights'][9, 0] == pytest.approx(1.5)
    assert info['use_different_joint_weights'] is False
    np.testing.assert_array_equal(info['image_size'], [192, 256])
    np.testing.assert_allclose(
        dataset.sigmas,
        np.array([
            .26, .25, .25, .35, .35, .79, .79, .72, .72, .62, .62, 1.07, 1.07,
            .87, .87, .89, .89
        ]) / 10.0)


def test_getitem_deep_copies_and_runs_pipeline(coco_kpt_dataset):
    seen = []

    def step(results):
        seen.append(results)
        results['joints_3d'][:] = -1
        return results

    dataset = build(coco_kpt_dataset, pipeline=[step])
    out = dataset[1]
    assert out is seen[0]
    assert out['ann_info'] is dataset.ann_info
    assert np.all(out['joints_3d'] == -1)
    assert not np.any(dataset.db[1]['joints_3d'] == -1)


def test_getitem_loads_fixture_image(coco_kpt_dataset):
    import cv2

    def load(results):
        results['img'] = cv2.imread(results['image_file'])
        return results

    dataset = build(coco_kpt_dataset, pipeline=[load])
    assert dataset[0]['img'].shape == (240, 320, 3)


def test_build_from_registry(coco_kpt_dataset):
    dataset = DATASETS.build(
        dict(
            type='TopDownCocoDataset',
            ann_file=coco_kpt_dataset['ann_file'],
            img_prefix=coco_kpt_dataset['img_prefix'],
            data_cfg=make_data_cfg(),
            pipeline=[],
            test_mode=True))
    assert isinstance(dataset, TopDownCocoDataset) and len(dataset) == 4


def test_detection_boxes_with_threshold(coco_kpt_dataset, tmp_path):
    dets = [
        dict(image_id=100, bbox=[10, 20, 100, 150], score=0.9),
        dict(image_id=100, bbox=[50, 40, 60, 60], score=0.05),
        dict(image_id=101, bbox=[30, 30, 120, 90], score=0.5),
        dict(image_id=101, bbox=[30, 30, 120, 90], score=0.99, category_id=2),
    ]
    bbox_file = write_coco_detections(tmp_path / 'dets.json', dets)
    dataset = build(
        coco_kpt_dataset,
        use_gt_bbox=False,
        bbox_file=bbox_file,
        det_bbox_thr=0.1)
    kept = [dets[0], dets[2]]
    assert len(dataset) == 2
    for i, (entry, det) in enumerate(zip(dataset.db, kept)):
        center, scale = expected_center_scale(*det['bbox'])
        np.testing.assert_allclose(entry['center'], center, rtol=1e-6)
        np.testing.assert_allclose(entry['scale'], scale, rtol=1e-6)
        assert entry['bbox_score'] == det['score']
        assert entry['bbox_id'] == i
        assert entry['image_file'].endswith(f'{det["image_id"]:012d}.jpg')
        np.testing.assert_array_equal(entry['joints_3d'], 0)
        np.testing.assert_array_equal(entry['joints_3d_visible'], 1)

    everything = build(
        coco_kpt_dataset,
        use_gt_bbox=False,
        bbox_file=bbox_file,
        det_bbox_thr=0.0)
    assert len(everything) == 3
    # training always uses the ground-truth boxes
    train = build(
        coco_kpt_dataset, test_mode=False, use_gt_bbox=False,
        bbox_file=bbox_file)
    assert len(train) == 4


def test_image_thr_is_deprecated_alias(coco_kpt_dataset, tmp_path):
    bbox_file = write_coco_detections(tmp_path / 'dets.json', [
        dict(image_id=100, bbox=[10, 20, 100, 150], score=0.9),
        dict(image_id=101, bbox=[30, 30, 120, 90], score=0.3)
    ])
    with pytest.warns(DeprecationWarning, match='det_bbox_thr'):
        dataset = build(
            coco_kpt_dataset,
            use_gt_bbox=False,
            bbox_file=bbox_file,
            image_thr=0.5)
    assert len(dataset) == 1 and dataset.det_bbox_thr == 0.5


def test_evaluate_perfect_predictions(coco_kpt_dataset, tmp_path):
    dataset = build(coco_kpt_dataset)
    res_folder = tmp_path / 'results'
    results = dataset.evaluate(perfect_outputs(dataset), str(res_folder))
    assert list(results) == STATS_NAMES
    assert results['AP'] == pytest.approx(1.0)
    assert results['AR'] == pytest.approx(1.0)
    written = read_results(res_folder)
    assert len(written) == 4
    assert os.listdir(res_folder) == ['result_keypoints.json']
    assert {r['image_id'] for r in written} == {100, 101}
    assert all(len(r['keypoints']) == 17 * 3 for r in written)


def test_evaluate_perturbed_predictions_lower_ap(coco_kpt_dataset,
                                                 tmp_path):
    dataset = build(coco_kpt_dataset)
    rng = np.random.RandomState(0)
    aps = []
    for noise in (0.0, 4.0, 12.0):
        outputs = perfect_outputs(dataset)
        for out in outputs:
            out['preds'][..., :2] += rng.normal(
                0, noise, out['preds'][..., :2].shape)
        aps.append(dataset.evaluate(outputs, str(tmp_path))['AP'])
    assert aps[0] == pytest.approx(1.0)
    assert aps[1] < 1.0
    assert aps[2] < aps[1]


def test_evaluate_rescoring(coco_kpt_dataset, tmp_path):
    dataset = build(coco_kpt_dataset, vis_thr=0.2)
    outputs = perfect_outputs(dataset, batch_size=4)
    # float32 like a model's output: float32(0.2) is above vis_thr=0.2 in
    # float64, as in 0.x (NumPy 2 would compare float32 with float32)
    preds = outputs[0]['preds'] = outputs[0]['preds'].astype(np.float32)
    kpt_scores = np.linspace(0.05, 0.95, 17)
    preds[:, :, 2] = kpt_scores
    preds[0, 0, 2] = 0.2
    assert np.float64(preds[0, 0, 2]) > 0.2
    preds[1, :, 2] = 0.1  # no keypoint above vis_thr: score 0
    outputs[0]['boxes'][:, 5] = [0.8, 0.6, 0.5, 0.9]
    dataset.evaluate(outputs, str(tmp_path))
    written = {(r['image_id'], tuple(r['keypoints'][:2])): r['score']
               for r in read_results(tmp_path)}

    def expected(scores, box_score):
        valid = scores[scores > 0.2]
        return box_score * valid.mean() if len(valid) else 0.0

    for i, box_score in enumerate([0.8, 0.6, 0.5, 0.9]):
        entry = dataset.db[i]
        image_id = dataset.name2id[os.path.basename(entry['image_file'])]
        key = (image_id, tuple(preds[i, 0, :2].tolist()))
        assert written[key] == pytest.approx(
            expected(preds[i, :, 2].astype(np.float64), box_score))


def test_evaluate_oks_nms_drops_duplicates(coco_kpt_dataset, tmp_path):
    dataset = build(coco_kpt_dataset)
    outputs = perfect_outputs(dataset, batch_size=len(dataset))
    # A second detection of person 0 (new bbox id, keypoints 1 px off,
    # lower box score) overlaps it with OKS > oks_thr and must go.
    dup = copy.deepcopy(outputs[0])
    dup['preds'] = dup['preds'][:1].copy()
    dup['preds'][..., :2] += 1.0
    dup['boxes'] = dup['boxes'][:1].copy()
    dup['boxes'][:, 5] = 0.5
    dup['image_paths'] = dup['image_paths'][:1]
    dup['bbox_ids'] = [100]
    # The same bbox id twice (a padded distributed batch) counts once.
    repeat = copy.deepcopy(outputs[0])
    repeat['preds'][:, :, :2] += 50  # would lower AP if it were kept
    results = dataset.evaluate(outputs + [dup, repeat],
                               str(tmp_path / 'nms'))
    assert len(read_results(tmp_path / 'nms')) == 4
    assert results['AP'] == pytest.approx(1.0)

    unique = dataset._sort_and_unique_bboxes(
        {1: [dict(bbox_id=2), dict(bbox_id=1), dict(bbox_id=2)]})
    assert [p['bbox_id'] for p in unique[1]] == [1, 2]

    no_nms = build(coco_kpt_dataset, use_nms=False)
    no_nms.evaluate(outputs + [dup], str(tmp_path / 'plain'))
    assert len(read_results(tmp_path / 'plain')) == 5

    soft = build(coco_kpt_dataset, soft_nms=True)
    soft.evaluate(outputs + [dup], str(tmp_path / 'soft'))
    assert len(read_results(tmp_path / 'soft')) == 5


def test_evaluate_repeated_bbox_ids_count_once(coco_kpt_dataset, tmp_path):
    dataset = build(coco_kpt_dataset, use_nms=False)
    outputs = perfect_outputs(dataset, batch_size=1)
    results = dataset.evaluate(outputs + outputs[:2], str(tmp_path))
    assert len(read_results(tmp_path)) == 4
    assert results['AP'] == pytest.approx(1.0)


def test_evaluate_unknown_metric(coco_kpt_dataset, tmp_path):
    dataset = build(coco_kpt_dataset)
    with pytest.raises(KeyError, match='PCK.*mAP'):
        dataset.evaluate(perfect_outputs(dataset), str(tmp_path), 'PCK')


def test_error_missing_annotation_file(tmp_path):
    missing = str(tmp_path / 'nope.json')
    with pytest.raises(FileNotFoundError) as err:
        build(dict(ann_file=missing, img_prefix=''))
    assert missing in str(err.value) and 'ann_file' in str(err.value)


@pytest.mark.parametrize('drop', ['images', 'annotations', 'categories'])
def test_error_not_coco_keypoint_format(coco_kpt_dataset, tmp_path, drop):
    data = dict(coco_kpt_dataset['data'])
    del data[drop]
    ann_file = str(tmp_path / 'broken.json')
    with open(ann_file, 'w') as f:
        json.dump(data, f)
    with pytest.raises(ValueError) as err:
        build(dict(coco_kpt_dataset, ann_file=ann_file))
    assert ann_file in str(err.value) and drop in str(err.value)


def test_error_annotations_without_keypoints(coco_kpt_dataset, tmp_path):
    data = copy.deepcopy(coco_kpt_dataset['data'])
    for ann in data['annotations']:
        del ann['keypoints']
    ann_file = str(tmp_path / 'boxes_only.json')
    with open(ann_file, 'w') as f:
        json.dump(data, f)
    with pytest.raises(ValueError, match='keypoints') as err:
        build(dict(coco_kpt_dataset, ann_file=ann_file))
    assert ann_file in str(err.value)


def test_error_wrong_number_of_keypoints(tmp_path):
    fixture = write_coco_keypoint_dataset(tmp_path, num_joints=14)
    with pytest.raises(ValueError, match='42.*51') as err:
        build(fixture)
    assert fixture['ann_file'] in str(err.value)


def test_error_num_joints_does_not_match_metadata(coco_kpt_dataset):
    with pytest.raises(ArgumentError, match='num_joints=14.*17'):
        build(coco_kpt_dataset, num_joints=14)


def test_error_missing_bbox_file(coco_kpt_dataset, tmp_path):
    missing = str(tmp_path / 'dets.json')
    with pytest.raises(FileNotFoundError) as err:
        build(coco_kpt_dataset, use_gt_bbox=False, bbox_file=missing)
    assert missing in str(err.value)
    assert 'use_gt_bbox=True' in str(err.value)


def test_error_detection_on_unknown_image(coco_kpt_dataset, tmp_path):
    bbox_file = write_coco_detections(
        tmp_path / 'dets.json',
        [dict(image_id=999, bbox=[0, 0, 10, 10], score=0.9)])
    with pytest.raises(ValueError, match='999'):
        build(coco_kpt_dataset, use_gt_bbox=False, bbox_file=bbox_file)


@pytest.mark.skipif(
    not (SHARED_COCO / 'test_coco.json').is_file(),
    reason='shared COCO sample not available')
def test_shared_coco_sample(tmp_path):
    ann_file = str(SHARED_COCO / 'test_coco.json')
    with open(ann_file) as f:
        data = json.load(f)
    num_people = sum(
        1 for ann in data['annotations']
        if not ann['iscrowd'] and ann['num_keypoints'] > 0)
    fixture = dict(ann_file=ann_file, img_prefix=str(SHARED_COCO) + os.sep)
    dataset = build(fixture)
    assert len(dataset) == num_people
    assert all(os.path.isfile(e['image_file']) for e in dataset.db)
    results = dataset.evaluate(perfect_outputs(dataset), str(tmp_path))
    assert results['AP'] == pytest.approx(1.0)

    bbox_file = SHARED_COCO / 'test_coco_det_AP_H_56.json'
    with open(bbox_file) as f:
        dets = json.load(f)
    detected = build(fixture, use_gt_bbox=False, bbox_file=str(bbox_file))
    assert len(detected) == sum(d['category_id'] == 1 for d in dets)


def test_evaluate_without_bbox_ids(coco_kpt_dataset, tmp_path):
    """The model-zoo configs do not collect 'bbox_id': outputs then carry
    ``bbox_ids=None`` and every box counts once, in output order."""
    dataset = build(coco_kpt_dataset)
    outputs = perfect_outputs(dataset)
    for out in outputs:
        out['bbox_ids'] = None
    results = dataset.evaluate(outputs, str(tmp_path))
    assert results['AP'] == pytest.approx(1.0)
    assert len(read_results(tmp_path)) == 4
