import numpy as np
import pytest
import torch
import torch.nn as nn

from mmpose.core.codecs import MegviiHeatmap, MSRAHeatmap, UDPHeatmap
from mmpose.models import build_head
from mmpose.models.keypoint_heads import TopDownSimpleHead, top_down_base_head

LOSS = dict(type='JointsMSELoss', use_target_weight=True)


def _head(**kwargs):
    cfg = dict(
        type='TopDownSimpleHead',
        in_channels=8,
        out_channels=4,
        loss_keypoint=LOSS)
    cfg.update(kwargs)
    return build_head(cfg)


def _identity_head(**kwargs):
    """A head that passes its input features through as heatmaps."""
    return _head(
        in_channels=4,
        num_deconv_layers=0,
        extra=dict(final_conv_kernel=0),
        **kwargs)


def test_layers_and_state_dict_names():
    head = _head(num_deconv_filters=(16, 16, 16))
    keys = set(head.state_dict())
    assert {
        'deconv_layers.0.weight', 'deconv_layers.1.running_mean',
        'deconv_layers.6.weight', 'deconv_layers.7.num_batches_tracked',
        'final_layer.weight', 'final_layer.bias'
    } <= keys
    assert head.final_layer.weight.shape == (4, 16, 1, 1)
    out = head(torch.randn(2, 8, 4, 3))
    assert out.shape == (2, 4, 32, 24)

    head = _head(
        num_deconv_layers=2,
        num_deconv_filters=(8, 6),
        num_deconv_kernels=(3, 2))
    assert head(torch.randn(1, 8, 4, 3)).shape == (1, 4, 16, 12)

    head = _head(num_deconv_layers=0)
    assert isinstance(head.deconv_layers, nn.Identity)
    assert head(torch.randn(1, 8, 4, 3)).shape == (1, 4, 4, 3)


def test_014_layer_method_names():
    head = _head(num_deconv_layers=0)
    # 0.14's TopDownSimpleHead methods, now from head_layers
    assert head._get_deconv_cfg(4) == (4, 1, 0)
    assert head._get_deconv_cfg(3) == (3, 1, 1)
    assert head._get_deconv_cfg(2) == (2, 0, 0)
    layers = head._make_deconv_layer(2, (6, 5), (4, 2))
    assert head.in_channels == 5 and len(layers) == 6
    assert layers(torch.randn(1, 8, 3, 4)).shape == (1, 5, 12, 16)
    head._init_inputs([2, 3], [1, 0], 'resize_concat')
    assert head.in_channels == 5


def test_extra_final_layers():
    head = _head(num_deconv_layers=0, extra=dict(final_conv_kernel=3))
    assert head.final_layer.kernel_size == (3, 3)
    assert head(torch.randn(1, 8, 5, 5)).shape == (1, 4, 5, 5)
    head = _head(num_deconv_layers=0, extra=dict(final_conv_kernel=0))
    assert isinstance(head.final_layer, nn.Identity)
    head = _head(
        num_deconv_layers=0,
        extra=dict(
            final_conv_kernel=1, num_conv_layers=2, num_conv_kernels=(3, 1)))
    assert isinstance(head.final_layer, nn.Sequential)
    assert len(head.final_layer) == 7
    assert head.final_layer[0].kernel_size == (3, 3)
    assert head(torch.randn(1, 8, 5, 5)).shape == (1, 4, 5, 5)


def test_invalid_args():
    with pytest.raises(ValueError):
        _head(num_deconv_layers=-1)
    with pytest.raises(ValueError):
        _head(num_deconv_layers=3, num_deconv_filters=(16, 16))
    with pytest.raises(ValueError):
        _head(
            num_deconv_layers=2,
            num_deconv_filters=(16, 16),
            num_deconv_kernels=(4, ))
    with pytest.raises(ValueError):
        _head(
            num_deconv_layers=1,
            num_deconv_filters=(16, ),
            num_deconv_kernels=(5, ))
    with pytest.raises(TypeError):
        _head(extra=[1])
    with pytest.raises(TypeError, match='extra'):  # as 0.14: not a dict
        _head(extra=[])
    with pytest.raises(AssertionError):
        _head(extra=dict(final_conv_kernel=2))
    with pytest.raises(AssertionError):
        _head(input_transform='concat')
    with pytest.raises(AssertionError):
        _head(in_channels=[8, 8], input_transform=None)


