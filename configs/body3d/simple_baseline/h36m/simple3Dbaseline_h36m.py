# Written by tools/misc/write_zoo_configs.py from model-zoo settings.
log_level = 'INFO'
load_from = None
resume_from = None
dist_params = dict(backend='nccl')
workflow = [('train', 1)]
checkpoint_config = dict(interval=10)
evaluation = dict(
    interval=10,
    key_indicator='MPJPE',
    metric=['mpjpe', 'p-mpjpe'])
optimizer = dict(type='Adam', lr=0.001)
optimizer_config = dict(grad_clip=None)
lr_config = dict(by_epoch=False, gamma=0.96, policy='step', step=100000)
total_epochs = 200
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
    type='PoseLifter',
    backbone=dict(
        type='TCN',
        dropout=0.5,
        in_channels=34,
        kernel_sizes=[1, 1, 1],
        num_blocks=2,
        stem_channels=1024),
    keypoint_head=dict(
        type='TemporalRegressionHead',
        in_channels=1024,
        loss_keypoint=dict(type='MSELoss'),
        num_joints=16),
    pretrained=None,
    test_cfg=dict(restore_global_position=True),
    train_cfg=dict())
data_cfg = dict(
    camera_param_file='data/h36m/annotation_body3d/cameras.pkl',
    casual=True,
    joint_2d_src='gt',
    need_camera_param=False,
    num_joints=17,
    seq_frame_interval=1,
    seq_len=1)
train_pipeline = [
    dict(
        type='GetRootCenteredPose',
        item='target',
        remove_root=True,
        root_index=0,
        root_name='root_position',
        visible_item='target_visible'),
    dict(
        type='NormalizeJointCoordinate',
        item='target',
        norm_param_file='data/h36m/annotation_body3d/fps50/joint3d_rel_stats.pkl'),
    dict(
        type='NormalizeJointCoordinate',
        item='input_2d',
        norm_param_file='data/h36m/annotation_body3d/fps50/joint2d_stats.pkl'),
    dict(type='PoseSequenceToTensor', item='input_2d'),
    dict(
        type='Collect',
        keys=[['input_2d', 'input'], 'target'],
        meta_keys=[
            'target_image_path', 'flip_pairs', 'root_position',
            'root_position_index', 'target_mean', 'target_std',
        ],
        meta_name='metas'),
]
val_pipeline = [
    dict(
        type='GetRootCenteredPose',
        item='target',
        remove_root=True,
        root_index=0,
        root_name='root_position',
        visible_item='target_visible'),
    dict(
        type='NormalizeJointCoordinate',
        item='target',
        norm_param_file='data/h36m/annotation_body3d/fps50/joint3d_rel_stats.pkl'),
    dict(
        type='NormalizeJointCoordinate',
        item='input_2d',
        norm_param_file='data/h36m/annotation_body3d/fps50/joint2d_stats.pkl'),
    dict(type='PoseSequenceToTensor', item='input_2d'),
    dict(
        type='Collect',
        keys=[['input_2d', 'input'], 'target'],
        meta_keys=[
            'target_image_path', 'flip_pairs', 'root_position',
            'root_position_index', 'target_mean', 'target_std',
        ],
        meta_name='metas'),
]
test_pipeline = val_pipeline
data_root = 'data/h36m'
data = dict(
    samples_per_gpu=64,
    test=dict(
        type='Body3DH36MDataset',
        ann_file=f'{data_root}/annotation_body3d/fps50/h36m_test.npz',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/images/',
        pipeline=val_pipeline),
    test_dataloader=dict(samples_per_gpu=64),
    train=dict(
        type='Body3DH36MDataset',
        ann_file=f'{data_root}/annotation_body3d/fps50/h36m_train.npz',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/images/',
        pipeline=train_pipeline),
    val=dict(
        type='Body3DH36MDataset',
        ann_file=f'{data_root}/annotation_body3d/fps50/h36m_test.npz',
        data_cfg=data_cfg,
        img_prefix=f'{data_root}/images/',
        pipeline=val_pipeline),
    val_dataloader=dict(samples_per_gpu=64),
    workers_per_gpu=2)
