"""TopDownCocoWholeBodyDataset: metadata (133 keypoints, sigmas), records
from part-split annotations, part-split result files and the whole-body /
per-part COCOeval, with APs derived by hand."""
import json

import numpy as np
import pytest

from dataset_fixtures import (WHOLEBODY_PARTS, make_data_cfg,
                              outputs_from_db, write_coco_wholebody_dataset)
from mmpose.core.dataset_meta import get_dataset_meta
from mmpose.core.evaluation.coco_eval import (coco_keypoint_results,
                                              coco_wholebody_keypoint_eval)
from mmpose.datasets import (DATASETS, TopDownCocoDataset,
                             TopDownCocoWholeBodyDataset)
from mmpose.datasets.datasets.top_down import \
    TopDownCocoWholeBodyDataset as FromTopDown
from mmpose.datasets.datasets.top_down.topdown_coco_wholebody_dataset import \
    TopDownCocoWholeBodyDataset as FromModule

# 0.x's _make_flip_pairs face pairs, written out.
FACE_PAIRS_014 = [[23, 39], [24, 38], [25, 37], [26, 36], [27, 35], [28, 34],
                  [29, 33], [30, 32], [40, 49], [41, 48], [42, 47], [43, 46],
                  [44, 45], [54, 58], [55, 57], [59, 68], [60, 67], [61, 66],
                  [62, 65], [63, 70], [64, 69], [71, 77], [72, 76], [73, 75],
                  [78, 82], [79, 81], [83, 87], [84, 86], [88, 90]]


def _dataset(fixture, **kwargs):
    return TopDownCocoWholeBodyDataset(
        fixture['ann_file'], fixture['img_prefix'], make_data_cfg(133),
        [], test_mode=True, **kwargs)


def test_import_paths_and_registry():
    assert FromTopDown is FromModule is TopDownCocoWholeBodyDataset
    assert DATASETS.get('TopDownCocoWholeBodyDataset') is FromModule
    assert issubclass(TopDownCocoWholeBodyDataset, TopDownCocoDataset)


def test_metadata_counts_sigmas_and_pairs():
    meta = get_dataset_meta('TopDownCocoWholeBodyDataset')
    coco = get_dataset_meta('coco')
    names = meta.keypoint_names
    assert meta.dataset_name == 'coco_wholebody'
    assert meta.num_keypoints == len(meta.sigmas) == 133 == len(set(names))
    assert names[:17] == coco.keypoint_names
    assert names[17:23] == ('left_big_toe', 'left_small_toe', 'left_heel',
                            'right_big_toe', 'right_small_toe', 'right_heel')
    assert names[23] == 'face-0' and names[90] == 'face-67'
    assert names[91] == 'left_hand_root' and names[112] == 'right_hand_root'
    assert names[132] == 'right_pinky_finger4'
    # body == COCO's; both hands alike; the official foot values
    np.testing.assert_array_equal(meta.sigmas[:17], coco.sigmas)
    np.testing.assert_array_equal(meta.sigmas[91:112], meta.sigmas[112:])
    np.testing.assert_allclose(meta.sigmas[17:23],
                               [0.068, 0.066, 0.066, 0.092, 0.094, 0.094])
    np.testing.assert_allclose(meta.sigmas[[23, 90, 91, 132]],
                               [0.042, 0.008, 0.029, 0.031])
    assert meta.sigmas.dtype == np.float64
    # 0.x's pairs, in its order
    assert meta.flip_pairs == (
        coco.flip_pairs + [[17, 20], [18, 21], [19, 22]] + FACE_PAIRS_014 +
        [[91 + i, 112 + i] for i in range(21)])
    for a, b in meta.flip_pairs:
        if a < 23 or a > 90:  # named parts: left_x <-> right_x
            assert names[b] == names[a].replace('left_', 'right_')
    flip = meta.flip_index
    assert [flip[i] for i in flip] == list(range(133))
    assert meta.upper_body_ids == coco.upper_body_ids
    assert meta.lower_body_ids == coco.lower_body_ids
    np.testing.assert_array_equal(meta.joint_weights, np.ones(133))


