# Written by tools/misc/write_zoo_configs.py from model-zoo settings.
log_level = 'INFO'
load_from = None
resume_from = None
dist_params = dict(backend='nccl')
workflow = [('train', 1)]
checkpoint_config = dict(interval=10)
evaluation = dict(interval=10, key_indicator='AP', metric='mAP')
optimizer = dict(type='Adam', lr=0.0005)
optimizer_config = dict(grad_clip=None)
lr_config = dict(
    policy='step',
    step=[170, 200],
    warmup='linear',
    warmup_iters=500,
    warmup_ratio=0.001)
total_epochs = 210
log_config = dict(hooks=[dict(type='TextLoggerHook')], interval=50)
channel_cfg = dict(
    dataset_channel=[
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
    ],
    dataset_joints=17,
    inference_channel=[
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    ],
    num_output_channels=17)
model = dict(
    type='TopDown',
    backbone=dict(type='AlexNet', num_classes=-1),
    keypoint_head=dict(
        type='TopDownSimpleHead',
        in_channels=256,
        loss_keypoint=dict(type='JointsMSELoss', use_target_weight=True),
        out_channels=17),
    pretrained=None,
    test_cfg=dict(
        flip_test=True,
        modulate_kernel=11,
        post_process='default',
        shift_heatmap=True),
    train_cfg=dict())
data_cfg = dict(
    bbox_file='data/coco/person_detection_results/COCO_val2017_detections_AP_H_56_person.json',
    dataset_channel=[
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
    ],
    det_bbox_thr=0.0,
    heatmap_size=[40, 56],
    image_size=[192, 256],
    inference_channel=[
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    ],
    nms_thr=1.0,
    num_joints=17,
    num_output_channels=17,
    oks_thr=0.9,
    soft_nms=False,
    use_gt_bbox=False,
    vis_thr=0.2)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='TopDownRandomFlip', flip_prob=0.5),
    dict(
        type='TopDownHalfBodyTransform',
        num_joints_half_body=8,
        prob_half_body=0.3),
    dict(type='TopDownGetRandomScaleRotation', rot_factor=40, scale_factor=0.5),
    dict(type='TopDownAffine'),
    dict(type='ToTensor'),
    dict(
        type='NormalizeTensor',
        mean=[0.485, 0.456, 0.406],
        std=[0.229, 0.224, 0.225]),
    dict(type='TopDownGenerateTarget', sigma=2),
    dict(
        type='Collect',
        keys=['img', 'target', 'target_weight'],
        meta_keys=[
            'image_file', 'joints_3d', 'joints_3d_visible', 'center', 'scale',
            'rotation', 'bbox_score', 'flip_pairs',
        ]),
]
val_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='TopDownAffine'),
    dict(type='ToTensor'),
    dict(
        type='NormalizeTensor',
        mean=[0.485, 0.456, 0.406],
        std=[0.229, 0.224, 0.225]),
    dict(
        type='Collect',
        keys=['img'],
        meta_keys=[
            'image_file', 'center', 'scale', 'rotation', 'bbox_score',
            'flip_pairs',
        ]),
]
test_pipeline = val_pipeline
data_root = 'data/coco'
data = dict(
    samples_per_gpu=64,
    test=dict(
        type='TopDownCocoDataset',
        ann_file=f'{data_root}/annotations/person_keypoints_val2017.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/val2017/',
        pipeline=val_pipeline),
    train=dict(
        type='TopDownCocoDataset',
        ann_file=f'{data_root}/annotations/person_keypoints_train2017.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/train2017/',
        pipeline=train_pipeline),
    val=dict(
        type='TopDownCocoDataset',
        ann_file=f'{data_root}/annotations/person_keypoints_val2017.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/val2017/',
        pipeline=val_pipeline),
    workers_per_gpu=2)
