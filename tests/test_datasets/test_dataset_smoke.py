"""Every registered 2D top-down dataset class builds from a generated
fixture (from its config type), runs a pipeline step on a sample and
evaluates perfect predictions with its default metric."""
import inspect
import warnings

import numpy as np
import pytest

from dataset_fixtures import make_data_cfg, outputs_from_db, write_dataset_for
from mmpose.core.dataset_meta import get_dataset_meta
from mmpose.datasets import DATASETS, TopDownBaseDataset



#: Constructor arguments some classes need besides the common ones.
_EXTRA_ARGS = {'DeepFashionDataset': dict(subset='full')}


#: Fixture entries some classes take as constructor arguments.
_FILE_ARGS = ('camera_file', 'joint_file')


@pytest.mark.parametrize('type_name', sorted(DATASETS.module_dict))
def test_every_registered_dataset(tmp_path, type_name):
    cls = DATASETS.get(type_name)
    if not issubclass(cls, TopDownBaseDataset):
        pytest.skip(f'{type_name} is not a 2D top-down dataset')
    meta = get_dataset_meta(type_name)
    num_joints = meta.num_keypoints
    fixture = write_dataset_for(type_name, tmp_path, num_joints)
    seen = []

    def step(results):
        seen.append(sorted(results))
        return results

    with warnings.catch_warnings():
        # deprecated names warn (tested in test_hand_face.py)
        warnings.simplefilter('ignore', DeprecationWarning)
        dataset = DATASETS.build(
            dict(
                type=type_name,
                ann_file=fixture['ann_file'],
                img_prefix=fixture['img_prefix'],
                data_cfg=make_data_cfg(num_joints),
                pipeline=[step],
                test_mode=True,
                **{key: fixture[key] for key in _FILE_ARGS if key in fixture},
                **_EXTRA_ARGS.get(type_name, {})))
    assert len(dataset) > 0
    assert dataset.db[0]['dataset'] == meta.dataset_name
    sample = dataset[0]
    # (MPII-TRB records have no bbox_score, as in 0.x)
    assert {'image_file', 'center', 'scale', 'rotation', 'joints_3d',
            'joints_3d_visible', 'bbox_id', 'ann_info'} <= set(seen[0])
    assert sample['joints_3d'].shape == (num_joints, 3)
    assert sample['joints_3d'].dtype == np.float32
    assert dataset.ann_info['joint_weights'].shape == (num_joints, 1)

    default = inspect.signature(cls.evaluate).parameters['metric'].default
    db = dataset.db
    if type_name == 'TopDownMpiiDataset':
        joints = np.array([p['joints'] for p in fixture['people']]) - 1
        db = [dict(e, joints_3d=np.c_[j, np.zeros(num_joints)])
              for e, j in zip(db, joints)]
    results = dataset.evaluate(outputs_from_db(db), str(tmp_path / 'res'))
    if type_name == 'TopDownPoseTrack18Dataset':  # poseval's table
        assert results['Total AP'] == pytest.approx(100.0)
    elif default == 'mAP':
        assert results['AP'] == pytest.approx(1.0)
    elif type_name == 'TopDownMpiiDataset':  # MPII's PCKh is in percent
        assert results['PCKh'] == pytest.approx(100.0)
    elif type_name == 'TopDownJhmdbDataset':  # a per-joint table
        assert results['Mean PCK'] == pytest.approx(1.0)
    else:
        perfect = 0.0 if default == 'NME' else 1.0
        assert results[default] == pytest.approx(perfect)


@pytest.mark.parametrize('type_name', sorted(DATASETS.module_dict))
def test_evaluate_keeps_the_0x_signature(type_name):
    cls = DATASETS.get(type_name)
    if not issubclass(cls, TopDownBaseDataset):
        pytest.skip(f'{type_name} is not a 2D top-down dataset')
    params = list(inspect.signature(cls.evaluate).parameters.values())
    assert [p.name for p in params[:4]] == [
        'self', 'outputs', 'res_folder', 'metric'
    ]
    # res_folder is positional, second, without a default
    assert params[2].default is inspect.Parameter.empty
    assert params[2].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert params[-1].kind is inspect.Parameter.VAR_KEYWORD
