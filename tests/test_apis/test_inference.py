from pathlib import Path

import numpy as np
import pytest
import torch
from mmcv import Config

from mmpose.apis import (inference_top_down_pose_model, init_pose_model,
                         vis_pose_result)

_REPO = Path(__file__).resolve().parents[2]
# The usual top-down test pipeline, read from the demo config.
_PIPELINE = Config.fromfile(
    str(_REPO / 'configs' / 'top_down' / 'synthetic' /
        'res18_synthetic_coco_128x96.py')).val_pipeline


def _tiny_config(flip_test=False):
    """A small ResNet top-down model on 64x64 crops (random weights)."""
    data_cfg = dict(
        image_size=[64, 64],
        heatmap_size=[16, 16],
        num_output_channels=17,
        num_joints=17,
        dataset_channel=[list(range(17))],
        inference_channel=list(range(17)))
    test = dict(
        type='TopDownCocoDataset',
        ann_file='unused.json',
        img_prefix='',
        data_cfg=data_cfg,
        pipeline=_PIPELINE)
    return Config(
        dict(
            model=dict(
                type='TopDown',
                pretrained=None,
                backbone=dict(
                    type='ResNet', depth=18, base_channels=8,
                    stem_channels=8),
                keypoint_head=dict(
                    type='TopDownSimpleHead',
                    in_channels=64,
                    out_channels=17,
                    num_deconv_filters=(16, 16, 16),
                    num_deconv_kernels=(4, 4, 4),
                    num_deconv_layers=3,
                    extra=dict(final_conv_kernel=1),
                    loss_keypoint=dict(
                        type='JointsMSELoss', use_target_weight=True)),
                train_cfg=dict(),
                test_cfg=dict(
                    flip_test=flip_test,
                    post_process='default',
                    shift_heatmap=True,
                    modulate_kernel=11)),
            data_cfg=data_cfg,
            test_pipeline=_PIPELINE,
            data=dict(test=test)))


@pytest.fixture(scope='module')
def model():
    torch.manual_seed(0)
    return init_pose_model(_tiny_config(), device='cpu')


@pytest.fixture
def image():
    rng = np.random.default_rng(0)
    return rng.integers(0, 255, size=(80, 100, 3), dtype=np.uint8)


def test_init_pose_model(model):
    assert not model.training
    assert model.cfg.model.type == 'TopDown'
    assert next(model.parameters()).device.type == 'cpu'


@pytest.mark.skipif(torch.cuda.is_available(), reason='needs a CPU-only box')
def test_init_pose_model_cuda_without_gpu_says_use_cpu():
    with pytest.raises(RuntimeError, match="device='cpu'"):
        init_pose_model(_tiny_config(), device='cuda:0')


def test_init_pose_model_from_file_and_checkpoint(model, tmp_path):
    cfg_file = tmp_path / 'tiny.py'
    model.cfg.dump(str(cfg_file))
    ckpt = tmp_path / 'tiny.pth'
    torch.save({'state_dict': model.state_dict()}, ckpt)
    loaded = init_pose_model(str(cfg_file), str(ckpt), device='cpu')
    for key, value in model.state_dict().items():
        torch.testing.assert_close(loaded.state_dict()[key], value)


def test_init_pose_model_rejects_mismatched_checkpoint(model, tmp_path):
    state = dict(model.state_dict())
    state.pop('keypoint_head.final_layer.weight')
    state['keypoint_head.extra_layer.weight'] = torch.zeros(1)
    ckpt = tmp_path / 'other.pth'
    torch.save({'state_dict': state}, ckpt)
    with pytest.raises(RuntimeError) as err:
        init_pose_model(_tiny_config(), str(ckpt), device='cpu')
    message = str(err.value)
    assert 'keypoint_head.final_layer.weight' in message
    assert 'keypoint_head.extra_layer.weight' in message
    assert 'other.pth' in message


