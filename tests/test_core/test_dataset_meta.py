import json
from pathlib import Path

import numpy as np
import pytest

from mmpose.core.dataset_meta import (DatasetMeta, get_dataset_meta,
                                      known_dataset_names)

SHARED_COCO_JSON = (Path(__file__).resolve().parents[2] / '..' / 'shared' /
                    'datasets' / 'coco' / 'test_coco.json')


@pytest.mark.parametrize(
    'name', ['TopDownCocoDataset', 'BottomUpCocoDataset', 'coco'])
def test_coco_names_share_one_record(name):
    meta = get_dataset_meta(name)
    reference = get_dataset_meta('TopDownCocoDataset')
    assert meta.dataset_name == 'coco'
    assert meta.keypoint_names == reference.keypoint_names
    assert meta.flip_pairs == reference.flip_pairs
    np.testing.assert_array_equal(meta.sigmas, reference.sigmas)


def test_unknown_name_lists_known_names():
    with pytest.raises(KeyError) as err:
        get_dataset_meta('TopDownCocoDatset')
    message = str(err.value)
    assert 'TopDownCocoDatset' in message
    for name in known_dataset_names():
        assert name in message
    with pytest.raises(KeyError):
        get_dataset_meta(['not', 'hashable'])


def test_returns_independent_copies():
    meta = get_dataset_meta('coco')
    meta.flip_pairs.append([0, 0])
    meta.joint_weights[:] = 0
    fresh = get_dataset_meta('coco')
    assert [0, 0] not in fresh.flip_pairs
    assert fresh.joint_weights.max() == pytest.approx(1.5)


def test_coco_tables_are_consistent():
    meta = get_dataset_meta('coco')
    names = meta.keypoint_names
    assert meta.num_keypoints == len(names) == 17
    # each flip pair swaps a left_* keypoint with its right_* twin
    for left, right in meta.flip_pairs:
        assert names[left].startswith('left_')
        assert names[right] == 'right_' + names[left][len('left_'):]
    sided = {i for i, n in enumerate(names) if n.startswith(('left', 'right'))}
    assert {i for pair in meta.flip_pairs for i in pair} == sided
    # flip_index is an involution consistent with the pairs
    flip = meta.flip_index
    assert [flip[i] for i in flip] == list(range(17))
    assert all(flip[a] == b for a, b in meta.flip_pairs)
    # the body halves partition the keypoints; hips and below are lower
    assert set(meta.upper_body_ids) | set(meta.lower_body_ids) == set(
        range(17))
    assert not set(meta.upper_body_ids) & set(meta.lower_body_ids)
    assert min(meta.lower_body_ids) == names.index('left_hip')
    # joint weights: symmetric, and heavier at the extremities
    w = meta.joint_weights
    assert w.dtype == np.float32 and w.shape == (17, )
    assert all(w[a] == w[b] for a, b in meta.flip_pairs)
    assert w[names.index('left_wrist')] > w[names.index('left_shoulder')]


def test_coco_sigmas_match_cocoeval_defaults():
    from xtcocotools.cocoeval import COCOeval
    meta = get_dataset_meta('coco')
    assert meta.sigmas.dtype == np.float64
    np.testing.assert_array_equal(meta.sigmas,
                                  COCOeval(iouType='keypoints').sigmas)


def test_coco_skeleton_and_colours():
    meta = get_dataset_meta('coco')
    links = np.array(meta.skeleton)
    assert links.shape == (19, 2)
    assert links.min() == 1 and links.max() == 17  # 1-based, as 0.x
    # the skeleton maps onto itself under a horizontal flip
    flip = meta.flip_index
    as_set = {frozenset(link) for link in meta.skeleton}
    assert {frozenset(flip[i - 1] + 1 for i in link)
            for link in meta.skeleton} == as_set
    assert meta.pose_kpt_color.shape == (17, 3)
    assert meta.pose_link_color.shape == (19, 3)
    assert meta.pose_limb_color is meta.pose_link_color
    for colours in (meta.pose_kpt_color, meta.pose_link_color):
        assert colours.min() >= 0 and colours.max() <= 255


@pytest.mark.skipif(
    not SHARED_COCO_JSON.is_file(), reason='shared COCO sample not present')
