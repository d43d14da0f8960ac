import numpy as np
import pytest
import torch
import torch.nn as nn

from mmpose.models import build_posenet
from mmpose.models.detectors import BasePose, TopDown

FLIP_PAIRS = [[1, 2], [3, 4]]


def _cfg(**test_cfg):
    return dict(
        type='TopDown',
        pretrained=None,
        backbone=dict(
            type='ResNet',
            depth=18,
            num_stages=2,
            strides=(1, 2),
            dilations=(1, 1),
            out_indices=(1, )),
        keypoint_head=dict(
            type='TopDownSimpleHead',
            in_channels=128,
            out_channels=5,
            num_deconv_layers=1,
            num_deconv_filters=(16, ),
            num_deconv_kernels=(4, ),
            loss_keypoint=dict(type='JointsMSELoss', use_target_weight=True)),
        train_cfg=dict(),
        test_cfg=dict(
            flip_test=True,
            post_process='default',
            shift_heatmap=True,
            modulate_kernel=11,
            **test_cfg))


def _metas(n, with_bbox_id=True):
    metas = []
    for i in range(n):
        meta = dict(
            image_file=f'{i}.jpg',
            center=np.array([16., 16.]),
            scale=np.array([0.16, 0.16]),
            rotation=0,
            bbox_score=1.0,
            flip_pairs=FLIP_PAIRS)
        if with_bbox_id:
            meta['bbox_id'] = i
        metas.append(meta)
    return metas


@pytest.fixture(scope='module')
def model():
    return build_posenet(_cfg())


def test_build(model):
    assert isinstance(model, TopDown) and isinstance(model, BasePose)
    assert model.with_keypoint and not model.with_neck
    # the head received the detector's train/test configs
    assert model.keypoint_head.test_cfg['shift_heatmap'] is True
    no_head = build_posenet(dict(_cfg(), keypoint_head=None))
    assert not no_head.with_keypoint


def test_loss_pose_is_deprecated():
    cfg = _cfg()
    loss = cfg['keypoint_head'].pop('loss_keypoint')
    with pytest.warns(DeprecationWarning, match='loss_keypoint'):
        model = build_posenet(dict(cfg, loss_pose=loss))
    assert model.keypoint_head.loss.use_target_weight
    cfg['keypoint_head']['loss_keypoint'] = None
    with pytest.warns(DeprecationWarning):
        model = build_posenet(dict(cfg, loss_pose=loss))
    assert model.keypoint_head.loss.use_target_weight


def test_forward_train_and_steps(model):
    model.train()
    img = torch.rand(2, 3, 32, 32)
    target = torch.rand(2, 5, 8, 8)
    target_weight = torch.ones(2, 5, 1)
    losses = model(img, target, target_weight, img_metas=_metas(2))
    assert set(losses) == {'mse_loss', 'acc_pose'}
    assert losses['mse_loss'].requires_grad

    batch = dict(
        img=img,
        target=target,
        target_weight=target_weight,
        img_metas=_metas(2))
    outputs = model.train_step(batch, None)
    assert outputs['num_samples'] == 2
    assert torch.allclose(
        outputs['loss'], model(**batch)['mse_loss'].detach(), atol=1e-6)
    assert set(outputs['log_vars']) == {'mse_loss', 'acc_pose', 'loss'}
    assert isinstance(outputs['log_vars']['loss'], float)

    model.eval()
    with torch.no_grad():
        outputs = model.val_step(dict(img=img, img_metas=_metas(2)), None)
    assert outputs['results']['preds'].shape == (2, 5, 3)


def test_parse_losses():
    loss, log_vars = BasePose._parse_losses(
        dict(
            a_loss=torch.tensor([1., 3.]),
            b_loss=[torch.tensor(1.), torch.tensor([2., 4.])],
            acc=0.5))
    assert loss.item() == 2. + 4.
    assert log_vars == dict(a_loss=2., b_loss=4., acc=0.5, loss=6.)
    with pytest.raises(TypeError, match='c_loss'):
        BasePose._parse_losses(dict(c_loss='x'))


