"""COCO-style evaluation functions: rescoring, duplicate removal, result
dicts and COCOeval on a fixture."""
import json

import numpy as np
import pytest

from mmpose.core.evaluation.coco_eval import (COCO_STATS_NAMES,
                                              coco_keypoint_eval,
                                              coco_keypoint_results,
                                              rescore_and_nms,
                                              rescore_instances,
                                              sort_and_unique,
                                              write_json_results)


def _person(scores, score=1.0, shift=0.0, **extra):
    kpts = np.zeros((len(scores), 3))
    kpts[:, 0] = np.arange(len(scores)) * 10 + shift
    kpts[:, 1] = 50 + shift
    kpts[:, 2] = scores
    return dict(keypoints=kpts, score=score, area=2500.0, **extra)


def test_rescore_instances_by_hand():
    people = [
        _person([0.9, 0.1, 0.5], score=0.8),  # (0.9 + 0.5) / 2 * 0.8
        _person([0.1, 0.2, 0.0], score=0.9),  # none above 0.2 -> 0
    ]
    rescore_instances(people, vis_thr=0.2)
    assert people[0]['score'] == pytest.approx(0.56)
    assert people[1]['score'] == 0
    rescore_instances([], 0.2)  # nothing to do


def test_rescore_and_nms_keeps_the_better_duplicate():
    image = [
        _person([0.9] * 5, score=0.5),
        _person([0.9] * 5, score=0.9, shift=0.5),  # same person, better
        _person([0.9] * 5, score=0.7, shift=300),  # someone else
    ]
    sigmas = np.full(5, 0.05)
    kept = rescore_and_nms([list(image), []], vis_thr=0.2, oks_thr=0.9,
                           sigmas=sigmas)
    assert len(kept) == 2 and kept[1] == []
    assert [p['score'] for p in kept[0]] == pytest.approx([0.81, 0.63])
    everything = rescore_and_nms([[_person([0.9] * 5), _person([0.9] * 5)]],
                                 0.2, 0.9, sigmas=sigmas, use_nms=False)
    assert len(everything[0]) == 2


def test_sort_and_unique():
    items = [dict(bbox_id=3, v=0), dict(bbox_id=1, v=1), dict(bbox_id=3, v=2)]
    out = sort_and_unique(items)
    assert [i['bbox_id'] for i in out] == [1, 3]
    assert len(items) == 3  # the input list is not changed


def test_coco_keypoint_results_and_json(tmp_path):
    people = [
        _person([1, 1], score=0.5, image_id=7, center=np.array([1., 2.]),
                scale=np.array([3., 4.]))
    ]
    results = coco_keypoint_results([people, []], cat_id=2, num_joints=2)
    assert results == [
        dict(
            image_id=7,
            category_id=2,
            keypoints=[0.0, 50.0, 1.0, 10.0, 50.0, 1.0],
            score=0.5,
            center=[1.0, 2.0],
            scale=[3.0, 4.0])
    ]
    res_file = tmp_path / 'sub' / 'res.json'
    write_json_results(results, str(res_file))
    assert json.loads(res_file.read_text()) == results


def test_coco_keypoint_eval_perfect(coco_kpt_dataset, tmp_path):
    from xtcocotools.coco import COCO
    coco = COCO(coco_kpt_dataset['ann_file'])
    results = [
        dict(image_id=ann['image_id'], category_id=1,
             keypoints=[float(v) for v in ann['keypoints']], score=1.0)
        for anns in coco_kpt_dataset['valid'].values() for ann in anns
    ]
    res_file = str(tmp_path / 'res.json')
    write_json_results(results, res_file)
    info = coco_keypoint_eval(coco, res_file)
    assert [name for name, _ in info] == list(COCO_STATS_NAMES)
    assert dict(info)['AP'] == pytest.approx(1.0)


def test_write_json_results_layout(tmp_path):
    res_file = tmp_path / 'res.json'
    results = [dict(b=1, a=[0.5, 2]), dict(a=3)]
    write_json_results(results, str(res_file))
    # one result per line, keys sorted
    assert res_file.read_text() == ('[\n    {"a": [0.5, 2], "b": 1},\n'
                                    '    {"a": 3}\n]')
    write_json_results([], str(res_file))
    assert json.loads(res_file.read_text()) == []
    write_json_results(dict(z=1, y=[]), str(res_file))
    assert json.loads(res_file.read_text()) == dict(y=[], z=1)
