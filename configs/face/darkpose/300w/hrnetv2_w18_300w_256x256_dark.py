# Written by tools/misc/write_zoo_configs.py from model-zoo settings.
log_level = 'INFO'
load_from = None
resume_from = None
dist_params = dict(backend='nccl')
workflow = [('train', 1)]
checkpoint_config = dict(interval=1)
evaluation = dict(interval=1, key_indicator='NME', metric=['NME'])
optimizer = dict(type='Adam', lr=0.002)
optimizer_config = dict(grad_clip=None)
lr_config = dict(
    policy='step',
    step=[40, 55],
    warmup='linear',
    warmup_iters=500,
    warmup_ratio=0.001)
total_epochs = 60
log_config = dict(hooks=[dict(type='TextLoggerHook')], interval=5)
channel_cfg = dict(
    dataset_channel=[
        [
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
            19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,
            36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52,
            53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67,
        ],
    ],
    dataset_joints=68,
    inference_channel=[
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
        20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37,
        38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55,
        56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67,
    ],
    num_output_channels=68)
model = dict(
    type='TopDown',
    backbone=dict(
        type='HRNet',
        extra=dict(
            stage1=dict(
                block='BOTTLENECK',
                num_blocks=[4],
                num_branches=1,
                num_channels=[64],
                num_modules=1),
            stage2=dict(
                block='BASIC',
                num_blocks=[4, 4],
                num_branches=2,
                num_channels=[18, 36],
                num_modules=1),
            stage3=dict(
                block='BASIC',
                num_blocks=[4, 4, 4],
                num_branches=3,
                num_channels=[18, 36, 72],
                num_modules=4),
            stage4=dict(
                block='BASIC',
                multiscale_output=True,
                num_blocks=[4, 4, 4, 4],
                num_branches=4,
                num_channels=[18, 36, 72, 144],
                num_modules=3),
            upsample=dict(align_corners=False, mode='bilinear')),
        in_channels=3),
    keypoint_head=dict(
        type='TopDownSimpleHead',
        extra=dict(
            final_conv_kernel=1,
            num_conv_kernels=[1],
            num_conv_layers=1),
        in_channels=[18, 36, 72, 144],
        in_index=[0, 1, 2, 3],
        input_transform='resize_concat',
        loss_keypoint=dict(type='JointsMSELoss', use_target_weight=True),
        num_deconv_layers=0,
        out_channels=68),
    pretrained='open-mmlab://msra/hrnetv2_w18',
    test_cfg=dict(
        flip_test=True,
        modulate_kernel=11,
        post_process='unbiased',
        shift_heatmap=True),
    train_cfg=dict())
data_cfg = dict(
    dataset_channel=[
        [
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
            19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,
            36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52,
            53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67,
        ],
    ],
    heatmap_size=[64, 64],
    image_size=[256, 256],
    inference_channel=[
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
        20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37,
        38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55,
        56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67,
    ],
    num_joints=68,
    num_output_channels=68)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='TopDownRandomFlip', flip_prob=0.5),
    dict(
        type='TopDownGetRandomScaleRotation',
        rot_factor=30,
        scale_factor=0.25),
    dict(type='TopDownAffine'),
    dict(type='ToTensor'),
    dict(
        type='NormalizeTensor',
        mean=[0.485, 0.456, 0.406],
        std=[0.229, 0.224, 0.225]),
    dict(type='TopDownGenerateTarget', sigma=2, unbiased_encoding=True),
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
data_root = 'data/300w'
data = dict(
    samples_per_gpu=64,
    test=dict(
        type='Face300WDataset',
        ann_file=f'{data_root}/annotations/face_landmarks_300w_valid.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/images/',
        pipeline=val_pipeline),
    train=dict(
        type='Face300WDataset',
        ann_file=f'{data_root}/annotations/face_landmarks_300w_train.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/images/',
        pipeline=train_pipeline),
    val=dict(
        type='Face300WDataset',
        ann_file=f'{data_root}/annotations/face_landmarks_300w_valid.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/images/',
        pipeline=val_pipeline),
    workers_per_gpu=2)
