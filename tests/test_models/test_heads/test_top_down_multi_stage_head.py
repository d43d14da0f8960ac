import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from fixtures import topdown_img_metas

from mmpose.models import build_head
from mmpose.models.keypoint_heads import (TopDownMSMUHead,
                                          TopDownMultiStageHead)
from mmpose.models.keypoint_heads.top_down_multi_stage_head import PRM

LOSS = dict(type='JointsMSELoss', use_target_weight=True)

MULTI_STAGE = dict(
    type='TopDownMultiStageHead',
    in_channels=8,
    out_channels=4,
    num_stages=2,
    loss_keypoint=LOSS)
# Passes each stage's features through as its heatmaps.
IDENTITY_MULTI_STAGE = dict(
    MULTI_STAGE,
    in_channels=4,
    num_deconv_layers=0,
    extra=dict(final_conv_kernel=0))
MSMU = dict(
    type='TopDownMSMUHead',
    out_shape=(8, 6),
    unit_channels=8,
    out_channels=3,
    num_stages=2,
    num_units=2,
    loss_keypoint=LOSS)


def _build(defaults, **kwargs):
    return build_head(dict(defaults, **kwargs))


def _multi_stage(**kwargs):
    return _build(MULTI_STAGE, **kwargs)


def _identity_multi_stage(**kwargs):
    return _build(IDENTITY_MULTI_STAGE, **kwargs)


def _msmu(**kwargs):
    return _build(MSMU, **kwargs)


def _unit_features(num_stages=2, num_units=2, channels=8, batch=2):
    # Units go from coarse to fine, as the MSPN/RSN backbones return them.
    return [[
        torch.randn(batch, channels, 2 * 2**j, 2 * 2**j)
        for j in range(num_units)
    ] for _ in range(num_stages)]


def _gaussians(batch=2, height=8, width=6):
    ys, xs = torch.meshgrid(
        torch.arange(float(height)), torch.arange(float(width)), indexing='ij')
    peaks = [(1, 1), (4, 2), (2, 6), (5, 5)]
    maps = torch.stack(
        [torch.exp(-((xs - x)**2 + (ys - y)**2) / 2) for x, y in peaks])
    return maps[None].repeat(batch, 1, 1, 1)


# TopDownMultiStageHead


def test_multi_stage_layers_and_shapes():
    head = _multi_stage(num_deconv_filters=(6, 6, 6))
    assert isinstance(head, TopDownMultiStageHead)
    keys = set(head.state_dict())
    assert {
        'multi_deconv_layers.0.0.weight',
        'multi_deconv_layers.1.7.running_var', 'multi_final_layers.0.weight',
        'multi_final_layers.1.bias'
    } <= keys
    # every stage's branch starts from the input channels
    assert head.multi_deconv_layers[0][0].weight.shape == (8, 6, 4, 4)
    assert head.multi_deconv_layers[1][0].weight.shape == (8, 6, 4, 4)
    assert head.multi_final_layers[1].weight.shape == (4, 6, 1, 1)

    feats = [torch.randn(2, 8, 3, 2), torch.randn(2, 8, 3, 2)]
    out = head(feats)
    assert isinstance(out, list) and len(out) == 2
    assert all(o.shape == (2, 4, 24, 16) for o in out)

    head = _multi_stage(num_deconv_layers=0, extra=dict(final_conv_kernel=3))
    assert isinstance(head.multi_deconv_layers[0], nn.Identity)
    assert head.multi_final_layers[0].kernel_size == (3, 3)
    # more features than stages (e.g. CPM): stage i reads x[i]
    out = head([torch.randn(1, 8, 5, 4) for _ in range(3)])
    assert len(out) == 2 and out[0].shape == (1, 4, 5, 4)

    head = _identity_multi_stage()
    assert isinstance(head.multi_final_layers[0], nn.Identity)
    assert len(head.state_dict()) == 0
    feats = [torch.randn(1, 4, 3, 3), torch.randn(1, 4, 3, 3)]
    assert all(torch.equal(o, f) for o, f in zip(head(feats), feats))


def test_multi_stage_invalid_args():
    with pytest.raises(ValueError):
        _multi_stage(num_deconv_layers=-1)
    with pytest.raises(ValueError):
        _multi_stage(num_deconv_layers=2, num_deconv_filters=(6, ))
    with pytest.raises(TypeError):
        _multi_stage(extra=[1])
    with pytest.raises(AssertionError):
        _multi_stage(extra=dict(final_conv_kernel=2))
    head = _multi_stage(num_deconv_layers=0)
    with pytest.raises(AssertionError, match='num_stages=2'):
        head([torch.randn(1, 8, 4, 4)])
    with pytest.raises(AssertionError):
        head(torch.randn(1, 8, 4, 4))