def test_top_down_inference_xywh_and_xyxy_agree(model, image):
    persons = [dict(bbox=[10, 5, 40, 60], track_id=3),
               dict(bbox=[50, 20, 30, 50], track_id=4)]
    xywh, outputs = inference_top_down_pose_model(model, image, persons,
                                                  format='xywh')
    assert len(xywh) == 2 and outputs == [{}]
    assert [p['track_id'] for p in xywh] == [3, 4]
    np.testing.assert_allclose(xywh[0]['bbox'], [10, 5, 49, 64])
    assert xywh[0]['keypoints'].shape == (17, 3)
    as_xyxy = [dict(bbox=p['bbox']) for p in xywh]
    xyxy, _ = inference_top_down_pose_model(model, image, as_xyxy,
                                            format='xyxy')
    for a, b in zip(xywh, xyxy):
        np.testing.assert_allclose(a['keypoints'], b['keypoints'], rtol=1e-5)
        np.testing.assert_allclose(a['bbox'], b['bbox'])
    # The input dicts are not modified.
    assert persons[0]['bbox'] == [10, 5, 40, 60]


def test_top_down_inference_keypoints_lie_in_the_box(model, image):
    box = [20, 10, 30, 40]
    pose, _ = inference_top_down_pose_model(model, image, [dict(bbox=box)])
    kpts = pose[0]['keypoints']
    # The crop is the box widened to the model's aspect ratio (1 here) and
    # padded by 1.25: 50x50 around the box centre (35, 30).
    assert (np.abs(kpts[:, 0] - 35) <= 25 + 1).all()
    assert (np.abs(kpts[:, 1] - 30) <= 25 + 1).all()


def test_top_down_inference_one_batch_and_outputs(model, image):
    calls = []
    handle = model.backbone.register_forward_hook(
        lambda m, i, o: calls.append(i[0].shape[0]))
    persons = [dict(bbox=[0, 0, 40, 60]), dict(bbox=[30, 10, 40, 60]),
               dict(bbox=[60, 20, 30, 50])]
    try:
        pose, outputs = inference_top_down_pose_model(
            model, image, persons, return_heatmap=True,
            outputs=['backbone', 'keypoint_head.final_layer'])
    finally:
        handle.remove()
    assert calls == [3]
    assert len(outputs) == 1
    assert outputs[0]['heatmap'].shape == (3, 17, 16, 16)
    assert outputs[0]['keypoint_head.final_layer'].shape == (3, 17, 16, 16)
    assert isinstance(outputs[0]['backbone'], np.ndarray)
    assert outputs[0]['backbone'].shape[0] == 3


def test_top_down_inference_bbox_thr(model, image):
    persons = [
        dict(bbox=np.array([0, 0, 40, 60, 0.2])),
        # float32 0.3 is 0.30000001: above 0.3 when compared in float64.
        dict(bbox=np.array([10, 0, 40, 60, 0.3], dtype=np.float32)),
        dict(bbox=np.array([20, 0, 40, 60, 0.9]))
    ]
    pose, _ = inference_top_down_pose_model(model, image, persons,
                                            bbox_thr=0.3)
    assert [p['bbox'][4] for p in pose] == pytest.approx([0.3, 0.9])
    assert inference_top_down_pose_model(model, image, persons,
                                         bbox_thr=0.95) == ([], [])
    assert inference_top_down_pose_model(model, image, []) == ([], [])


def test_top_down_inference_from_path(model, image, tmp_path):
    import cv2
    path = str(tmp_path / 'img.png')
    cv2.imwrite(path, image)
    persons = [dict(bbox=[10, 5, 40, 60])]
    from_path, _ = inference_top_down_pose_model(model, path, persons)
    from_array, _ = inference_top_down_pose_model(model, image, persons)
    np.testing.assert_allclose(from_path[0]['keypoints'],
                               from_array[0]['keypoints'], rtol=1e-5)


def test_top_down_inference_unknown_layer(model, image):
    with pytest.raises(AttributeError, match='no_such_layer'):
        inference_top_down_pose_model(model, image, [dict(bbox=[0, 0, 9, 9])],
                                      outputs=['no_such_layer'])


