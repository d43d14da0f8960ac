import pytest
import torch

from mmpose.models import build_head
from mmpose.utils import ArgumentError


def _loss(num_stages=1, with_ae=(True, ), with_hm=(True, )):
    return dict(
        type='MultiLossFactory',
        num_joints=3,
        num_stages=num_stages,
        ae_loss_type='exp',
        with_ae_loss=list(with_ae),
        push_loss_factor=[1.0] * num_stages,
        pull_loss_factor=[1.0] * num_stages,
        with_heatmaps_loss=list(with_hm),
        heatmaps_loss_factor=[1.0] * num_stages)


def test_simple_head_layers_and_forward():
    head = build_head(
        dict(
            type='BottomUpSimpleHead',
            in_channels=8,
            num_joints=3,
            num_deconv_layers=1,
            num_deconv_filters=(4, ),
            num_deconv_kernels=(4, ),
            with_ae_loss=[True],
            extra=dict(final_conv_kernel=3),
            loss_keypoint=_loss()))
    head.init_weights()
    assert head.final_layer.weight.shape == (6, 4, 3, 3)
    assert set(head.state_dict()) >= {
        'deconv_layers.0.weight', 'deconv_layers.1.running_var',
        'final_layer.bias'
    }
    out = head([torch.rand(2, 8, 4, 4)])
    assert len(out) == 1 and out[0].shape == (2, 6, 8, 8)
    # one tag map for all joints, no deconv
    head = build_head(
        dict(
            type='BottomUpSimpleHead',
            in_channels=8,
            num_joints=3,
            num_deconv_layers=0,
            tag_per_joint=False,
            with_ae_loss=[True]))
    assert head(torch.rand(1, 8, 4, 4))[0].shape == (1, 4, 4, 4)
    with pytest.raises(TypeError):
        build_head(
            dict(
                type='BottomUpSimpleHead',
                in_channels=8,
                num_joints=3,
                with_ae_loss=[True],
                extra=[]))
    with pytest.raises(ArgumentError):
        build_head(
            dict(
                type='BottomUpSimpleHead',
                in_channels=8,
                num_joints=3,
                with_ae_loss=[True],
                extra=dict(final_conv_kernel=2)))
    with pytest.raises(ValueError):
        build_head(
            dict(
                type='BottomUpSimpleHead',
                in_channels=8,
                num_joints=3,
                num_deconv_layers=-1,
                with_ae_loss=[True]))


def test_higher_resolution_head():
    head = build_head(
        dict(
            type='BottomUpHigherResolutionHead',
            in_channels=8,
            num_joints=3,
            num_deconv_filters=[8],
            num_basic_blocks=2,
            cat_output=[True],
            with_ae_loss=[True, False],
            loss_keypoint=_loss(2, (True, False), (True, True))))
    head.init_weights()
    # the deconv takes the features and the first output (8 + 6)
    assert head.deconv_layers[0][0][0].weight.shape == (14, 8, 4, 4)
    assert len(head.deconv_layers[0]) == 3
    assert 'deconv_layers.0.2.0.conv2.weight' in head.state_dict()
    out = head([torch.rand(1, 8, 4, 4)])
    assert [o.shape for o in out] == [(1, 6, 4, 4), (1, 3, 8, 8)]
    head = build_head(
        dict(
            type='BottomUpHigherResolutionHead',
            in_channels=8,
            num_joints=3,
            num_deconv_filters=[8],
            cat_output=[False],
            with_ae_loss=[True, False]))
    assert head.deconv_layers[0][0][0].weight.shape == (8, 8, 4, 4)
    with pytest.raises(ArgumentError):
        build_head(
            dict(
                type='BottomUpHigherResolutionHead',
                in_channels=8,
                num_joints=3,
                cat_output=[False],
                with_ae_loss=[True]))


def test_get_loss_sums_outputs():
    head = build_head(
        dict(
            type='BottomUpHigherResolutionHead',
            in_channels=8,
            num_joints=3,
            num_deconv_filters=[8],
            cat_output=[True],
            with_ae_loss=[True, False],
            loss_keypoint=_loss(2, (True, False), (True, True))))
    outputs = [torch.ones(2, 6, 2, 2), torch.ones(2, 3, 4, 4)]
    targets = [torch.zeros(2, 3, 2, 2), torch.zeros(2, 3, 4, 4)]
    masks = [torch.ones(2, 2, 2), torch.ones(2, 4, 4)]
    joints = [
        torch.tensor([[[[0, 1], [0, 0], [0, 0]]] * 2] * 2),
        torch.zeros(2, 2, 3, 2, dtype=torch.long)
    ]
    losses = head.get_loss(outputs, targets, masks, joints)
    # heatmap error 1 everywhere at both resolutions
    assert float(losses['heatmap_loss']) == pytest.approx(2.0)
    # two people with the equal tag 1: push (4 - 2) / 2 * 0.5, pull 0
    assert float(losses['push_loss']) == pytest.approx(0.5)
    assert float(losses['pull_loss']) == pytest.approx(0.0)
    head.loss = None
    with pytest.raises(RuntimeError):
        head.get_loss(outputs, targets, masks, joints)
