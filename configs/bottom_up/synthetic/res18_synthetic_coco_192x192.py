# ResNet-18 (half width) + BottomUpSimpleHead (associative embedding) on the
# synthetic stick-figure COCO data of tools/dataset/make_synthetic_coco.py:
# the bottom-up first-run model, trained from scratch on a CPU. Limb colours
# encode left/right on this data, so neither training (no
# BottomUpRandomFlip) nor testing flips images.
#
# Sized for about 11 minutes of training on 2 idle CPU cores (0.72 s per
# batch of 16 measured): 192x192 inputs, 48x48 heatmaps (ground-truth maps
# through the grouping and COCOeval give AP 0.75 at this size, 0.85 at
# 256x256, 0.53 at 128x128), 10 epochs of the 1500 generated images. The
# tag losses weigh 10x 0.14's COCO factors: heatmaps learn within 2 epochs,
# tags are the slow part (at 0.001 they stayed within 0.2 of each other
# after 2 epochs, so grouping put every joint in one person; at 0.01, 3
# epochs gave AP 0.13). The 'max' push (a hinge on the tag distance) is used
# instead of 'exp': exp(-d^2) has almost no gradient while tags are still
# close together, and with it the push loss stayed flat (AP 0.18 after 5
# of 10 epochs); with 'max' the full run reaches AP 0.41 in 12 minutes.
log_level = 'INFO'
load_from = None
resume_from = None
dist_params = dict(backend='nccl')
workflow = [('train', 1)]
checkpoint_config = dict(interval=5)
evaluation = dict(interval=10, key_indicator='AP', metric='mAP')
optimizer = dict(type='Adam', lr=2e-3)
optimizer_config = dict(grad_clip=None)
lr_config = dict(
    policy='step',
    step=[8],
    warmup='linear',
    warmup_iters=100,
    warmup_ratio=0.01)
total_epochs = 10
log_config = dict(hooks=[dict(type='TextLoggerHook')], interval=20)
channel_cfg = dict(
    dataset_joints=17,
    dataset_channel=[
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
    ],
    inference_channel=[
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
    ])
data_cfg = dict(
    image_size=192,
    base_size=96,
    base_sigma=2,
    heatmap_size=[48],
    num_joints=channel_cfg['dataset_joints'],
    dataset_channel=channel_cfg['dataset_channel'],
    inference_channel=channel_cfg['inference_channel'],
    num_scales=1,
    scale_aware_sigma=False)
model = dict(
    type='BottomUp',
    # No ImageNet weights: the demo runs offline and learns from scratch.
    pretrained=None,
    backbone=dict(
        type='ResNet', depth=18, stem_channels=32, base_channels=32),
    keypoint_head=dict(
        type='BottomUpSimpleHead',
        in_channels=256,
        num_joints=17,
        num_deconv_filters=(128, 128, 128),
        tag_per_joint=True,
        with_ae_loss=[True],
        extra=dict(final_conv_kernel=1),
        loss_keypoint=dict(
            type='MultiLossFactory',
            num_joints=17,
            num_stages=1,
            ae_loss_type='max',
            with_ae_loss=[True],
            push_loss_factor=[0.01],
            pull_loss_factor=[0.01],
            with_heatmaps_loss=[True],
            heatmaps_loss_factor=[1.0])),
    train_cfg=dict(num_joints=17, img_size=192),
    test_cfg=dict(
        num_joints=17,
        max_num_people=10,
        scale_factor=[1],
        with_heatmaps=[True],
        with_ae=[True],
        project2image=False,
        nms_kernel=5,
        nms_padding=2,
        tag_per_joint=True,
        detection_threshold=0.1,
        tag_threshold=1,
        use_detection_val=True,
        ignore_too_much=False,
        adjust=True,
        refine=True,
        flip_test=False))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='BottomUpRandomAffine',
        rot_factor=30,
        scale_factor=[0.75, 1.25],
        scale_type='short',
        trans_factor=20),
    dict(type='ToTensor'),
    dict(
        type='NormalizeTensor',
        mean=[0.485, 0.456, 0.406],
        std=[0.229, 0.224, 0.225]),
    dict(type='BottomUpGenerateTarget', sigma=2, max_num_people=10),
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
            'center', 'scale', 'flip_index'
        ]),
]
test_pipeline = val_pipeline
data_root = 'data/synthetic_coco'
data = dict(
    samples_per_gpu=16,
    workers_per_gpu=0,
    val_dataloader=dict(samples_per_gpu=1),
    test_dataloader=dict(samples_per_gpu=1),
    train=dict(
        type='BottomUpCocoDataset',
        ann_file=f'{data_root}/annotations/person_keypoints_train.json',
        img_prefix=f'{data_root}/train/',
        data_cfg=data_cfg,
        pipeline=train_pipeline),
    val=dict(
        type='BottomUpCocoDataset',
        ann_file=f'{data_root}/annotations/person_keypoints_val.json',
        img_prefix=f'{data_root}/val/',
        data_cfg=data_cfg,
        pipeline=val_pipeline))
data['test'] = data['val']