def test_vis_pose_result(model, image, tmp_path):
    pose = [
        dict(
            bbox=np.array([10, 5, 49, 64]),
            keypoints=np.concatenate(
                [np.full((17, 2), 30.0), np.ones((17, 1))], axis=1))
    ]
    out_file = tmp_path / 'vis.jpg'
    drawn = vis_pose_result(model, image.copy(), pose, out_file=str(out_file))
    assert out_file.exists()
    assert drawn.shape == image.shape
    assert not np.array_equal(drawn, image)


def test_box2cs_014_helper_by_hand():
    from mmcv import Config

    from mmpose.apis.inference import _box2cs
    cfg = Config(dict(data_cfg=dict(image_size=[192, 256])))
    # a 30 x 100 box widens to the 3:4 input: 75 x 100 px, padded by 1.25
    center, scale = _box2cs(cfg, np.array([10., 20., 30., 100., 0.9]))
    assert center.tolist() == [25., 70.]
    assert scale.tolist() == [75 / 200 * 1.25, 100 / 200 * 1.25]


def test_top_down_inference_batch_equals_single_boxes(model, image, tmp_path,
                                                      monkeypatch):
    import cv2

    import mmpose.apis.inference as inference
    path = str(tmp_path / 'img.png')
    cv2.imwrite(path, image)
    persons = [dict(bbox=[0, 0, 40, 60]), dict(bbox=[30, 10, 40, 60]),
               dict(bbox=[60, 20, 30, 50])]
    reads = []

    def counting_read(*args, **kwargs):
        reads.append(args[0])
        return read_image_file(*args, **kwargs)

    read_image_file = inference.read_image_file
    monkeypatch.setattr(inference, 'read_image_file', counting_read)
    batched, _ = inference_top_down_pose_model(model, path, persons)
    # The file is decoded once for the three boxes.
    assert reads == [path]
    for person, result in zip(persons, batched):
        alone, _ = inference_top_down_pose_model(model, image, [person])
        np.testing.assert_allclose(result['keypoints'],
                                   alone[0]['keypoints'], rtol=1e-5,
                                   atol=1e-4)


def _png_bytes():
    import cv2
    ok, data = cv2.imencode('.png', np.full((20, 30, 3), 90, np.uint8))
    assert ok
    return data.tobytes()


@pytest.mark.parametrize('content, reason', [
    (b'this is a text file\n', 'not an image'),
    (b'', r'empty \(0 bytes\)'),
    (_png_bytes()[:60], 'starts as a PNG image but is truncated or corrupt'),
    (b'\xff\xd8\xff\xe0' + bytes(10), 'JPEG image but is truncated'),
])
def test_top_down_inference_names_an_undecodable_image(model, tmp_path,
                                                        content, reason):
    bad = tmp_path / 'photo.jpg'
    bad.write_bytes(content)
    with pytest.raises(OSError, match=f'{bad}: it .*{reason}'):
        inference_top_down_pose_model(model, str(bad),
                                      [dict(bbox=[0, 0, 10, 10])])


def test_top_down_inference_missing_image_file(model, tmp_path):
    with pytest.raises(FileNotFoundError, match='nothing.jpg'):
        inference_top_down_pose_model(model, str(tmp_path / 'nothing.jpg'),
                                      [dict(bbox=[0, 0, 10, 10])])


def test_top_down_inference_argument_checks(model, image):
    from mmpose.utils import ArgumentError
    with pytest.raises(ArgumentError, match="'xyxy' or 'xywh'"):
        inference_top_down_pose_model(model, image, [dict(bbox=[0, 0, 9, 9])],
                                      format='cxcywh')
    with pytest.raises(ArgumentError, match='bbox_thr needs boxes with'):
        inference_top_down_pose_model(model, image, [dict(bbox=[0, 0, 9, 9])],
                                      bbox_thr=0.5)