def test_input_transforms():
    feats = [torch.randn(1, 8, 4, 4), torch.randn(1, 6, 2, 2)]
    head = _head(
        in_channels=[8, 6],
        in_index=[0, 1],
        input_transform='resize_concat',
        num_deconv_layers=0)
    assert head.in_channels == 14
    assert head(feats).shape == (1, 4, 4, 4)

    head = _identity_head(in_index=1)
    feats = [torch.randn(1, 4, 4, 4), torch.randn(1, 4, 2, 2)]
    assert torch.equal(head(feats), feats[1])
    # a single tensor is used as is
    assert torch.equal(head(feats[0]), feats[0])

    head = _head(
        in_channels=[8, 6],
        in_index=[1, 0],
        input_transform='multiple_select',
        num_deconv_layers=0,
        extra=dict(final_conv_kernel=0))
    selected = head._transform_inputs(feats)
    assert selected[0] is feats[1] and selected[1] is feats[0]


def test_init_weights():
    head = _head(num_deconv_filters=(16, 16, 16))
    head.init_weights()
    assert torch.all(head.final_layer.bias == 0)
    assert head.final_layer.weight.std() < 0.01
    assert head.deconv_layers[0].weight.std() < 0.01
    assert torch.all(head.deconv_layers[1].weight == 1)


def test_get_loss_and_accuracy():
    head = _head()
    # 1 sample, 2 keypoints, 2 x 2 maps; keypoint 1 is weighted out.
    output = torch.tensor([[[[1., 0.], [0., 2.]], [[5., 5.], [5., 5.]]]])
    target = torch.tensor([[[[0., 0.], [1., 0.]], [[0., 0.], [0., 0.]]]])
    weight = torch.tensor([[[1.], [0.]]])
    losses = head.get_loss(output, target, weight)
    # keypoint 0: squared errors 1, 0, 1, 4 -> mean 1.5; keypoint 1: 0;
    # averaged over the 2 keypoints: 0.75
    expected = torch.tensor(0.75)
    assert torch.allclose(losses['mse_loss'], expected)

    # multi-stage outputs: summed, with shared or per-output targets
    losses = head.get_loss([output, target], target, weight)
    assert torch.allclose(losses['mse_loss'], expected)
    stacked = torch.stack([target, output], dim=1)
    losses = head.get_loss([output, target], stacked,
                           torch.stack([weight, weight], dim=1))
    assert torch.allclose(losses['mse_loss'], 2 * expected)
    weight = torch.ones(2, 4, 1)

    # a single gaussian peak per heatmap, predicted exactly: PCK is 1
    ys, xs = torch.meshgrid(torch.arange(8.), torch.arange(6.), indexing='ij')
    peaks = torch.tensor([[1, 1], [4, 2], [2, 6], [5, 5]])
    heatmaps = torch.stack([
        torch.exp(-((xs - x)**2 + (ys - y)**2) / 2) for x, y in peaks
    ])[None].repeat(2, 1, 1, 1)
    acc = head.get_accuracy(heatmaps, heatmaps, weight)
    assert acc == {'acc_pose': 1.0}
    # shifting every prediction far away drops PCK to 0
    acc = head.get_accuracy(heatmaps.flip(2).flip(3), heatmaps, weight)
    assert acc['acc_pose'] < 0.5

    head = _head(test_cfg=dict(target_type='CombinedTarget', use_udp=True))
    assert head.get_accuracy(heatmaps, heatmaps, weight) == {}

    head = _head(loss_keypoint=None)  # inference only
    with pytest.raises(RuntimeError, match='loss_keypoint'):
        head.get_loss(output, target, weight)


def test_inference_model_flip():
    feats = torch.rand(2, 4, 5, 6)
    head = _identity_head()
    heatmap = head.inference_model(feats)
    assert isinstance(heatmap, np.ndarray)
    np.testing.assert_array_equal(heatmap, feats.numpy())

    flip_pairs = [[0, 1], [2, 3]]
    flipped = head.inference_model(feats, flip_pairs=flip_pairs)
    expected = feats.numpy()[:, [1, 0, 3, 2], :, ::-1]
    np.testing.assert_array_equal(flipped, expected)

    head = _identity_head(test_cfg=dict(shift_heatmap=True))
    shifted = head.inference_model(feats, flip_pairs=flip_pairs)
    np.testing.assert_array_equal(shifted[..., 1:], expected[..., :-1])
    np.testing.assert_array_equal(shifted[..., 0], expected[..., 0])


