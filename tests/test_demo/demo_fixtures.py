"""Shared fixtures of the demo tests: a tiny random top-down model saved
as config + checkpoint, a short generated video and its boxes."""
import json
import runpy
import sys
from pathlib import Path
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
import torch
from mmcv import Config

REPO = Path(__file__).resolve().parents[2]
SYNTHETIC_CONFIG = (REPO / 'configs' / 'top_down' / 'synthetic' /
                    'res18_synthetic_coco_128x96.py')


def load_demo(name):
    """``demo/<name>.py`` run as a module (not as __main__): its globals."""
    return SimpleNamespace(**runpy.run_path(
        str(REPO / 'demo' / f'{name}.py'), run_name=f'demo_{name}'))


def write_pose_files(root, dataset='TopDownCocoDataset', num_joints=17):
    """Write (config path, checkpoint path) of a small random top-down
    model of ``num_joints`` keypoints whose test set is ``dataset``."""
    from mmpose.models import build_posenet
    cfg = Config.fromfile(str(SYNTHETIC_CONFIG))
    cfg.model.pretrained = None
    cfg.model.backbone = dict(type='ResNet', depth=18, base_channels=8,
                              stem_channels=8)
    cfg.model.keypoint_head.in_channels = 64
    cfg.model.keypoint_head.out_channels = num_joints
    cfg.model.keypoint_head.num_deconv_filters = (16, 16, 16)
    cfg.model.test_cfg.flip_test = False
    cfg.data_cfg.num_joints = num_joints
    cfg.data.test.type = dataset
    config = root / f'{dataset}.py'
    cfg.dump(str(config))
    torch.manual_seed(0)
    model = build_posenet(cfg.model)
    checkpoint = root / f'{dataset}.pth'
    torch.save({'state_dict': model.state_dict()}, str(checkpoint))
    return str(config), str(checkpoint)


@pytest.fixture(scope='session')
def pose_files(tmp_path_factory):
    """(config path, checkpoint path) of a small random COCO model."""
    return write_pose_files(tmp_path_factory.mktemp('pose_model'))


# Two figures walking right over 5 frames: boxes (x1, y1, x2, y2) per frame.
NUM_FRAMES = 5


def figure_boxes(index):
    return [[20 + 6 * index, 20, 60 + 6 * index, 100],
            [100 + 4 * index, 30, 140 + 4 * index, 110]]


@pytest.fixture(scope='session')
def video_files(tmp_path_factory):
    """(video path, per-frame det json path) of a short generated clip."""
    root = tmp_path_factory.mktemp('video')
    video = root / 'clip.mp4'
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*'mp4v'),
                             10, (192, 128))
    for index in range(NUM_FRAMES):
        frame = np.full((128, 192, 3), 40, np.uint8)
        for x1, y1, x2, y2 in figure_boxes(index):
            cv2.rectangle(frame, (x1, y1), (x2, y2), (200, 180, 160), -1)
        writer.write(frame)
    writer.release()
    det_file = root / 'clip_boxes.json'
    det_file.write_text(json.dumps(
        [[box + [0.9] for box in figure_boxes(i)] for i in range(NUM_FRAMES)]))
    return str(video), str(det_file)


@pytest.fixture
def no_display(monkeypatch):
    monkeypatch.delenv('DISPLAY', raising=False)
    monkeypatch.delenv('WAYLAND_DISPLAY', raising=False)
    monkeypatch.setattr(sys, 'platform', 'linux')