def test_metadata_skeleton_and_colours():
    meta = get_dataset_meta('coco_wholebody')
    links = meta.skeleton
    # 19 body, 6 foot, 20 per hand (1-based, as 0.x draws them)
    assert len(links) == 65 == len(meta.pose_link_color)
    assert links[19:25] == [[16, 18], [16, 19], [16, 20], [17, 21],
                            [17, 22], [17, 23]]
    assert links[25:29] == [[92, 93], [93, 94], [94, 95], [95, 96]]
    assert links[-1] == [132, 133]
    flip = meta.flip_index
    as_set = {frozenset(link) for link in links}
    assert {frozenset(flip[i - 1] + 1 for i in link)
            for link in links} == as_set
    assert meta.pose_kpt_color.shape == (133, 3)
    assert meta.pose_kpt_color[17:23].tolist() == [[255, 128, 0]] * 6
    assert meta.pose_kpt_color[23:].tolist() == [[255, 255, 255]] * 110


def test_records_concatenate_the_parts(tmp_path):
    fixture = write_coco_wholebody_dataset(tmp_path)
    dataset = _dataset(fixture)
    kept = [ann for anns in fixture['valid'].values() for ann in anns]
    assert len(dataset) == len(kept) == 4
    assert dataset.ann_info['num_joints'] == 133
    assert len(dataset.ann_info['flip_pairs']) == 61
    for record, ann in zip(dataset.db, kept):
        expected = []
        for key, size in WHOLEBODY_PARTS:
            assert len(ann[key]) == 3 * size
            expected += ann[key]
        expected = np.array(expected, dtype=np.float64).reshape(133, 3)
        np.testing.assert_array_equal(record['joints_3d'][:, :2],
                                      expected[:, :2])
        assert (record['joints_3d'][:, 2] == 0).all()
        np.testing.assert_array_equal(record['joints_3d_visible'][:, 0],
                                      expected[:, 2] > 0)
        assert record['dataset'] == 'coco_wholebody'


def test_person_without_body_keypoints_is_skipped(tmp_path):
    # 0.x skips a person whose body keypoints are all unlabelled, even if
    # the face or the hands are labelled.
    fixture = write_coco_wholebody_dataset(
        tmp_path, persons_per_image=(2, 1), extra_annotations=False)
    data = fixture['data']
    ann = data['annotations'][0]
    ann['keypoints'] = [0] * 51
    ann['num_keypoints'] = 0
    assert max(ann['face_kpts'][2::3]) > 0
    with open(fixture['ann_file'], 'w') as f:
        json.dump(data, f)
    assert len(_dataset(fixture)) == 2


def test_wrong_part_size_is_named(tmp_path):
    fixture = write_coco_wholebody_dataset(tmp_path)
    data = fixture['data']
    data['annotations'][1]['lefthand_kpts'] = [0] * 60
    with open(fixture['ann_file'], 'w') as f:
        json.dump(data, f)
    with pytest.raises(ValueError, match='lefthand_kpts values, expected 63'):
        _dataset(fixture)


def test_result_parts():
    instance = dict(image_id=7, keypoints=np.arange(9.).reshape(3, 3),
                    score=0.5, center=np.array([1., 2.]),
                    scale=np.array([3., 4.]))
    (result, ) = coco_keypoint_results([[instance]], 1, 3,
                                       parts=[('keypoints', 2), ('foot', 1)])
    assert result['keypoints'] == [0., 1., 2., 3., 4., 5.]
    assert result['foot'] == [6., 7., 8.]
    assert result['score'] == 0.5 and result['scale'] == [3., 4.]
    with pytest.raises(AssertionError, match='num_joints=3'):
        coco_keypoint_results([[instance]], 1, 3, parts=[('keypoints', 2)])