def test_decode():
    head = _identity_head(test_cfg=dict(post_process=None))
    heatmaps = np.zeros((2, 4, 16, 12), dtype=np.float32)
    heatmaps[:, :, 5, 3] = 0.75
    img_metas = [
        dict(
            image_file=f'{i}.jpg',
            center=np.array([100., 120.]),
            scale=np.array([0.6, 0.8]),
            rotation=0,
            bbox_score=0.5 + i,
            bbox_id=10 + i) for i in range(2)
    ]
    result = head.decode(img_metas, heatmaps, img_size=[192, 256])
    assert result['image_paths'] == ['0.jpg', '1.jpg']
    assert result['bbox_ids'] == [10, 11]
    preds = result['preds']
    assert preds.shape == (2, 4, 3) and preds.dtype == np.float32
    # x = 3 * (0.6 * 200 / 12) + 100 - 60, y = 5 * (0.8 * 200 / 16) + 120 - 80
    np.testing.assert_allclose(preds[..., 0], 70.)
    np.testing.assert_allclose(preds[..., 1], 90.)
    np.testing.assert_allclose(preds[..., 2], 0.75)
    np.testing.assert_allclose(
        result['boxes'],
        [[100, 120, 0.6, 0.8, 19200, 0.5], [100, 120, 0.6, 0.8, 19200, 1.5]],
        rtol=1e-6)

    del img_metas[0]['bbox_id'], img_metas[0]['bbox_score']
    result = head.decode(img_metas[:1], heatmaps[:1])
    assert result['bbox_ids'] is None
    assert result['boxes'][0, 5] == 1


@pytest.mark.parametrize('test_cfg,codec_type,channels', [
    (dict(), MSRAHeatmap, 1),
    (dict(post_process='megvii'), MegviiHeatmap, 1),
    (dict(use_udp=True), UDPHeatmap, 1),
    (dict(use_udp=True, target_type='CombinedTarget'), UDPHeatmap, 3),
])
def test_codec_from_test_cfg(test_cfg, codec_type, channels):
    head = _head(test_cfg=test_cfg)
    assert type(head.codec) is codec_type
    assert head.codec.channels_per_keypoint == channels


def test_codec_is_built_once(monkeypatch):
    built = []
    real = top_down_base_head.build_codec
    monkeypatch.setattr(top_down_base_head, 'build_codec',
                        lambda cfg: built.append(cfg) or real(cfg))
    head = _identity_head(test_cfg=dict(post_process=None))
    assert len(built) == 1
    heatmaps = np.zeros((1, 4, 16, 12), dtype=np.float32)
    img_metas = [dict(image_file='0.jpg', center=np.array([100., 120.]),
                      scale=np.array([0.6, 0.8]))]
    for _ in range(3):
        head.decode(img_metas, heatmaps, img_size=[192, 256])
    assert len(built) == 1
    with pytest.raises(AssertionError, match='post_process'):
        _head(test_cfg=dict(post_process='dark'))


def test_decode_unbiased_known_peak():
    # A Gaussian (sigma 2) centred at the sub-pixel (5.3, 7.6) of a 12 x 16
    # map; the box maps heatmap pixel u to 100 + (u - 6) * 10 (x) and
    # 120 + (v - 8) * 10 (y).
    head = _identity_head(test_cfg=dict(post_process='unbiased'))
    ys, xs = np.mgrid[:16, :12]
    heatmaps = np.exp(-((xs - 5.3)**2 + (ys - 7.6)**2) / 8)[None, None]
    heatmaps = np.repeat(heatmaps, 4, axis=1).astype(np.float32)
    img_metas = [dict(image_file='0.jpg', center=np.array([100., 120.]),
                      scale=np.array([0.6, 0.8]))]
    preds = head.decode(img_metas, heatmaps, img_size=[192, 256])['preds']
    np.testing.assert_allclose(preds[0, :, 0], 100 + (5.3 - 6) * 10, atol=0.2)
    np.testing.assert_allclose(preds[0, :, 1], 120 + (7.6 - 8) * 10, atol=0.2)


def test_flip_back_combined_target():
    # 2 keypoints x (response, x-offset, y-offset) maps
    head = _head(
        in_channels=6,
        num_deconv_layers=0,
        extra=dict(final_conv_kernel=0),
        test_cfg=dict(use_udp=True, target_type='CombinedTarget'))
    feats = torch.rand(1, 6, 3, 4)
    flipped = head.inference_model(feats, flip_pairs=[[0, 1]])
    maps = feats.numpy()[:, :, :, ::-1]
    # keypoint 0 takes keypoint 1's mirrored maps, x-offsets negated
    np.testing.assert_array_equal(flipped[0, 0], maps[0, 3])
    np.testing.assert_array_equal(flipped[0, 1], -maps[0, 4])
    np.testing.assert_array_equal(flipped[0, 2], maps[0, 5])
    np.testing.assert_array_equal(flipped[0, 3:], maps[0, :3] * [[[1]], [[-1]],
                                                               [[1]]])


def test_is_registered_class():
    assert isinstance(_head(), TopDownSimpleHead)
