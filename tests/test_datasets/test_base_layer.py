"""The shared dataset layer: build_ann_info and bbox_xywh2cs."""
import numpy as np
import pytest

from dataset_fixtures import make_data_cfg
from mmpose.core.dataset_meta import get_dataset_meta
from mmpose.datasets.datasets.base import (bbox_xywh2cs, build_ann_info,
                                           coco_keypoints_to_joints)
from mmpose.utils import ArgumentError


def test_build_ann_info_top_down():
    info = build_ann_info(make_data_cfg(16), get_dataset_meta('mpii'))
    np.testing.assert_array_equal(info['image_size'], [192, 256])
    assert isinstance(info['image_size'], np.ndarray)
    assert info['num_joints'] == info['num_output_channels'] == 16
    assert info['flip_pairs'][:2] == [[0, 5], [1, 4]]
    assert info['joint_weights'].shape == (16, 1)
    assert info['use_different_joint_weights'] is False
    bare = build_ann_info(make_data_cfg(3))
    assert bare['flip_pairs'] == [] and bare['joint_weights'].sum() == 3


def test_build_ann_info_bottom_up():
    cfg = dict(
        image_size=512,
        heatmap_size=[128, 256],
        num_joints=17,
        num_scales=2,
        scale_aware_sigma=False,
        inference_channel=list(range(17)),
        dataset_channel=[list(range(17))])
    info = build_ann_info(cfg, get_dataset_meta('coco'), bottom_up=True)
    assert info['image_size'] == 512 and info['num_scales'] == 2
    assert info['flip_index'][:3] == [0, 2, 1]
    assert 'num_output_channels' not in info


def test_build_ann_info_checks():
    with pytest.raises(KeyError, match='heatmap_size'):
        build_ann_info(dict(image_size=[1, 1]))
    with pytest.raises(ArgumentError, match='num_joints=14'):
        build_ann_info(make_data_cfg(14), get_dataset_meta('coco'))


def test_bbox_xywh2cs_vectorised():
    boxes = np.array([[0, 0, 300, 100], [10, 20, 30, 200], [0, 0, 75, 100]])
    center, scale = bbox_xywh2cs(boxes, 192 / 256)
    # wide: h grows to 300 / 0.75; tall: w grows to 200 * 0.75; exact: as is
    np.testing.assert_allclose(center, [[150, 50], [25, 120], [37.5, 50]])
    np.testing.assert_allclose(
        scale,
        np.array([[300, 400], [150, 200], [75, 100]]) / 200 * 1.25,
        rtol=1e-6)
    assert center.dtype == scale.dtype == np.float32
    c1, s1 = bbox_xywh2cs(boxes[1], 192 / 256, padding=1.0)
    assert c1.shape == s1.shape == (2, )
    np.testing.assert_allclose(s1, [0.75, 1.0])


def test_coco_keypoints_to_joints():
    joints, visible = coco_keypoints_to_joints(
        [[1, 2, 2, 3, 4, 0], [5, 6, 1, 0, 0, 0]], 2)
    # [K, 3] lists (RHD) give the same
    nested = coco_keypoints_to_joints([[[1, 2, 2], [3, 4, 0]]], 2)
    np.testing.assert_array_equal(nested[0][0], joints[0])
    np.testing.assert_array_equal(joints[0], [[1, 2, 0], [3, 4, 0]])
    np.testing.assert_array_equal(visible[:, :, 0], [[1, 0], [1, 0]])
    np.testing.assert_array_equal(visible[..., 2], 0)
    assert joints.dtype == visible.dtype == np.float32
