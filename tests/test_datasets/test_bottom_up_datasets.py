import json
from pathlib import Path

import numpy as np
import pytest
from mmcv import Config
from pycocotools import mask as mask_utils

from mmpose.datasets import BottomUpBaseDataset, build_dataset

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / '..' / 'shared' / 'datasets'
needs_shared = pytest.mark.skipif(
    not (SHARED / 'coco' / 'test_coco.json').is_file(),
    reason='shared dataset samples absent')


def _data_cfg(num_joints=17, **kwargs):
    cfg = dict(
        image_size=512,
        base_size=256,
        base_sigma=2,
        heatmap_size=[128, 256],
        num_joints=num_joints,
        num_scales=2,
        scale_aware_sigma=False,
        inference_channel=list(range(num_joints)),
        dataset_channel=[list(range(num_joints))])
    cfg.update(kwargs)
    return cfg


def _build(kind, folder, ann, num_joints, test_mode=False, pipeline=(),
           **cfg):
    return build_dataset(
        dict(
            type=kind,
            ann_file=str(SHARED / folder / ann),
            img_prefix=str(SHARED / folder) + '/',
            data_cfg=_data_cfg(num_joints, **cfg),
            pipeline=list(pipeline),
            test_mode=test_mode))


def _gt_outputs(dataset):
    """The ground truth of each image as 0.14's test outputs."""
    outputs = []
    for img_id in dataset.img_ids:
        anns = dataset.coco.loadAnns(dataset.coco.getAnnIds(imgIds=img_id))
        people = [
            np.concatenate((np.array(a['keypoints'], np.float32).reshape(
                -1, 3), np.zeros((dataset.ann_info['num_joints'], 1))), 1)
            for a in anns if a.get('num_keypoints', 1) > 0
        ]
        for p in people:
            p[:, 2] = 1.
        outputs.append((people, [1.] * len(people),
                        [dataset._image_file(img_id)], None))
    return outputs


@needs_shared
def test_coco_records_and_masks():
    dataset = _build('BottomUpCocoDataset', 'coco', 'test_coco.json', 17)
    assert len(dataset) == 4
    assert dataset.ann_info['flip_index'][:3] == [0, 2, 1]
    coco = dataset.coco
    for idx, img_id in enumerate(dataset.img_ids):
        rec = dataset._get_single(idx)
        anns = coco.loadAnns(coco.getAnnIds(imgIds=img_id))
        assert len(rec['joints']) == len(rec['mask']) == 2
        assert rec['joints'][0].shape == (len(anns), 17, 3)
        np.testing.assert_array_equal(
            rec['joints'][0].reshape(len(anns), -1),
            [a['keypoints'] for a in anns])
        info = coco.loadImgs(img_id)[0]
        assert rec['mask'][0].shape == (info['height'], info['width'])
        # people without keypoints are masked out (their polygons)
        expected = np.ones((info['height'], info['width']), bool)
        for a in anns:
            if a['num_keypoints'] == 0:
                rles = mask_utils.frPyObjects(a['segmentation'],
                                              info['height'], info['width'])
                expected &= ~mask_utils.decode(
                    mask_utils.merge(rles)).astype(bool)
        np.testing.assert_array_equal(rec['mask'][0], expected)


@needs_shared
def test_coco_evaluate_ground_truth_is_perfect(tmp_path):
    dataset = _build(
        'BottomUpCocoDataset', 'coco', 'test_coco.json', 17, test_mode=True)
    results = dataset.evaluate(_gt_outputs(dataset), str(tmp_path), 'mAP')
    assert results['AP'] == pytest.approx(1.0)
    assert results['AR'] == pytest.approx(1.0)
    written = json.load(open(tmp_path / 'result_keypoints.json'))
    assert {'image_id', 'category_id', 'keypoints', 'score',
            'bbox'} == set(written[0])
    # moving every keypoint 20 px lowers the AP
    moved = [([p + [20, 20, 0, 0] for p in people], s, path, h)
             for people, s, path, h in _gt_outputs(dataset)]
    assert dataset.evaluate(moved, str(tmp_path))['AP'] < 0.9
    # nothing found: zeros
    empty = [([], [], path, None) for _, _, path, _ in _gt_outputs(dataset)]
    assert dataset.evaluate(empty, str(tmp_path))['AP'] == 0
    with pytest.raises(KeyError):
        dataset.evaluate([], str(tmp_path), metric='PCK')