def test_multi_stage_init_weights():
    head = _multi_stage(num_deconv_filters=(16, 16, 16))
    head.init_weights()
    for final, deconv in zip(head.multi_final_layers,
                             head.multi_deconv_layers):
        assert torch.all(final.bias == 0)
        assert final.weight.std() < 0.01
        assert deconv[0].weight.std() < 0.01
        assert torch.all(deconv[1].weight == 1)


def test_multi_stage_loss_and_accuracy():
    target = _gaussians()
    weight = torch.ones(2, 4, 1)
    wrong = torch.zeros_like(target)
    mse = F.mse_loss(wrong, target)

    # one loss config is applied to every stage and the losses summed
    head = _identity_multi_stage()
    losses = head.get_loss([wrong, target], target, weight)
    assert torch.allclose(losses['mse_loss'], mse)
    losses = head.get_loss([wrong, wrong], target, weight)
    assert torch.allclose(losses['mse_loss'], 2 * mse)

    # a list of loss configs: one per stage
    head = _identity_multi_stage(loss_keypoint=[
        dict(LOSS, loss_weight=0.25),
        dict(type='JointsMSELoss', use_target_weight=True, loss_weight=2.)
    ])
    assert isinstance(head.loss, nn.Sequential) and len(head.loss) == 2
    losses = head.get_loss([wrong, wrong], target, weight)
    assert torch.allclose(losses['mse_loss'], 2.25 * mse)
    with pytest.raises(ValueError, match='2 losses'):
        head.get_loss([wrong, wrong, wrong], target, weight)

    # accuracy reads the last stage
    head = _identity_multi_stage()
    acc = head.get_accuracy([wrong, target], target, weight)
    assert acc == {'acc_pose': 1.0}
    acc = head.get_accuracy([target, target.flip(2).flip(3)], target, weight)
    assert acc['acc_pose'] < 0.5


def test_multi_stage_inference_flip_and_decode():
    head = _identity_multi_stage(
        test_cfg=dict(shift_heatmap=False, post_process=None))
    feats = [torch.rand(2, 4, 5, 6), torch.rand(2, 4, 5, 6)]
    heatmap = head.inference_model(feats)
    np.testing.assert_array_equal(heatmap, feats[1].numpy())
    flipped = head.inference_model(feats, flip_pairs=[[0, 1], [2, 3]])
    np.testing.assert_array_equal(flipped,
                                  feats[1].numpy()[:, [1, 0, 3, 2], :, ::-1])

    heatmaps = np.zeros((1, 4, 16, 12), dtype=np.float32)
    heatmaps[:, :, 8, 6] = 0.5
    result = head.decode(topdown_img_metas(1), heatmaps, img_size=[192, 256])
    # the heatmap centre maps to the box centre
    np.testing.assert_allclose(result['preds'][0, :, :2], [[100, 120]] * 4)
    np.testing.assert_allclose(result['preds'][0, :, 2], 0.5)
    assert result['image_paths'] == ['0.jpg'] and result['bbox_ids'] == [10]


# TopDownMSMUHead


