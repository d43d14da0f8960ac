import json
import os

import numpy as np
import pytest

from mmpose.datasets.datasets.top_down import TopDownBaseDataset


class _ListDataset(TopDownBaseDataset):
    """A base subclass without metadata whose db is given directly."""

    def __init__(self, db, pipeline=(), num_joints=3):
        data_cfg = dict(
            image_size=[192, 256],
            heatmap_size=[48, 64],
            num_joints=num_joints,
            num_output_channels=num_joints,
            dataset_channel=[list(range(num_joints))],
            inference_channel=list(range(num_joints)))
        super().__init__(
            'unused.json', '', data_cfg, list(pipeline), test_mode=True)
        self.db = db

    def _get_db(self):
        return self.db

    def evaluate(self, outputs, res_folder, metric='PCK', **kwargs):
        return {'n': len(outputs)}


def test_base_is_abstract():
    with pytest.raises(TypeError):
        TopDownBaseDataset('a.json', '', {}, [])


def test_defaults_without_metadata():
    dataset = _ListDataset([dict(value=np.zeros(2))])
    info = dataset.ann_info
    assert info['flip_pairs'] == []
    assert info['joint_weights'].shape == (3, 1)
    np.testing.assert_array_equal(info['joint_weights'], 1)
    assert info['use_different_joint_weights'] is False
    assert dataset.sigmas is None and dataset.meta is None
    assert len(dataset) == 1
    item = dataset[0]
    assert item['ann_info'] is info
    item['value'][:] = 5
    np.testing.assert_array_equal(dataset.db[0]['value'], 0)


@pytest.mark.parametrize(
    'box, center, scale',
    [
        # wide box: height grows to w / (192 / 256)
        ((0, 0, 300, 100), (150, 50), (300 / 200 * 1.25, 400 / 200 * 1.25)),
        # tall box: width grows to h * 192 / 256
        ((10, 20, 30, 200), (25, 120), (150 / 200 * 1.25, 200 / 200 * 1.25)),
        # exact aspect ratio: unchanged
        ((0, 0, 75, 100), (37.5, 50), (75 / 200 * 1.25, 100 / 200 * 1.25)),
    ])
def test_xywh2cs(box, center, scale):
    dataset = _ListDataset([])
    c, s = dataset._xywh2cs(*box)
    np.testing.assert_allclose(c, center, rtol=1e-6)
    np.testing.assert_allclose(s, scale, rtol=1e-6)
    assert c.dtype == s.dtype == np.float32
    _, s_no_pad = dataset._xywh2cs(*box, padding=1.0)
    np.testing.assert_allclose(s_no_pad * 1.25, s, rtol=1e-6)


def test_write_keypoint_results_is_atomic(tmp_path):
    res_file = tmp_path / 'new' / 'result_keypoints.json'
    TopDownBaseDataset._write_keypoint_results([{'a': 1}], str(res_file))
    assert json.loads(res_file.read_text()) == [{'a': 1}]
    # a failing write leaves the previous file and no temporary behind
    with pytest.raises(TypeError):
        TopDownBaseDataset._write_keypoint_results([{'a': object()}],
                                                   str(res_file))
    assert json.loads(res_file.read_text()) == [{'a': 1}]
    assert os.listdir(res_file.parent) == ['result_keypoints.json']


def test_sort_and_unique_bboxes():
    kpts = {
        7: [dict(bbox_id=3, v=0), dict(bbox_id=1, v=1), dict(bbox_id=3, v=2)],
        8: [dict(bbox_id=0, v=3)]
    }
    out = TopDownBaseDataset._sort_and_unique_bboxes(kpts)
    assert [(p['bbox_id'], p['v']) for p in out[7]] == [(1, 1), (3, 0)]
    assert [p['v'] for p in out[8]] == [3]
