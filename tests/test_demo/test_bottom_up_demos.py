import mmcv
import numpy as np
import pytest
import torch
from demo_fixtures import NUM_FRAMES, REPO, figure_boxes, load_demo
from mmcv import Config

from mmpose.apis import inference, inference_tracking


@pytest.fixture(scope='module')
def bottom_up_files(tmp_path_factory):
    """(config, checkpoint) of a small random associative-embedding model
    with the HigherHRNet test pipeline."""
    from mmpose.models import build_posenet
    zoo = Config.fromfile(str(REPO / 'configs' / 'bottom_up' / 'higherhrnet'
                              / 'coco' / 'higher_hrnet32_coco_512x512.py'))
    cfg = Config(dict(
        model=dict(
            type='BottomUp', pretrained=None,
            backbone=dict(type='ResNet', depth=18, num_stages=1,
                          strides=(1, ), dilations=(1, ), out_indices=(0, ),
                          base_channels=8, stem_channels=8),
            keypoint_head=dict(type='BottomUpSimpleHead', in_channels=8,
                               num_joints=17, num_deconv_layers=0,
                               with_ae_loss=[True]),
            train_cfg=dict(),
            test_cfg=dict(zoo.model.test_cfg, flip_test=False,
                          with_heatmaps=[True], with_ae=[True])),
        data_cfg=dict(zoo.data_cfg, image_size=128, heatmap_size=[32],
                      num_scales=1),
        test_pipeline=zoo.test_pipeline,
        data=dict(test=dict(type='BottomUpCocoDataset'))))
    root = tmp_path_factory.mktemp('bottom_up_model')
    cfg.dump(str(root / 'bottom_up.py'))
    torch.manual_seed(0)
    torch.save({'state_dict': build_posenet(cfg.model).state_dict()},
               str(root / 'bottom_up.pth'))
    return str(root / 'bottom_up.py'), str(root / 'bottom_up.pth')


def test_bottom_up_img_demo_file_and_folder(tmp_path, bottom_up_files,
                                            video_files, capsys):
    frames = list(mmcv.VideoReader(video_files[0]))
    for i in range(2):
        mmcv.imwrite(frames[i], str(tmp_path / 'imgs' / f'{i}.png'))
    demo = load_demo('bottom_up_img_demo')
    args = [*bottom_up_files, '--device', 'cpu', '--out-img-root',
            str(tmp_path / 'out')]
    written = demo.main(args + ['--img-path', str(tmp_path / 'imgs')])
    assert written == [str(tmp_path / 'out' / f'vis_{i}.png')
                       for i in range(2)]
    written = demo.main(args + ['--img-path', str(tmp_path / 'imgs' /
                                                  '1.png')])
    assert written == [str(tmp_path / 'out' / 'vis_1.png')]
    assert mmcv.imread(written[0]).shape == frames[1].shape
    assert 'Output image' in capsys.readouterr().out


def test_bottom_up_video_demo(tmp_path, bottom_up_files, video_files,
                              capsys):
    out_file = load_demo('bottom_up_video_demo').main([
        *bottom_up_files, '--video-path', video_files[0], '--device', 'cpu',
        '--out-video-root', str(tmp_path)])
    assert len(mmcv.VideoReader(out_file)) == NUM_FRAMES
    assert f'Output video: {out_file}' in capsys.readouterr().out


def _figure_pose(box):
    x1, y1, x2, y2 = box
    kpts = np.zeros((17, 3))
    kpts[:, 0] = np.linspace(x1 + 2, x2 - 2, 17)
    kpts[:, 1] = np.linspace(y1 + 2, y2 - 2, 17)
    kpts[:, 2] = 0.9
    return kpts


@pytest.mark.parametrize('oks', [False, True])
def test_bottom_up_tracking_demo_ids(oks, tmp_path, bottom_up_files,
                                     video_files, monkeypatch):
    """The network's poses replaced by the figures' (listed in reverse order
    on odd frames): the ids must follow the figures."""
    calls = []

    def fake_inference(model, img, pose_nms_thr=0.9, **kwargs):
        boxes = figure_boxes(len(calls))
        order = [1, 0] if len(calls) % 2 else [0, 1]
        calls.append(order)
        return [dict(keypoints=_figure_pose(boxes[i]), score=0.9)
                for i in order], []

    drawn = []

    def record(model, img, result, **kwargs):
        drawn.append([r['track_id'] for r in result])
        return vis(model, img, result, **kwargs)

    vis = inference_tracking.vis_pose_tracking_result
    monkeypatch.setattr(inference, 'inference_bottom_up_pose_model',
                        fake_inference)
    monkeypatch.setattr(inference_tracking, 'vis_pose_tracking_result',
                        record)
    args = [*bottom_up_files, '--video-path', video_files[0], '--device',
            'cpu', '--out-video-root', str(tmp_path), '--euro']
    load_demo('bottom_up_pose_tracking_demo').main(
        args + (['--use-oks-tracking'] if oks else []))
    assert drawn == calls
