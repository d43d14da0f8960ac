# Written by tools/misc/write_zoo_configs.py from model-zoo settings.
log_level = 'INFO'
load_from = None
resume_from = None
dist_params = dict(backend='nccl')
workflow = [('train', 1)]
checkpoint_config = dict(interval=10)
evaluation = dict(interval=10, key_indicator='PCK', metric='PCK')
optimizer = dict(type='Adam', lr=0.0005)
optimizer_config = dict(grad_clip=None)
lr_config = dict(
    policy='step',
    step=[170, 200],
    warmup='linear',
    warmup_iters=500,
    warmup_ratio=0.001)
total_epochs = 210
log_config = dict(hooks=[dict(type='TextLoggerHook')], interval=1)
channel_cfg = dict(
    dataset_channel=[
        [
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
            19, 21,
        ],
    ],
    dataset_joints=22,
    inference_channel=[
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
        21,
    ],
    num_output_channels=22)
model = dict(
    type='TopDown',
    backbone=dict(type='ResNet', depth=101),
    keypoint_head=dict(
        type='TopDownSimpleHead',
        in_channels=2048,
        loss_keypoint=dict(type='JointsMSELoss', use_target_weight=True),
        out_channels=22),
    pretrained='torchvision://resnet101',
    test_cfg=dict(
        flip_test=True,
        modulate_kernel=11,
        post_process='default',
        shift_heatmap=True),
    train_cfg=dict())
data_cfg = dict(
    dataset_channel=[
        [
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
            19, 21,
        ],
    ],
    heatmap_size=[64, 64],
    image_size=[256, 256],
    inference_channel=[
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
        21,
    ],
    num_joints=22,
    num_output_channels=22)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='TopDownRandomFlip', flip_prob=0.5),
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
data_root = 'data/horse10'
data = dict(
    samples_per_gpu=64,
    test=dict(
        type='AnimalHorse10Dataset',
        ann_file=f'{data_root}/annotations/horse10-test-split2.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/',
        pipeline=val_pipeline),
    test_dataloader=dict(samples_per_gpu=32),
    train=dict(
        type='AnimalHorse10Dataset',
        ann_file=f'{data_root}/annotations/horse10-train-split2.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/',
        pipeline=train_pipeline),
    val=dict(
        type='AnimalHorse10Dataset',
        ann_file=f'{data_root}/annotations/horse10-test-split2.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/',
        pipeline=val_pipeline),
    val_dataloader=dict(samples_per_gpu=32),
    workers_per_gpu=2)
