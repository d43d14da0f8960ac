"""tools/mat2json.py turns the pred.mat that TopDownMpiiDataset.evaluate
writes back into MPII json."""
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from dataset_fixtures import make_data_cfg, outputs_from_db, write_mpii_dataset
from mmpose.datasets import TopDownMpiiDataset

_TOOL = Path(__file__).resolve().parents[2] / 'tools' / 'mat2json.py'


def _load_tool():
    spec = importlib.util.spec_from_file_location('mat2json', _TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mat2json_round_trip(tmp_path):
    fixture = write_mpii_dataset(tmp_path / 'mpii', num_people=3)
    dataset = TopDownMpiiDataset(fixture['ann_file'], fixture['img_prefix'],
                                 make_data_cfg(16), [], test_mode=True)
    offsets = np.random.RandomState(0).uniform(-3, 3, (3, 16, 2))
    joints = np.array([p['joints'] for p in fixture['people']]) - 1
    db = [dict(e, joints_3d=np.c_[j, np.zeros(16)])
          for e, j in zip(dataset.db, joints)]
    dataset.evaluate(outputs_from_db(db, offsets), str(tmp_path / 'res'))

    out = tmp_path / 'pred.json'
    _load_tool().main([
        str(tmp_path / 'res' / 'pred.mat'), fixture['ann_file'],
        str(out)
    ])
    written = json.loads(out.read_text())
    assert written['info']['description'] == 'Converted MPII prediction.'
    for person, ann, offset in zip(fixture['people'],
                                   written['annotations'], offsets):
        assert ann['image'] == person['image']
        assert 'joints_vis' not in ann
        # 1-based like the input json: the ground truth plus the offsets
        np.testing.assert_allclose(ann['joints'],
                                   np.array(person['joints']) + offset)


def test_mat2json_count_mismatch(tmp_path):
    from scipy.io import savemat
    fixture = write_mpii_dataset(tmp_path, num_people=2)
    savemat(str(tmp_path / 'pred.mat'), {'preds': np.zeros((3, 16, 2))})
    with pytest.raises(ValueError, match='3 predictions'):
        _load_tool().convert_mat(
            str(tmp_path / 'pred.mat'), fixture['ann_file'],
            str(tmp_path / 'out.json'))
