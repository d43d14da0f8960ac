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
    backbone=dict(type='MobileNetV2', out_indices=[7], widen_factor=1.0),
    keypoint_head=dict(
        type='BottomUpSimpleHead',
        in_channels=1280,
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
        num_joints=17,
        tag_per_joint=True,
        with_ae_loss=[True]),
    pretrained='mmcls://mobilenet_v2',
    test_cfg=dict(
        adjust=True,
        detection_threshold=0.1,
        flip_test=True,
        ignore_too_much=False,
        max_num_people=30,
        nms_kernel=5,
        nms_padding=2,
        num_joints=17,
        project2image=True,
        refine=True,
        scale_factor=[1],
        tag_per_joint=True,
        tag_threshold=1,
        use_detection_val=True,
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
        trans_factor=40),
    dict(type='BottomUpRandomFlip', flip_prob=0.5),
    dict(type='ToTensor'),
    dict(
        type='NormalizeTensor',
        mean=[0.485, 0.456, 0.406],
        std=[0.229, 0.224, 0.225]),
    dict(type='BottomUpGenerateTarget', max_num_people=30, sigma=2),
    dict(
        type='Collect',
        keys=['img', 'joints', 'targets', 'masks'],
        meta_keys=[]),
]
val_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='BottomUpGetImgSize', test_scale_factor=[1]),
    dict(
        type='BottomUpResizeAlign',
        transforms=[
            dict(type='ToTensor'),
            dict(
                type='NormalizeTensor',
                mean=[0.485, 0.456, 0.406],
                std=[0.229, 0.224, 0.225]),
        ]),
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
    workers_per_gpu=1)