def test_forward_test(model):
    model.eval()
    img = torch.rand(2, 3, 32, 32)
    with torch.no_grad():
        result = model(img, img_metas=_metas(2), return_loss=False)
        assert result['output_heatmap'] is None
        result = model(
            img, img_metas=_metas(2), return_loss=False, return_heatmap=True)
        heatmaps = model.forward_dummy(img).numpy()
        flipped = model.forward_dummy(img.flip(3)).numpy()
    assert set(result) == {
        'preds', 'boxes', 'image_paths', 'bbox_ids', 'output_heatmap'
    }
    assert result['preds'].shape == (2, 5, 3)
    assert result['boxes'].shape == (2, 6)
    assert result['image_paths'] == ['0.jpg', '1.jpg']
    assert result['bbox_ids'] == [0, 1]

    # flip test: mirror back, swap the pairs, shift by one pixel, average
    flipped = flipped[:, [0, 2, 1, 4, 3], :, ::-1]
    flipped[..., 1:] = flipped[..., :-1].copy()
    np.testing.assert_allclose(
        result['output_heatmap'], (heatmaps + flipped) / 2,
        rtol=1e-5,
        atol=1e-6)

    no_flip = build_posenet(_cfg())
    no_flip.load_state_dict(model.state_dict())
    no_flip.test_cfg['flip_test'] = False
    no_flip.eval()
    with torch.no_grad():
        result = no_flip(
            img, img_metas=_metas(2), return_loss=False, return_heatmap=True)
    np.testing.assert_allclose(result['output_heatmap'], heatmaps, rtol=1e-5)

    # the model-zoo configs collect no 'bbox_id': a batch still decodes
    with torch.no_grad():
        no_ids = model(
            img, img_metas=_metas(2, with_bbox_id=False), return_loss=False)
    assert no_ids['bbox_ids'] is None
    assert no_ids['preds'].shape == result['preds'].shape
    with pytest.raises(AssertionError):
        model(img, img_metas=_metas(1), return_loss=False)


@pytest.mark.parametrize('post_process', ['unbiased', 'megvii'])
def test_return_heatmap_is_untouched_by_decoding(model, post_process):
    # 0.14 returned the heatmaps blurred (and log-transformed) by DARK /
    # megvii decoding; they are returned as the model predicted them.
    cfg = _cfg()
    cfg['test_cfg']['post_process'] = post_process
    blurring = build_posenet(cfg)
    blurring.load_state_dict(model.state_dict())
    blurring.test_cfg['flip_test'] = False
    blurring.eval()
    img = torch.rand(2, 3, 32, 32)
    with torch.no_grad():
        heatmaps = blurring.forward_dummy(img).numpy()
        result = blurring(
            img, img_metas=_metas(2), return_loss=False, return_heatmap=True)
    np.testing.assert_array_equal(result['output_heatmap'], heatmaps)


def test_forward_dummy(model):
    model.eval()
    with torch.no_grad():
        assert model.forward_dummy(torch.rand(1, 3, 32,
                                              32)).shape == (1, 5, 8, 8)


def test_init_weights_pretrained(tmp_path):
    src = build_posenet(_cfg())
    for p in src.backbone.parameters():
        nn.init.normal_(p)
    path = tmp_path / 'backbone.pth'
    torch.save(src.backbone.state_dict(), path)
    model = build_posenet(dict(_cfg(), pretrained=str(path)))
    assert torch.equal(model.backbone.layer2[0].conv1.weight,
                       src.backbone.layer2[0].conv1.weight)
    with pytest.raises(FileNotFoundError):
        build_posenet(dict(_cfg(), pretrained=str(tmp_path / 'none.pth')))


def test_show_result(model, tmp_path):
    img = np.zeros((64, 64, 3), dtype=np.uint8)
    keypoints = np.array([[10, 10, 0.9], [50, 50, 0.9], [10, 50, 0.1],
                          [20, 40, 0.9], [40, 20, 0.9]],
                         dtype=np.float32)
    result = [dict(bbox=np.array([5, 5, 60, 60, 0.9]), keypoints=keypoints)]
    out_file = tmp_path / 'vis.jpg'
    drawn = model.show_result(
        img,
        result,
        skeleton=[[1, 2], [1, 3]],
        pose_kpt_color=np.full((5, 3), 255),
        pose_limb_color=np.full((2, 3), 128),
        out_file=str(out_file))
    assert out_file.exists()
    assert drawn.shape == img.shape and img.sum() == 0
    assert drawn[10, 10].sum() > 0  # keypoint
    assert drawn[30, 5].sum() > 0  # box edge
    assert drawn[30, 30].sum() > 0  # limb 1-2
    # a low score keypoint and its limb (1-3) are not drawn
    assert drawn[50, 10].sum() == 0 and drawn[30, 10].sum() == 0


def test_mmcv_runner_trains_top_down(tmp_path):
    """train_step/val_step plug into mmcv's EpochBasedRunner."""
    from mmcv.runner import EpochBasedRunner

    from mmpose.utils import get_root_logger

    model = build_posenet(_cfg())
    torch.manual_seed(0)
    batches = [
        dict(
            img=torch.rand(2, 3, 32, 32),
            target=torch.rand(2, 5, 8, 8),
            target_weight=torch.ones(2, 5, 1),
            img_metas=_metas(2)) for _ in range(2)
    ]
    before = model.keypoint_head.final_layer.weight.detach().clone()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    runner = EpochBasedRunner(
        model,
        optimizer=optimizer,
        work_dir=str(tmp_path),
        logger=get_root_logger(),
        max_epochs=1)
    runner.register_training_hooks(
        lr_config=dict(policy='fixed'), optimizer_config=dict(grad_clip=None))
    runner.run([batches], [('train', 1)])
    assert runner.iter == 2
    assert set(runner.outputs['log_vars']) == {'mse_loss', 'acc_pose', 'loss'}
    assert not torch.equal(model.keypoint_head.final_layer.weight, before)