def test_msmu_layers_and_forward_order():
    head = _msmu()
    assert isinstance(head, TopDownMSMUHead)
    assert len(head.predict_layers) == 4
    shapes = {k: tuple(v.shape) for k, v in head.state_dict().items()}
    assert shapes['predict_layers.3.conv_layers.0.conv.weight'] == (8, 8, 1, 1)
    assert shapes['predict_layers.3.conv_layers.1.conv.weight'] == (3, 8, 3, 3)
    assert shapes['predict_layers.0.conv_layers.1.bn.running_mean'] == (3, )
    # ConvModule before BN: no conv bias; no PRM by default
    assert not any(k.endswith('conv.bias') or '.prm.' in k for k in shapes)

    head.eval()
    feats = _unit_features()
    out = head(feats)
    assert len(out) == 4 and all(o.shape == (2, 3, 8, 6) for o in out)
    # stage-major order: output i comes from unit i % 2 of stage i // 2
    for i, o in enumerate(out):
        expected = F.interpolate(
            head.predict_layers[i].conv_layers(feats[i // 2][i % 2]),
            size=(8, 6),
            mode='bilinear',
            align_corners=True)
        assert torch.allclose(o, expected)
    # the heatmap conv has no activation: logits can be negative
    assert (out[-1] < 0).any()


def test_msmu_prm():
    head = _msmu(use_prm=True, num_stages=1, num_units=1)
    shapes = {k: tuple(v.shape) for k, v in head.state_dict().items()}
    prm = 'predict_layers.0.prm.'
    expected = {
        'middle_path.0.weight': (3, 3),
        'middle_path.1.running_mean': (3, ),
        'middle_path.3.bias': (3, ),
        'middle_path.4.weight': (3, ),
        'bottom_path.0.conv.weight': (3, 3, 1, 1),
        'bottom_path.1.depthwise_conv.conv.weight': (3, 1, 9, 9),
        'bottom_path.1.depthwise_conv.bn.weight': (3, ),
        'bottom_path.1.pointwise_conv.conv.weight': (1, 3, 1, 1),
        'bottom_path.1.pointwise_conv.bn.running_var': (1, ),
        'conv_bn_relu_prm_1.conv.weight': (3, 3, 3, 3),
        'conv_bn_relu_prm_1.bn.bias': (3, ),
    }
    assert {k: shapes[prm + k] for k in expected} == expected
    out = head(_unit_features(1, 1))
    assert out[0].shape == (2, 3, 8, 6)


def test_prm_reweights_features():
    prm = PRM(3).eval()
    x = torch.randn(2, 3, 8, 6)
    out = prm(x)
    feature = prm.conv_bn_relu_prm_1(x)
    channel = prm.middle_path(feature.mean(dim=(2, 3)))
    spatial = prm.bottom_path(feature)
    assert channel.shape == (2, 3) and spatial.shape == (2, 1, 8, 6)
    expected = feature * (1 + channel[:, :, None, None] * spatial)
    assert torch.allclose(out, expected)
    # both attentions lie in (0, 1): the features are scaled by 1 to 2
    ratio = out[feature > 1e-3] / feature[feature > 1e-3]
    assert ratio.min() >= 1 and ratio.max() <= 2


def test_msmu_invalid_inputs():
    head = _msmu()
    with pytest.raises(AssertionError, match='num_units=2'):
        head(_unit_features(2, 1))
    with pytest.raises(AssertionError, match='num_stages=2'):
        head(_unit_features(1, 2))
    with pytest.raises(AssertionError, match='unit_channels=8'):
        head(_unit_features(channels=4))


def test_msmu_init_weights():
    head = _msmu(use_prm=True)
    head.init_weights()
    prm = head.predict_layers[0].prm
    assert torch.all(prm.middle_path[1].weight == 1)
    assert prm.middle_path[0].weight.std() < 0.05
    assert torch.all(head.predict_layers[0].conv_layers[0].bn.weight == 1)


def test_msmu_loss_and_accuracy():
    gaussians = _gaussians(height=8, width=6)[:, :3]
    wrong = torch.zeros_like(gaussians)
    mse = F.mse_loss(wrong, gaussians)
    # per-output targets [N, O, K, H, W] and weights [N, O, K, 1]
    target = torch.stack([gaussians] * 4, dim=1)
    weight = torch.ones(2, 4, 3, 1)
    head = _msmu(loss_keypoint=[
        dict(LOSS, loss_weight=w) for w in (0.25, 0.25, 0.25, 1.)
    ])
    losses = head.get_loss([wrong, gaussians, wrong, wrong], target, weight)
    assert torch.allclose(losses['mse_loss'], 1.5 * mse)
    # targets are matched per output: output 1 against target 1
    target[:, 1] = 0
    losses = head.get_loss([wrong, wrong, gaussians, gaussians], target,
                           weight)
    assert torch.allclose(losses['mse_loss'], 0.25 * mse)
    weight[:, 0] = 0  # output 0 weighted out
    losses = head.get_loss([gaussians, wrong, gaussians, gaussians], target,
                           weight)
    assert torch.allclose(losses['mse_loss'], torch.zeros(()))

    target[:, 1] = gaussians
    acc = head.get_accuracy([wrong, wrong, wrong, gaussians], target, weight)
    assert acc == {'acc_pose': 1.0}
    acc = head.get_accuracy(
        [gaussians, gaussians, gaussians,
         gaussians.flip(2).flip(3)], target, weight)
    assert acc['acc_pose'] < 0.5


def test_msmu_inference_uses_last_output():
    head = _msmu(test_cfg=dict(shift_heatmap=False)).eval()
    feats = _unit_features()
    with torch.no_grad():
        last = head(feats)[-1].numpy()
    np.testing.assert_allclose(head.inference_model(feats), last, rtol=1e-6)
    flipped = head.inference_model(feats, flip_pairs=[[0, 2]])
    np.testing.assert_allclose(flipped, last[:, [2, 1, 0], :, ::-1], rtol=1e-6)


def test_predict_heatmap_upsamples_coarse_units_quietly():
    """A coarse unit's features are upsampled to out_shape (align_corners,
    as 0.14) without a misalignment warning on every forward."""
    import warnings

    from mmpose.models.keypoint_heads.top_down_multi_stage_head import \
        PredictHeatmap
    head = PredictHeatmap(4, 3, (64, 48)).eval()
    feature = torch.rand(1, 4, 16, 12)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        with torch.no_grad():
            out = head(feature)
    expected = F.interpolate(
        head.conv_layers(feature), size=(64, 48), mode='bilinear',
        align_corners=True)
    assert torch.equal(out, expected)
