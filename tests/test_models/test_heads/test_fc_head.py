import numpy as np
import pytest
import torch
import torch.nn.functional as F
from fixtures import topdown_img_metas

from mmpose.models import build_head, build_posenet
from mmpose.models.keypoint_heads import FcHead

LOSS = dict(type='SmoothL1Loss', use_target_weight=True)


def _head(**kwargs):
    cfg = dict(type='FcHead', in_channels=8, num_joints=4, loss_keypoint=LOSS)
    cfg.update(kwargs)
    return build_head(cfg)


def _metas(batch=2):
    return topdown_img_metas(batch, flip_pairs=[[0, 1], [2, 3]])


def test_layers_and_forward():
    head = _head()
    assert isinstance(head, FcHead)
    assert {
        k: tuple(v.shape)
        for k, v in head.state_dict().items()
    } == {
        'fc.weight': (8, 8),
        'fc.bias': (8, )
    }
    x = torch.randn(3, 8)
    out = head(x)
    assert out.shape == (3, 4, 2)
    # joint k's (x, y) are outputs 2k and 2k+1 of the fc layer
    flat = x @ head.fc.weight.T + head.fc.bias
    assert torch.allclose(out[:, 2, 1], flat[:, 5])
    # a tuple of pooled features (GlobalAveragePooling on tuples): the last
    assert torch.equal(head((torch.randn(3, 8), x)), out)


def test_init_weights():
    head = _head(in_channels=256, num_joints=17)
    head.init_weights()
    assert torch.all(head.fc.bias == 0)
    assert abs(head.fc.weight.std().item() - 0.01) < 0.002


def test_get_loss():
    head = _head()
    output = torch.rand(2, 4, 2)
    target = torch.rand(2, 4, 2)
    weight = torch.ones(2, 4, 2)
    weight[0, 1] = 0
    losses = head.get_loss(output, target, weight)
    assert set(losses) == {'reg_loss'}
    expected = F.smooth_l1_loss(output * weight, target * weight)
    assert torch.allclose(losses['reg_loss'], expected)

    with pytest.raises(AssertionError):
        head.get_loss(output, target, weight[..., None])
    with pytest.raises(AssertionError, match='one loss'):
        _head(loss_keypoint=[LOSS, LOSS]).get_loss(output, target, weight)
    with pytest.raises(RuntimeError, match='loss_keypoint'):
        _head(loss_keypoint=None).get_loss(output, target, weight)


def test_get_accuracy():
    head = _head()
    target = torch.rand(2, 4, 2)
    weight = torch.ones(2, 4, 2)
    assert head.get_accuracy(target, target, weight) == {'acc_pose': 1.0}

    # PCK@0.05 of the normalised coordinates
    output = target.clone()
    output[:, 0, 0] += 0.04  # within
    output[:, 1, 1] += 0.06  # outside
    output[:, 2] += 0.03  # distance 0.042: within
    output[:, 3] += 0.04  # distance 0.057: outside
    acc = head.get_accuracy(output, target, weight)
    assert acc['acc_pose'] == pytest.approx(0.5)

    # keypoints with zero weight do not count
    weight[:, 1] = 0
    weight[:, 3] = 0
    acc = head.get_accuracy(output, target, weight)
    assert acc['acc_pose'] == pytest.approx(1.0)


def test_inference_model_flip():
    head = _head()
    x = torch.randn(2, 8)
    with torch.no_grad():
        out = head(x).numpy()
    pred = head.inference_model(x)
    assert isinstance(pred, np.ndarray)
    np.testing.assert_allclose(pred, out)

    flipped = head.inference_model(x, flip_pairs=[[0, 1], [2, 3]])
    # mirrored about x = 0.5 (normalised), left/right joints swapped
    expected = out[:, [1, 0, 3, 2]].copy()
    expected[..., 0] = 1 - expected[..., 0]
    np.testing.assert_allclose(flipped, expected, rtol=1e-6)


def test_decode():
    head = _head()
    output = np.array(
        [[[0.5, 0.5], [0.25, 0.75], [0., 0.], [1., 1.]]] * 2, dtype=np.float32)
    result = head.decode(_metas(), output, img_size=[192, 256])
    assert set(result) == {'preds', 'boxes', 'image_paths', 'bbox_ids'}
    preds = result['preds']
    assert preds.shape == (2, 4, 3) and preds.dtype == np.float32
    # the input (192 x 256) covers the box of 0.6*200 x 0.8*200 pixels
    # around (100, 120): x = 100 + (u - 0.5) * 120, y = 120 + (v - 0.5) * 160
    np.testing.assert_allclose(
        preds[0, :, :2], [[100, 120], [70, 160], [40, 40], [160, 200]],
        atol=1e-4)
    np.testing.assert_array_equal(preds[..., 2], 1)
    np.testing.assert_allclose(
        result['boxes'],
        [[100, 120, 0.6, 0.8, 19200, 0.5], [100, 120, 0.6, 0.8, 19200, 1.5]],
        rtol=1e-6)
    assert result['image_paths'] == ['0.jpg', '1.jpg']
    assert result['bbox_ids'] == [10, 11]

    with pytest.raises(TypeError, match='img_size'):
        head.decode(_metas(), output)


def test_deeppose_model_train_and_test():
    """ResNet (stage 1 of 18) + GlobalAveragePooling + FcHead as a TopDown
    model."""
    model = build_posenet(
        dict(
            type='TopDown',
            pretrained=None,
            backbone=dict(
                type='ResNet',
                depth=18,
                num_stages=1,
                strides=(1, ),
                dilations=(1, ),
                out_indices=(0, )),
            neck=dict(type='GlobalAveragePooling'),
            keypoint_head=dict(
                type='FcHead',
                in_channels=64,
                num_joints=4,
                loss_keypoint=LOSS),
            train_cfg=dict(),
            test_cfg=dict(flip_test=True)))
    img = torch.randn(2, 3, 64, 48)
    target = torch.rand(2, 4, 2)
    weight = torch.ones(2, 4, 2)
    losses = model(img, target, weight, img_metas=_metas(), return_loss=True)
    assert set(losses) == {'reg_loss', 'acc_pose'}
    assert losses['reg_loss'].requires_grad

    model.eval()
    with torch.no_grad():
        result = model(img, img_metas=_metas(), return_loss=False)
        plain = model.forward_dummy(img).numpy()
        flipped = model.forward_dummy(img.flip(3)).numpy()
    assert result['preds'].shape == (2, 4, 3)
    assert result['output_heatmap'] is None
    # flip test: mirror the flipped prediction about x = 0.5, swap the
    # pairs, average; then the normalised (u, v) cover the 120 x 160 pixel
    # box around (100, 120)
    flipped = flipped[:, [1, 0, 3, 2]]
    flipped[..., 0] = 1 - flipped[..., 0]
    uv = (plain + flipped) / 2
    expected = np.array([100., 120.]) + (uv - 0.5) * [120., 160.]
    np.testing.assert_allclose(
        result['preds'][..., :2], expected, rtol=1e-5, atol=1e-4)
    np.testing.assert_array_equal(result['preds'][..., 2], 1)
    assert result['bbox_ids'] == [10, 11]