@needs_shared
def test_nms_drops_duplicates(tmp_path):
    dataset = _build(
        'BottomUpCocoDataset',
        'coco',
        'test_coco.json',
        17,
        test_mode=True,
        use_nms=True,
        soft_nms=False)
    doubled = [(people + people, s + [0.5] * len(s), path, h)
               for people, s, path, h in _gt_outputs(dataset)]
    assert dataset.evaluate(doubled, str(tmp_path))['AP'] == pytest.approx(1)


@needs_shared
@pytest.mark.parametrize('kind,folder,ann,k', [
    ('BottomUpCrowdPoseDataset', 'crowdpose', 'test_crowdpose.json', 14),
    ('BottomUpAicDataset', 'aic', 'test_aic.json', 14),
    ('BottomUpMhpDataset', 'mhp', 'test_mhp.json', 16),
])
def test_other_datasets_evaluate_ground_truth(kind, folder, ann, k, tmp_path):
    dataset = _build(kind, folder, ann, k, test_mode=True)
    assert dataset.ann_info['num_joints'] == k
    results = dataset.evaluate(_gt_outputs(dataset), str(tmp_path))
    assert list(results) == list(dataset.stats_names)
    assert results['AP'] == pytest.approx(1.0)


@needs_shared
def test_train_pipeline_sample():
    config = (REPO / 'configs' / 'bottom_up' / 'higherhrnet' / 'coco' /
              'higher_hrnet32_coco_512x512.py')
    pipeline = Config.fromfile(str(config)).train_pipeline
    dataset = _build(
        'BottomUpCocoDataset',
        'coco',
        'test_coco.json',
        17,
        pipeline=pipeline,
        image_size=256,
        heatmap_size=[64, 128])
    sample = dataset[0]
    assert tuple(sample['img'].shape) == (3, 256, 256)
    assert [t.shape for t in sample['targets']] == [(17, 64, 64),
                                                    (17, 128, 128)]
    assert [m.shape for m in sample['masks']] == [(64, 64), (128, 128)]
    assert [j.shape for j in sample['joints']] == [(30, 17, 2)] * 2
    # the dataset's ann_info is not written by the pipeline
    assert 'aug_data' not in dataset.ann_info


def _write_crowd_fixture(tmp_path, compressed):
    crowd = np.zeros((20, 30), np.uint8, order='F')
    crowd[5:10, 10:20] = 1
    if compressed:
        rle = mask_utils.encode(crowd)
        rle['counts'] = rle['counts'].decode()
    else:
        # COCO's crowd format: run lengths, column-major, from a 0 run
        flat = crowd.ravel(order='F')
        changes = np.flatnonzero(np.diff(flat)) + 1
        bounds = np.concatenate(([0], changes, [flat.size]))
        rle = dict(size=[20, 30], counts=np.diff(bounds).tolist())
    ann = dict(
        images=[dict(id=1, file_name='a.jpg', height=20, width=30)],
        categories=[dict(id=1, name='person', keypoints=['a', 'b'])],
        annotations=[
            dict(id=1, image_id=1, category_id=1, iscrowd=1,
                 num_keypoints=0, segmentation=rle, keypoints=[0] * 6,
                 bbox=[10, 5, 10, 5], area=50),
            dict(id=2, image_id=1, category_id=1, iscrowd=0,
                 num_keypoints=2, keypoints=[3, 4, 2, 6, 7, 1],
                 bbox=[0, 0, 10, 10], area=100,
                 segmentation=[[0, 0, 9, 0, 9, 9, 0, 9]]),
        ])
    path = tmp_path / 'crowd.json'
    path.write_text(json.dumps(ann))
    return path, crowd


@pytest.mark.parametrize('compressed', [False, True])
def test_crowd_rle_mask_and_scale_aware_sigma(tmp_path, compressed):
    path, crowd = _write_crowd_fixture(tmp_path, compressed)
    dataset = BottomUpBaseDataset(
        str(path), str(tmp_path) + '/',
        _data_cfg(2, scale_aware_sigma=True, num_scales=1,
                  heatmap_size=[64]), [])
    rec = dataset._get_single(0)
    np.testing.assert_array_equal(rec['mask'][0], crowd == 0)
    # the crowd is dropped from the people; sigma 10 / 256 * 2
    joints = rec['joints'][0]
    assert joints.shape == (1, 2, 4)
    np.testing.assert_allclose(joints[0, :, :3], [[3, 4, 2], [6, 7, 1]])
    np.testing.assert_allclose(joints[0, :, 3], 10 / 256 * 2)
