"""Integration: tools/train.py and tools/test.py on a real TopDown ResNet-18
and TopDownCocoDataset, with a 4-image COCO fixture written in tmp_path."""
import json
import os
import sys
from pathlib import Path

import mmcv
import pytest
import torch

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
from fixtures import write_coco_keypoint_dataset  # noqa: E402
from test_tools_train_test import (  # noqa: E402
    _fresh_logger,  # noqa: F401 (autouse fixture: a log file per run)
    test_tool, train_tool)


def _pipeline(train):
    steps = [dict(type='LoadImageFromFile')]
    if train:
        steps.append(dict(type='TopDownRandomFlip', flip_prob=0.5))
    steps += [
        dict(type='TopDownAffine'),
        dict(type='ToTensor'),
        dict(
            type='NormalizeTensor',
            mean=[0.485, 0.456, 0.406],
            std=[0.229, 0.224, 0.225]),
    ]
    meta_keys = [
        'image_file', 'center', 'scale', 'rotation', 'bbox_score', 'flip_pairs'
    ]
    if train:
        steps.append(dict(type='TopDownGenerateTarget', sigma=2))
        keys = ['img', 'target', 'target_weight']
        meta_keys += ['joints_3d', 'joints_3d_visible']
    else:
        keys = ['img']
    steps.append(dict(type='Collect', keys=keys, meta_keys=meta_keys))
    return steps


def _write_config(tmp_path):
    coco = write_coco_keypoint_dataset(
        tmp_path / 'coco',
        image_sizes=((96, 80), (80, 96), (90, 90), (100, 70)),
        persons_per_image=(1, 1, 1, 1),
        extra_annotations=False)
    data_cfg = dict(
        image_size=[64, 96],
        heatmap_size=[16, 24],
        num_output_channels=17,
        num_joints=17,
        dataset_channel=[list(range(17))],
        inference_channel=list(range(17)),
        soft_nms=False,
        nms_thr=1.0,
        oks_thr=0.9,
        vis_thr=0.2,
        use_gt_bbox=True,
        det_bbox_thr=0.0,
        bbox_file='')

    def dataset(train):
        return dict(
            type='TopDownCocoDataset',
            ann_file=coco['ann_file'],
            img_prefix=coco['img_prefix'],
            data_cfg=data_cfg,
            pipeline=_pipeline(train))

    cfg = dict(
        log_level='INFO',
        load_from=None,
        resume_from=None,
        dist_params=dict(backend='nccl'),
        workflow=[('train', 1)],
        checkpoint_config=dict(interval=1),
        evaluation=dict(interval=1, metric='mAP', key_indicator='AP'),
        optimizer=dict(type='Adam', lr=1e-3),
        optimizer_config=dict(grad_clip=None),
        lr_config=dict(
            policy='step',
            step=[1],
            warmup='linear',
            warmup_iters=1,
            warmup_ratio=0.1),
        total_epochs=1,
        log_config=dict(interval=1, hooks=[dict(type='TextLoggerHook')]),
        model=dict(
            type='TopDown',
            pretrained=None,
            backbone=dict(type='ResNet', depth=18),
            keypoint_head=dict(
                type='TopDownSimpleHead',
                in_channels=512,
                out_channels=17,
                loss_keypoint=dict(
                    type='JointsMSELoss', use_target_weight=True)),
            train_cfg=dict(),
            test_cfg=dict(
                flip_test=True,
                post_process='default',
                shift_heatmap=True,
                modulate_kernel=11)),
        data=dict(
            samples_per_gpu=2,
            workers_per_gpu=0,
            val_dataloader=dict(samples_per_gpu=2),
            test_dataloader=dict(samples_per_gpu=3),
            train=dataset(True),
            val=dataset(False),
            test=dataset(False)))
    path = tmp_path / 'res18_tiny_coco.py'
    mmcv.Config(cfg).dump(str(path))
    return path, coco


def test_train_then_test_topdown_resnet18_on_coco_fixture(tmp_path):
    config, coco = _write_config(tmp_path)
    work_dir = tmp_path / 'work'
    train_tool.main([str(config), '--work-dir', str(work_dir), '--seed', '1'])
    files = sorted(os.listdir(work_dir))
    assert {
        'epoch_1.pth', 'latest.pth', 'best_AP_epoch_1.pth',
        'res18_tiny_coco.py'
    } <= set(files)
    json_log = [f for f in files if f.endswith('.log.json')][0]
    with open(work_dir / json_log) as f:
        records = [json.loads(line) for line in f]
    train = [r for r in records if r.get('mode') == 'train']
    val = [r for r in records if r.get('mode') == 'val']
    # 4 persons, 2 per batch; COCO metrics logged after the epoch.
    assert [r['iter'] for r in train] == [1, 2]
    assert all(r['loss'] > 0 for r in train)
    assert len(val) == 1 and {'AP', 'AR', 'AP .5'} <= set(val[0])
    state = torch.load(work_dir / 'epoch_1.pth')['state_dict']
    assert 'backbone.conv1.weight' in state
    assert 'keypoint_head.final_layer.weight' in state

    results = test_tool.main([
        str(config),
        str(work_dir / 'epoch_1.pth'), '--work-dir',
        str(tmp_path / 'eval'), '--out',
        str(tmp_path / 'out.pkl')
    ])
    assert results['AP'] == pytest.approx(val[0]['AP'], abs=1e-4)
    outputs = mmcv.load(str(tmp_path / 'out.pkl'))
    # test_dataloader: 3 per batch over 4 persons.
    assert [len(o['preds']) for o in outputs] == [3, 1]
    assert (tmp_path / 'eval' / 'result_keypoints.json').exists()

    # A ResNet-50 config cannot take the ResNet-18 checkpoint.
    with pytest.raises(RuntimeError, match='unexpected keys|missing keys'):
        test_tool.main([
            str(config),
            str(work_dir / 'epoch_1.pth'), '--work-dir',
            str(tmp_path / 'eval50'), '--cfg-options',
            'model.backbone.depth=50', 'model.keypoint_head.in_channels=2048'
        ])