def _two_people(tmp_path):
    """One person per image, everything but the second person's first 18
    face keypoints predicted exactly, the second scored lower.

    Returns:
        tuple: The dataset, the outputs and the second person's whole-body
        and face OKS.
    """
    fixture = write_coco_wholebody_dataset(
        tmp_path, persons_per_image=(1, 1), extra_annotations=False)
    dataset = _dataset(fixture)
    offsets = np.zeros((2, 133, 2))
    offsets[1, 23:41] = 1000.0  # far off: their OKS terms exp(-big) are 0
    outputs = outputs_from_db(dataset.db, offsets, batch_size=1)
    outputs[1]['preds'][..., 2] = 0.5
    labelled = dataset.db[1]['joints_3d_visible'][:, 0] > 0
    missed = labelled[23:41].sum()
    return (dataset, outputs, 1 - missed / labelled.sum(),
            1 - missed / labelled[23:91].sum())


def _ap(oks_second):
    """COCO AP over OKS thresholds .50:.05:.95 of one exact person and one
    lower-scored person with OKS ``oks_second``, one per image: where the
    second misses, precision is 1 up to recall 0.5 (51 of 101 recall
    points) and recall never passes 0.5."""
    thresholds = np.linspace(.5, .95, 10)
    # (no tie with a threshold, which rounding could decide either way)
    assert np.abs(oks_second - thresholds).min() > 1e-3
    return np.mean(np.where(oks_second >= thresholds, 1.0, 51 / 101))


def test_evaluate_returns_the_wholebody_ap(tmp_path):
    dataset, outputs, oks, _ = _two_people(tmp_path)
    assert 0.5 < oks < 0.95  # some thresholds are met, not all
    results = dataset.evaluate(outputs, str(tmp_path / 'res'))
    assert list(results) == ['AP', 'AP .5', 'AP .75', 'AP (M)', 'AP (L)',
                             'AR', 'AR .5', 'AR .75', 'AR (M)', 'AR (L)']
    assert results['AP'] == pytest.approx(_ap(oks))
    assert results['AP .5'] == pytest.approx(1.0)
    # recall: the second person found at thresholds up to its OKS
    assert results['AR'] == pytest.approx(
        np.mean(np.where(oks >= np.linspace(.5, .95, 10), 1.0, 0.5)))
    with open(tmp_path / 'res' / 'result_keypoints.json') as f:
        written = json.load(f)
    assert len(written) == 2
    first = written[0]
    for key, size in WHOLEBODY_PARTS:
        assert len(first[key]) == 3 * size
    assert first['face_kpts'][:2] == pytest.approx(
        dataset.db[0]['joints_3d'][23, :2].tolist())
    assert first['righthand_kpts'][-3:-1] == pytest.approx(
        dataset.db[0]['joints_3d'][132, :2].tolist())


def test_per_part_aps(tmp_path):
    dataset, outputs, oks, face_oks = _two_people(tmp_path)
    assert 0.5 < face_oks < oks
    dataset.evaluate(outputs, str(tmp_path))
    sigmas = dataset.sigmas
    parts = dict(body=sigmas[:17], foot=sigmas[17:23], face=sigmas[23:91],
                 lefthand=sigmas[91:112], righthand=sigmas[112:])
    results = coco_wholebody_keypoint_eval(
        dataset.coco, str(tmp_path / 'result_keypoints.json'), parts)
    assert list(results) == ['body', 'foot', 'face', 'lefthand',
                             'righthand', 'wholebody']
    for part in ('body', 'foot', 'lefthand', 'righthand'):
        assert dict(results[part])['AP'] == pytest.approx(1.0), part
    assert dict(results['face'])['AP'] == pytest.approx(_ap(face_oks))
    assert dict(results['face'])['AP'] < dict(results['wholebody'])['AP']
    assert dict(results['wholebody'])['AP'] == pytest.approx(_ap(oks))
