# Written by tools/misc/write_zoo_configs.py from model-zoo settings.
log_level = 'INFO'
load_from = None
resume_from = None
dist_params = dict(backend='nccl')
workflow = [('train', 1)]
checkpoint_config = dict(interval=10)
evaluation = dict(interval=10, key_indicator='PCKh', metric='PCKh')
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
    dataset_channel=[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    dataset_joints=16,
    inference_channel=[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    num_output_channels=16)
model = dict(
    type='TopDown',
    backbone=dict(type='ResNet', depth=50),
    keypoint_head=dict(
        type='TopDownSimpleHead',
        in_channels=2048,
        loss_keypoint=dict(type='JointsMSELoss', use_target_weight=True),
        out_channels=16),
    pretrained='torchvision://resnet50',
    test_cfg=dict(
        flip_test=True,
        modulate_kernel=11,
        post_process='default',
        shift_heatmap=True),
    train_cfg=dict())
data_cfg = dict(
    bbox_file=None,
    dataset_channel=[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    heatmap_size=[64, 64],
    image_size=[256, 256],
    inference_channel=[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    num_joints=16,
    num_output_channels=16,
    use_gt_bbox=True)
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
            'rotation', 'flip_pairs',
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
        meta_keys=['image_file', 'center', 'scale', 'rotation', 'flip_pairs']),
]
test_pipeline = val_pipeline
data_root = 'data/mpii'
data = dict(
    samples_per_gpu=64,
    test=dict(
        type='TopDownMpiiDataset',
        ann_file=f'{data_root}/annotations/mpii_val.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/images/',
        pipeline=val_pipeline),
    train=dict(
        type='TopDownMpiiDataset',
        ann_file=f'{data_root}/annotations/mpii_train.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/images/',
        pipeline=train_pipeline),
    val=dict(
        type='TopDownMpiiDataset',
        ann_file=f'{data_root}/annotations/mpii_val.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/images/',
        pipeline=val_pipeline),
    workers_per_gpu=2)
