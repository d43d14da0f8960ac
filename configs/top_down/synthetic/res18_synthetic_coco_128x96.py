# ResNet-18 + TopDownSimpleHead on the synthetic stick-figure COCO data of
# tools/dataset/make_synthetic_coco.py: the `make demo` first-run model, sized
# to train from scratch on a 2-core CPU in minutes (10 epochs of ~2.3k person
# crops). Limb colours encode left/right on this data, so neither training (no
# TopDownRandomFlip) nor testing flips images.
log_level = 'INFO'
load_from = None
resume_from = None
dist_params = dict(backend='nccl')
workflow = [('train', 1)]
checkpoint_config = dict(interval=5)
evaluation = dict(interval=5, key_indicator='AP', metric='mAP')
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
    num_output_channels=17,
    dataset_joints=17,
    dataset_channel=[
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
    ],
    inference_channel=[
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
    ])
model = dict(
    type='TopDown',
    # No ImageNet weights: the demo runs offline and learns from scratch.
    pretrained=None,
    # ResNet-18 at half width and a lighter head (128 deconv filters): about
    # 4x fewer FLOPs than the COCO res18 model, so that a 2-core CPU trains
    # it in minutes.
    backbone=dict(
        type='ResNet', depth=18, stem_channels=32, base_channels=32),
    keypoint_head=dict(
        type='TopDownSimpleHead',
        in_channels=256,
        out_channels=channel_cfg['num_output_channels'],
        num_deconv_filters=(128, 128, 128),
        loss_keypoint=dict(type='JointsMSELoss', use_target_weight=True)),
    train_cfg=dict(),
    test_cfg=dict(
        flip_test=False,
        # DARK decoding (with its encoding below): sub-pixel precision at
        # this low heatmap resolution.
        post_process='unbiased',
        shift_heatmap=False,
        modulate_kernel=11))
data_cfg = dict(
    image_size=[96, 128],
    heatmap_size=[24, 32],
    num_output_channels=channel_cfg['num_output_channels'],
    num_joints=channel_cfg['dataset_joints'],
    dataset_channel=channel_cfg['dataset_channel'],
    inference_channel=channel_cfg['inference_channel'],
    soft_nms=False,
    nms_thr=1.0,
    oks_thr=0.9,
    vis_thr=0.2,
    use_gt_bbox=True,
    det_bbox_thr=0.0,
    bbox_file='')
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='TopDownGetRandomScaleRotation', rot_factor=30,
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
            'rotation', 'bbox_score', 'flip_pairs'
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
            'flip_pairs'
        ]),
]
test_pipeline = val_pipeline
data_root = 'data/synthetic_coco'
val_data = dict(
    type='TopDownCocoDataset',
    ann_file=f'{data_root}/annotations/person_keypoints_val.json',
    img_prefix=f'{data_root}/val/',
    data_cfg=data_cfg,
    pipeline=val_pipeline)
data = dict(
    # Small batches: more optimizer steps in the short CPU budget.
    samples_per_gpu=16,
    workers_per_gpu=2,
    val_dataloader=dict(samples_per_gpu=64),
    test_dataloader=dict(samples_per_gpu=64),
    train=dict(
        type='TopDownCocoDataset',
        ann_file=f'{data_root}/annotations/person_keypoints_train.json',
        img_prefix=f'{data_root}/train/',
        data_cfg=data_cfg,
        pipeline=train_pipeline),
    val=val_data,
    test=val_data,
)
