"""BottomUpGenerateTarget encodes with the registered AssociativeEmbedding
codec: the same targets and tag indices as 0.14's HeatmapGenerator and
JointsEncoder (kept as public classes) give."""
import numpy as np
import pytest

from mmpose.core.codecs import build_codec
from mmpose.datasets.pipelines import BottomUpGenerateTarget
from mmpose.datasets.pipelines.bottom_up_transform import (HeatmapGenerator,
                                                           JointsEncoder)


@pytest.mark.parametrize('use_udp', [False, True])
def test_generate_target_matches_generator_and_encoder(use_udp):
    rng = np.random.default_rng(int(use_udp))
    sizes, num_joints = [32, 64], 5
    joints = []
    for size in sizes:
        person = rng.uniform(-2, size + 2, (4, num_joints, 3))
        person[..., 2] = rng.integers(0, 3, (4, num_joints))
        joints.append(person)
    results = dict(
        ann_info=dict(num_joints=num_joints, heatmap_size=sizes, num_scales=2),
        joints=[j.copy() for j in joints],
        mask=[np.ones((s, s), bool) for s in sizes])
    out = BottomUpGenerateTarget(2, 6, use_udp=use_udp)(results)
    for i, size in enumerate(sizes):
        expected = HeatmapGenerator(size, num_joints, 2, use_udp)(joints[i])
        np.testing.assert_array_equal(out['targets'][i], expected)
        indices = JointsEncoder(6, num_joints, size, True)(joints[i])
        np.testing.assert_array_equal(out['joints'][i], indices)
        assert out['joints'][i].dtype == np.int32
        assert out['masks'][i].dtype == np.float32
        codec = build_codec(
            dict(
                type='AssociativeEmbedding',
                heatmap_size=size,
                num_joints=num_joints,
                max_num_people=6,
                use_udp=use_udp))
        np.testing.assert_array_equal(
            codec.encode(joints[i])['target'], expected)
