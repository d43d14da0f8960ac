import numpy as np
import pytest
import torch

from mmpose.core.codecs import AssociativeEmbedding, build_codec
from mmpose.utils import ArgumentError


def test_encode_decode_round_trip():
    codec = build_codec(
        dict(
            type='AssociativeEmbedding',
            heatmap_size=[48, 48],
            num_joints=4,
            max_num_people=5))
    assert isinstance(codec, AssociativeEmbedding)
    joints = np.zeros((3, 4, 3), np.float32)
    joints[..., 0] = [[4, 12, 20, 28], [6, 14, 22, 30], [40, 36, 32, 44]]
    joints[..., 1] = [[4, 4, 4, 4], [20, 20, 20, 20], [40, 30, 8, 44]]
    joints[..., 2] = 1
    joints[2, 3, 2] = 0  # not visible: no peak, no tag index
    enc = codec.encode(joints)
    assert enc['target'].shape == (4, 48, 48)
    assert enc['joints'].shape == (5, 4, 2)
    assert enc['joints'].dtype == np.int32
    assert enc['target'][1, 4, 12] == 1
    assert enc['joints'][2, :, 1].tolist() == [1, 1, 1, 0]
    # a model that predicts the targets and, at each encoded joint, its
    # person's id as tag
    tags = np.zeros(4 * 48 * 48, np.float32)
    for person, rows in enumerate(enc['joints']):
        for index, visible in rows:
            if visible:
                tags[index] = 3. * (person + 1)
    heatmaps = torch.from_numpy(enc['target'])[None]
    tag_maps = torch.from_numpy(tags.reshape(1, 4, 48, 48, 1))
    coords, scores = codec.decode((heatmaps, tag_maps))
    assert coords.shape == (3, 4, 2) and scores.shape == (3, 4, 1)
    order = np.argsort(coords[:, 0, 0])
    coords, scores = coords[order], scores[order]
    visible = joints[..., 2] > 0
    # adjust: + 0.5 - 0.25 on whole-pixel peaks
    np.testing.assert_allclose(coords[visible], joints[visible][:, :2] + .25)
    np.testing.assert_allclose(scores[visible][:, 0], 1.)
    # refine (as 0.14) fills the missing joint with the peak whose tag is
    # nearest (person 1's, tag 6 vs 9)
    np.testing.assert_allclose(coords[2, 3], joints[1, 3, :2] + .25)
    codec.grouping['refine'] = False
    _, scores = codec.decode((heatmaps, tag_maps))
    assert np.sort(scores[:, 3, 0]).tolist() == [0., 1., 1.]


def test_encode_visibility_argument_and_checks():
    codec = AssociativeEmbedding(heatmap_size=16, num_joints=2, sigma=1)
    xy = np.array([[[3., 4.], [5., 6.]]])
    enc = codec.encode(xy, np.array([[1, 0]]))
    assert enc['target'][0, 4, 3] == 1 and enc['target'][1].max() == 0
    assert enc['joints'][0].tolist() == [[4 * 16 + 3, 1], [0, 0]]
    with pytest.raises(ArgumentError):
        AssociativeEmbedding(heatmap_size=[16, 8]).encode(xy)
    with pytest.raises(ArgumentError):
        AssociativeEmbedding(heatmap_size=16, nms=3)
