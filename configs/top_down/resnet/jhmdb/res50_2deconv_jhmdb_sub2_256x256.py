# Written by tools/misc/write_zoo_configs.py from model-zoo settings.
log_level = 'INFO'
load_from = 'https://download.openmmlab.com/mmpose/top_down/resnet/res50_mpii_256x256-418ffc88_20200812.pth'
resume_from = None
dist_params = dict(backend='nccl')
workflow = [('train', 1)]
checkpoint_config = dict(interval=1)
evaluation = dict(interval=1, key_indicator='Mean PCK', metric=['PCK', 'tPCK'])
optimizer = dict(type='Adam', lr=0.0005)
optimizer_config = dict(grad_clip=None)
lr_config = dict(
    policy='step',
    step=[20, 30],
    warmup='linear',
    warmup_iters=500,
    warmup_ratio=0.001)
total_epochs = 40
log_config = dict(hooks=[dict(type='TextLoggerHook')], interval=50)
channel_cfg = dict(
    dataset_channel=[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]],
    dataset_joints=15,
    inference_channel=[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
    num_output_channels=15)
model = dict(
    type='TopDown',
    backbone=dict(type='ResNet', depth=50),
    keypoint_head=dict(
        type='TopDownSimpleHead',
        in_channels=2048,
        loss_keypoint=dict(type='JointsMSELoss', use_target_weight=True),
        num_deconv_filters=[256, 256],
        num_deconv_kernels=[4, 4],
        num_deconv_layers=2,
        out_channels=15),
    pretrained=None,
    test_cfg=dict(
        flip_test=True,
        modulate_kernel=11,
        post_process='default',
        shift_heatmap=True),
    train_cfg=dict())
data_cfg = dict(
    bbox_file='',
    dataset_channel=[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]],
    det_bbox_thr=0.0,
    heatmap_size=[32, 32],
    image_size=[256, 256],
    inference_channel=[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
    nms_thr=1.0,
    num_joints=15,
    num_output_channels=15,
    oks_thr=0.9,
    soft_nms=False,
    use_gt_bbox=True,
    vis_thr=0.2)
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
    dict(type='TopDownGenerateTarget', sigma=2),
    dict(
        type='Collect',
        keys=['img', 'target', 'target_weight'],
        meta_keys=[
            'image_file', 'joints_3d', 'joints_3d_visible', 'center', 'scale',
            'rotation', 'bbox', 'flip_pairs',
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
            'image_file', 'center', 'scale', 'rotation', 'bbox', 'flip_pairs',
        ]),
]
test_pipeline = val_pipeline
data_root = 'data/jhmdb'
data = dict(
    samples_per_gpu=64,
    test=dict(
        type='TopDownJhmdbDataset',
        ann_file=f'{data_root}/annotations/Sub2_test.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/',
        pipeline=val_pipeline),
    train=dict(
        type='TopDownJhmdbDataset',
        ann_file=f'{data_root}/annotations/Sub2_train.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/',
        pipeline=train_pipeline),
    val=dict(
        type='TopDownJhmdbDataset',
        ann_file=f'{data_root}/annotations/Sub2_test.json',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/',
        pipeline=val_pipeline),
    workers_per_gpu=2)
