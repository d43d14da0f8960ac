"""TopDownPoseTrack18Dataset: metadata, per-video result files and the
native mAP on a generated fixture and the shared sample."""
import json
from pathlib import Path

import numpy as np
import pytest

from dataset_fixtures import (make_data_cfg, outputs_from_db,
                              write_coco_format_dataset)
from mmpose.datasets import TopDownPoseTrack18Dataset

SHARED = Path(__file__).resolve().parents[2] / '..' / 'shared' / 'datasets'
ROWS = ['Head AP', 'Shou AP', 'Elb AP', 'Wri AP', 'Hip AP', 'Knee AP',
        'Ankl AP', 'Total AP']


def head_box(ann, rng):
    x, y, w, h = ann['bbox']
    return dict(bbox_head=[x, y, w / 3, h / 4])


def test_metadata(tmp_path):
    fixture = write_coco_format_dataset(tmp_path, 17,
                                        annotation_extras=head_box)
    dataset = TopDownPoseTrack18Dataset(
        fixture['ann_file'], fixture['img_prefix'], make_data_cfg(17), [],
        test_mode=True)
    # head bottom / head top are not a left-right pair
    assert dataset.ann_info['flip_pairs'] == [[3, 4], [5, 6], [7, 8],
                                              [9, 10], [11, 12], [13, 14],
                                              [15, 16]]
    assert dataset.db[0]['dataset'] == 'posetrack18'


def test_evaluate_fixture(tmp_path):
    fixture = write_coco_format_dataset(tmp_path, 17,
                                        annotation_extras=head_box)
    dataset = TopDownPoseTrack18Dataset(
        fixture['ann_file'], fixture['img_prefix'],
        make_data_cfg(17, use_nms=False), [], test_mode=True)
    results = dataset.evaluate(outputs_from_db(dataset.db),
                               str(tmp_path / 'res'))
    assert list(results) == ROWS
    # exact joints, but the ears (never labelled in PoseTrack, labelled in
    # this fixture) do not count: every row is 100
    assert all(v == pytest.approx(100) for v in results.values())
    written = json.loads((tmp_path / 'res' / 'posetrack18.json').read_text())
    assert len(written['annotations']) == len(dataset)
    assert len(written['annotations'][0]['keypoints']) == 51
    # moving every prediction by 2 head sizes loses everything
    offsets = np.full((len(dataset), 17, 2), 1000.0)
    results = dataset.evaluate(outputs_from_db(dataset.db, offsets),
                               str(tmp_path / 'res'))
    assert results['Total AP'] == pytest.approx(0)


@pytest.mark.skipif(
    not SHARED.is_dir(), reason='../shared/datasets not present')
def test_shared_sample(tmp_path):
    root = SHARED / 'posetrack18'
    dataset = TopDownPoseTrack18Dataset(
        str(root / 'test_posetrack18.json'), str(root) + '/',
        make_data_cfg(17), [], test_mode=True)
    assert len(dataset) == 14 and dataset.num_images == 3
    results = dataset.evaluate(outputs_from_db(dataset.db), str(tmp_path))
    assert results['Total AP'] == pytest.approx(100)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        '003418_mpii_test.json', '009473_mpii_test.json',
        '012834_mpii_test.json'
    ]
    detections = TopDownPoseTrack18Dataset(
        str(root / 'test_posetrack18.json'), str(root) + '/',
        make_data_cfg(
            17,
            use_gt_bbox=False,
            bbox_file=str(root / 'test_posetrack18_human_detections.json')),
        [], test_mode=True)
    assert len(detections) == 100
