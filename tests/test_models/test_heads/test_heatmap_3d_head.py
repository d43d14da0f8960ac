import numpy as np
import pytest
import torch

from mmpose.models import build_head
from mmpose.models.keypoint_heads.heatmap_3d_head import _get_max_preds_3d
from mmpose.utils import ArgumentError

K, D, H, W = 3, 4, 8, 8


def _head(**kwargs):
    cfg = dict(
        type='HeatMap3DHead',
        in_channels=6,
        out_channels=K * D,
        depth_size=D,
        num_deconv_layers=1,
        num_deconv_filters=(5, ),
        num_deconv_kernels=(4, ),
        loss_keypoint=dict(type='JointsMSELoss', use_target_weight=True))
    cfg.update(kwargs)
    return build_head(cfg)


def _one_hot(points, score=1.0):
    """3D heatmaps [N, K, D, H, W] with ``score`` at (x, y, z) of each
    keypoint ``points[n, k]`` and small noise-free zeros elsewhere."""
    N = len(points)
    heatmaps = np.zeros((N, K, D, H, W), dtype=np.float32)
    for n in range(N):
        for k, (x, y, z) in enumerate(points[n]):
            heatmaps[n, k, z, y, x] = score
    return heatmaps


def test_state_dict_keys_and_output_shape():
    head = _head()
    assert sorted(head.state_dict()) == sorted([
        'deconv_layers.0.weight', 'deconv_layers.1.weight',
        'deconv_layers.1.bias', 'deconv_layers.1.running_mean',
        'deconv_layers.1.running_var', 'deconv_layers.1.num_batches_tracked',
        'final_layer.weight', 'final_layer.bias'
    ])
    head.init_weights()
    out = head(torch.rand(2, 6, 4, 4))
    assert out.shape == (2, K, D, 8, 8)


def test_out_channels_must_be_multiple_of_depth():
    with pytest.raises(ArgumentError, match='depth_size'):
        _head(out_channels=K * D + 1)


def test_get_max_preds_3d():
    points = np.array([[[1, 2, 3], [7, 0, 0], [4, 5, 1]]])
    heatmaps = _one_hot(points, score=0.5)
    heatmaps[0, 2] = 0  # no positive maximum: -1
    preds, maxvals = _get_max_preds_3d(heatmaps)
    assert preds.shape == (1, K, 3) and maxvals.shape == (1, K, 1)
    assert preds[0].tolist() == [[1, 2, 3], [7, 0, 0], [-1, -1, -1]]
    assert maxvals[0, :, 0].tolist() == [0.5, 0.5, 0.0]
    with pytest.raises(ArgumentError):
        _get_max_preds_3d(heatmaps[0])


def test_loss_and_accuracy():
    head = _head()
    points = np.array([[[1, 2, 3], [7, 0, 0], [4, 5, 1]],
                       [[0, 0, 0], [3, 3, 3], [6, 6, 2]]])
    target = torch.from_numpy(_one_hot(points))
    output = target.clone()
    output[0, 0] = 0
    output[0, 0, 3, 2, 5] = 1  # x off by 4 pixels: 4 / (8 / 10) > 0.05
    weight = torch.ones(2, K, 1)
    weight[1, 2] = 0
    loss = head.get_loss(output, target, weight)['heatmap_loss']
    # JointsMSELoss (0.14): per joint the mean squared error over the batch
    # and voxels, averaged over joints; only joint 0 of sample 0 differs,
    # in two of its D*H*W voxels.
    expected = 2 / (2 * D * H * W) / K
    assert loss.item() == pytest.approx(expected)
    acc = head.get_accuracy(output, target, weight)['acc_pose']
    # joint 0: 1 of 2 right, joint 1: 2 of 2, joint 2: 1 of 1.
    assert acc == pytest.approx((0.5 + 1 + 1) / 3)
    with pytest.raises(ArgumentError):
        head.get_loss(output[:, 0], target[:, 0], weight)


def test_flip_test_swaps_keypoints_not_depth_bins():
    head = _head(test_cfg=dict(shift_heatmap=False))
    head.eval()
    x = torch.rand(1, 6, 4, 4)
    plain = head.inference_model(x)
    flipped = head.inference_model(x, flip_pairs=[[0, 1]])
    # Keypoint 0 of the flipped-back output is keypoint 1 mirrored in W,
    # every depth bin kept in place.
    np.testing.assert_allclose(flipped[:, 0], plain[:, 1, :, :, ::-1])
    np.testing.assert_allclose(flipped[:, 1], plain[:, 0, :, :, ::-1])
    np.testing.assert_allclose(flipped[:, 2], plain[:, 2, :, :, ::-1])
    shifted = _head(test_cfg=dict(shift_heatmap=True))
    shifted.load_state_dict(head.state_dict())
    shifted.eval()
    out = shifted.inference_model(x, flip_pairs=[[0, 1]])
    np.testing.assert_allclose(out[..., 1:], flipped[..., :-1])


def test_decode():
    head = _head()
    points = np.array([[[1, 2, 3], [7, 0, 0], [4, 4, 1]]])
    output = _one_hot(points, score=0.75)
    metas = [dict(image_file='a.jpg', center=[100., 50.], scale=[0.8, 0.8],
                  rotation=0, bbox_score=1, bbox_id=7)]
    result = head.decode(metas, output)
    preds = result['preds']
    assert preds.shape == (1, K, 4)
    # The 8x8 heatmap covers a 160x160 box centred at (100, 50): 20 px per
    # heatmap pixel, heatmap (0, 0) at (20, -30).
    np.testing.assert_allclose(
        preds[0], [[40, 10, 3, 0.75], [160, -30, 0, 0.75],
                   [100, 50, 1, 0.75]])
    assert result['bbox_ids'] == [7] and result['image_paths'] == ['a.jpg']