def test_coco_matches_annotation_file_category():
    with open(SHARED_COCO_JSON) as f:
        category = json.load(f)['categories'][0]
    meta = get_dataset_meta('coco')
    assert list(meta.keypoint_names) == category['keypoints']
    assert meta.skeleton == category['skeleton']


def test_dataset_meta_checks_its_tables():
    names = ('a', 'left_b', 'right_b')
    meta = DatasetMeta('toy', names, flip_pairs=[[1, 2]], skeleton=[[1, 2]])
    np.testing.assert_array_equal(meta.joint_weights, [1, 1, 1])
    info = meta.ann_info()
    assert info['flip_pairs'] == [[1, 2]]
    assert info['joint_weights'].shape == (3, 1)
    assert info['upper_body_ids'] == () == info['lower_body_ids']
    assert meta.flip_index == [0, 2, 1]
    with pytest.raises(ValueError, match='sigmas has 2 entries, expected 3'):
        DatasetMeta('toy', names, sigmas=[.1, .2])
    with pytest.raises(ValueError, match='index'):
        DatasetMeta('toy', names, flip_pairs=[[1, 3]])
    with pytest.raises(ValueError, match='index'):
        DatasetMeta('toy', names, skeleton=[[0, 1]])
    with pytest.raises(ValueError, match='pose_link_color'):
        DatasetMeta(
            'toy', names, skeleton=[[1, 2]], pose_link_color=[[0, 0, 0]] * 2)


def test_every_family_module_is_read():
    names = set(known_dataset_names())
    for type_name in ('TopDownMpiiDataset', 'TopDownAicDataset',
                      'TopDownCrowdPoseDataset', 'TopDownOCHumanDataset',
                      'TopDownMhpDataset', 'OneHand10KDataset',
                      'Rhd2DDataset', 'Face300WDataset', 'FaceWFLWDataset',
                      'TopDownPanopticDataset'):
        assert type_name in names


@pytest.mark.parametrize('name, num, pairs_head', [
    ('mpii', 16, [[0, 5], [1, 4]]),
    ('mhp', 16, [[0, 5], [1, 4]]),
    ('aic', 14, [[0, 3], [1, 4]]),
    ('crowdpose', 14, [[0, 1], [2, 3]]),
    ('300w', 68, [[0, 16], [1, 15]]),
    ('aflw', 19, [[0, 5], [1, 4]]),
    ('cofw', 29, [[0, 1], [4, 6]]),
    ('wflw', 98, [[0, 32], [1, 31]]),
    ('onehand10k', 21, []),
])
def test_family_tables(name, num, pairs_head):
    meta = get_dataset_meta(name)
    assert meta.num_keypoints == num
    assert meta.flip_pairs[:len(pairs_head)] == pairs_head
    # a keypoint is in at most one flip pair
    ids = [i for pair in meta.flip_pairs for i in pair]
    assert len(ids) == len(set(ids))


def test_face_flip_pair_counts():
    # 0.x's tables: 300W 29 pairs, AFLW 8, COFW 11, WFLW 44 (contour 16,
    # brows 9, eyes 8, nose 2, lips 8, pupils 1)
    for name, count in (('300w', 29), ('aflw', 8), ('cofw', 11),
                        ('wflw', 44)):
        assert len(get_dataset_meta(name).flip_pairs) == count, name


def test_rhd_fingers_run_tip_to_base():
    names = get_dataset_meta('rhd').keypoint_names
    assert names[:5] == ('wrist', 'thumb4', 'thumb3', 'thumb2', 'thumb1')
    assert get_dataset_meta('freihand').keypoint_names[1] == 'thumb1'


def test_ochuman_and_mhp_reuse_tables():
    coco, ochuman = get_dataset_meta('coco'), get_dataset_meta('ochuman')
    assert ochuman.keypoint_names == coco.keypoint_names
    np.testing.assert_array_equal(ochuman.sigmas, coco.sigmas)
    mpii, mhp = get_dataset_meta('mpii'), get_dataset_meta('mhp')
    assert mpii.sigmas is None
    assert mhp.flip_pairs == mpii.flip_pairs
    assert mhp.sigmas[12] == pytest.approx(0.179)
