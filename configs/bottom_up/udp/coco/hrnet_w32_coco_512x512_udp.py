# Written by tools/misc/write_zoo_configs.py from model-zoo settings.
log_level = 'INFO'
load_from = None
resume_from = None
dist_params = dict(backend='nccl')
workflow = [('train', 1)]
checkpoint_config = dict(interval=50)
evaluation = dict(interval=50, key_indicator='AP', metric='mAP')
optimizer = dict(type='Adam', lr=0.0015)
optimizer_config = dict(grad_clip=None)
lr_config = dict(
    policy='step',
    step=[200, 260],
    warmup='linear',
    warmup_iters=500,
    warmup_ratio=0.001)
total_epochs = 300
log_config = dict(hooks=[dict(type='TextLoggerHook')], interval=50)
channel_cfg = dict(
    dataset_channel=[
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
    ],
    dataset_joints=17,
    inference_channel=[
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    ])
model = dict(
    type='BottomUp',
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
                num_channels=[32, 64],
                num_modules=1),
            stage3=dict(
                block='BASIC',
                num_blocks=[4, 4, 4],
                num_branches=3,
                num_channels=[32, 64, 128],
                num_modules=4),
            stage4=dict(
                block='BASIC',
                num_blocks=[4, 4, 4, 4],
                num_branches=4,
                num_channels=[32, 64, 128, 256],
                num_modules=3)),
        in_channels=3),
    keypoint_head=dict(
        type='BottomUpSimpleHead',
        extra=dict(final_conv_kernel=1),
        in_channels=32,
        loss_keypoint=dict(
            type='MultiLossFactory',
            ae_loss_type='exp',
            heatmaps_loss_factor=[1.0],
            num_joints=17,
            num_stages=1,
            pull_loss_factor=[0.001],
            push_loss_factor=[0.001],
            with_ae_loss=[True],
            with_heatmaps_loss=[True]),
        num_deconv_layers=0,
        num_joints=17,
        tag_per_joint=True,
        with_ae_loss=[True]),
    pretrained='https://download.openmmlab.com/mmpose/pretrain_models/hrnet_w32-36af842e.pth',
    test_cfg=dict(
        adjust=True,
        detection_threshold=0.1,
        flip_test=True,
        ignore_too_much=False,
        max_num_people=30,
        nms_kernel=5,
        nms_padding=2,
        num_joints=17,
        project2image=False,
        refine=True,
        scale_factor=[1],
        tag_per_joint=True,
        tag_threshold=1,
        use_detection_val=True,
        use_udp=True,
        with_ae=[True],
        with_heatmaps=[True]),
    train_cfg=dict(img_size=512, num_joints=17))
data_cfg = dict(
    base_sigma=2,
    base_size=256,
    dataset_channel=[
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
    ],
    heatmap_size=[128],
    image_size=512,
    inference_channel=[
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    ],
    num_joints=17,
    num_scales=1,
    scale_aware_sigma=False)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='BottomUpRandomAffine',
        rot_factor=30,
        scale_factor=[0.75, 1.5],
        scale_type='short',
        trans_factor=40,
        use_udp=True),
    dict(type='BottomUpRandomFlip', flip_prob=0.5),
    dict(type='ToTensor'),
    dict(
        type='NormalizeTensor',
        mean=[0.485, 0.456, 0.406],
        std=[0.229, 0.224, 0.225]),
    dict(
        type='BottomUpGenerateTarget',
        max_num_people=30,
        sigma=2,
        use_udp=True),
    dict(
        type='Collect',
        keys=['img', 'joints', 'targets', 'masks'],
        meta_keys=[]),
]
val_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='BottomUpGetImgSize', test_scale_factor=[1], use_udp=True),
    dict(
        type='BottomUpResizeAlign',
        transforms=[
            dict(type='ToTensor'),
            dict(
                type='NormalizeTensor',
                mean=[0.485, 0.456, 0.406],
                std=[0.229, 0.224, 0.225]),
        ],
        use_udp=True),
    dict(
        type='Collect',
        keys=['img'],
        meta_keys=[
            'image_file', 'aug_data', 'test_scale_factor', 'base_size',
            'center', 'scale', 'flip_index',
        ]),
]
test_pipeline = val_pipeline
data_root = 'data/coco'
data = dict(
    samples_per_gpu=24,
    test=dict(
        type='BottomUpCocoDataset',
        ann_file=f'{data_root}/annotations/person_keypoints_val2017.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/val2017/',
        pipeline=val_pipeline),
    train=dict(
        type='BottomUpCocoDataset',
        ann_file=f'{data_root}/annotations/person_keypoints_train2017.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/train2017/',
        pipeline=train_pipeline),
    val=dict(
        type='BottomUpCocoDataset',
        ann_file=f'{data_root}/annotations/person_keypoints_val2017.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/val2017/',
        pipeline=val_pipeline),
    workers_per_gpu=2)
