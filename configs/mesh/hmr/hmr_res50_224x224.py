# Written by tools/misc/write_zoo_configs.py from model-zoo settings.
log_level = 'INFO'
load_from = None
resume_from = None
dist_params = dict(backend='nccl')
workflow = [('train', 1)]
checkpoint_config = dict(interval=10)
optimizer = dict(
    discriminator=dict(type='Adam', lr=0.0001),
    generator=dict(type='Adam', lr=0.00025))
optimizer_config = None
lr_config = dict(by_epoch=False, policy='Fixed')
total_epochs = 100
log_config = dict(hooks=[dict(type='TextLoggerHook')], interval=50)
img_res = 224
use_adversarial_train = True
model = dict(
    type='ParametricMesh',
    backbone=dict(type='ResNet', depth=50),
    disc=dict(),
    loss_gan=dict(
        type='GANLoss',
        fake_label_val=0.0,
        gan_type='lsgan',
        loss_weight=1,
        real_label_val=1.0),
    loss_mesh=dict(
        type='MeshLoss',
        focal_length=5000,
        img_res=224,
        joints_2d_loss_weight=100,
        joints_3d_loss_weight=1000,
        smpl_beta_loss_weight=0.2,
        smpl_pose_loss_weight=30,
        vertex_loss_weight=20),
    mesh_head=dict(
        type='MeshHMRHead',
        in_channels=2048,
        smpl_mean_params='models/smpl/smpl_mean_params.npz'),
    pretrained=None,
    smpl=dict(
        joints_regressor='models/smpl/joints_regressor_cmr.npy',
        smpl_path='models/smpl'),
    test_cfg=dict(),
    train_cfg=dict(disc_step=1))
data_cfg = dict(
    image_size=[224, 224],
    iuv_size=[56, 56],
    num_joints=24,
    use_IUV=False,
    uv_type='BF')
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MeshRandomChannelNoise', noise_factor=0.4),
    dict(type='MeshRandomFlip', flip_prob=0.5),
    dict(type='MeshGetRandomScaleRotation', rot_factor=30, scale_factor=0.25),
    dict(type='MeshAffine'),
    dict(type='ToTensor'),
    dict(
        type='NormalizeTensor',
        mean=[0.485, 0.456, 0.406],
        std=[0.229, 0.224, 0.225]),
    dict(
        type='Collect',
        keys=[
            'img', 'joints_2d', 'joints_2d_visible', 'joints_3d',
            'joints_3d_visible', 'pose', 'beta', 'has_smpl',
        ],
        meta_keys=['image_file', 'center', 'scale', 'rotation']),
]
train_adv_pipeline = [dict(type='Collect', keys=['mosh_theta'], meta_keys=[])]
val_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='MeshAffine'),
    dict(type='ToTensor'),
    dict(
        type='NormalizeTensor',
        mean=[0.485, 0.456, 0.406],
        std=[0.229, 0.224, 0.225]),
    dict(
        type='Collect',
        keys=['img'],
        meta_keys=['image_file', 'center', 'scale', 'rotation']),
]
test_pipeline = val_pipeline
data = dict(
    samples_per_gpu=32,
    test=dict(
        type='MeshH36MDataset',
        ann_file='data/mesh_annotation_files/h36m_valid_protocol2.npz',
        data_cfg=data_cfg,
        img_prefix='data/Human3.6M',
        pipeline=val_pipeline),
    train=dict(
        type='MeshAdversarialDataset',
        adversarial_dataset=dict(
            type='MoshDataset',
            ann_file='data/mesh_annotation_files/CMU_mosh.npz',
            pipeline=[dict(type='Collect', keys=['mosh_theta'], meta_keys=[])]),
        train_dataset=dict(
            type='MeshMixDataset',
            configs=[
                dict(
                    ann_file='data/mesh_annotation_files/h36m_train.npz',
                    data_cfg=dict(
                        image_size=[224, 224],
                        iuv_size=[56, 56],
                        num_joints=24,
                        use_IUV=False,
                        uv_type='BF'),
                    img_prefix='data/h36m_train',
                    pipeline=[
                        dict(type='LoadImageFromFile'),
                        dict(type='MeshRandomChannelNoise', noise_factor=0.4),
                        dict(type='MeshRandomFlip', flip_prob=0.5),
                        dict(
                            type='MeshGetRandomScaleRotation',
                            rot_factor=30,
                            scale_factor=0.25),
                        dict(type='MeshAffine'),
                        dict(type='ToTensor'),
                        dict(
                            type='NormalizeTensor',
                            mean=[0.485, 0.456, 0.406],
                            std=[0.229, 0.224, 0.225]),
                        dict(
                            type='Collect',
                            keys=[
                                'img', 'joints_2d', 'joints_2d_visible',
                                'joints_3d', 'joints_3d_visible', 'pose',
                                'beta', 'has_smpl',
                            ],
                            meta_keys=[
                                'image_file', 'center', 'scale', 'rotation',
                            ]),
                    ]),
                dict(
                    ann_file='data/mesh_annotation_files/mpi_inf_3dhp_train.npz',
                    data_cfg=dict(
                        image_size=[224, 224],
                        iuv_size=[56, 56],
                        num_joints=24,
                        use_IUV=False,
                        uv_type='BF'),
                    img_prefix='data/mpi_inf_3dhp',
                    pipeline=[
                        dict(type='LoadImageFromFile'),
                        dict(type='MeshRandomChannelNoise', noise_factor=0.4),
                        dict(type='MeshRandomFlip', flip_prob=0.5),
                        dict(
                            type='MeshGetRandomScaleRotation',
                            rot_factor=30,
                            scale_factor=0.25),
                        dict(type='MeshAffine'),
                        dict(type='ToTensor'),
                        dict(
                            type='NormalizeTensor',
                            mean=[0.485, 0.456, 0.406],
                            std=[0.229, 0.224, 0.225]),
                        dict(
                            type='Collect',
                            keys=[
                                'img', 'joints_2d', 'joints_2d_visible',
                                'joints_3d', 'joints_3d_visible', 'pose',
                                'beta', 'has_smpl',
                            ],
                            meta_keys=[
                                'image_file', 'center', 'scale', 'rotation',
                            ]),
                    ]),
                dict(
                    ann_file='data/mesh_annotation_files/lsp_dataset_original_train.npz',
                    data_cfg=dict(
                        image_size=[224, 224],
                        iuv_size=[56, 56],
                        num_joints=24,
                        use_IUV=False,
                        uv_type='BF'),
                    img_prefix='data/lsp_dataset_original',
                    pipeline=[
                        dict(type='LoadImageFromFile'),
                        dict(type='MeshRandomChannelNoise', noise_factor=0.4),
                        dict(type='MeshRandomFlip', flip_prob=0.5),
                        dict(
                            type='MeshGetRandomScaleRotation',
                            rot_factor=30,
                            scale_factor=0.25),
                        dict(type='MeshAffine'),
                        dict(type='ToTensor'),
                        dict(
                            type='NormalizeTensor',
                            mean=[0.485, 0.456, 0.406],
                            std=[0.229, 0.224, 0.225]),
                        dict(
                            type='Collect',
                            keys=[
                                'img', 'joints_2d', 'joints_2d_visible',
                                'joints_3d', 'joints_3d_visible', 'pose',
                                'beta', 'has_smpl',
                            ],
                            meta_keys=[
                                'image_file', 'center', 'scale', 'rotation',
                            ]),
                    ]),
                dict(
                    ann_file='data/mesh_annotation_files/hr-lspet_train.npz',
                    data_cfg=dict(
                        image_size=[224, 224],
                        iuv_size=[56, 56],
                        num_joints=24,
                        use_IUV=False,
                        uv_type='BF'),
                    img_prefix='data/hr-lspet',
                    pipeline=[
                        dict(type='LoadImageFromFile'),
                        dict(type='MeshRandomChannelNoise', noise_factor=0.4),
                        dict(type='MeshRandomFlip', flip_prob=0.5),
                        dict(
                            type='MeshGetRandomScaleRotation',
                            rot_factor=30,
                            scale_factor=0.25),
                        dict(type='MeshAffine'),
                        dict(type='ToTensor'),
                        dict(
                            type='NormalizeTensor',
                            mean=[0.485, 0.456, 0.406],
                            std=[0.229, 0.224, 0.225]),
                        dict(
                            type='Collect',
                            keys=[
                                'img', 'joints_2d', 'joints_2d_visible',
                                'joints_3d', 'joints_3d_visible', 'pose',
                                'beta', 'has_smpl',
                            ],
                            meta_keys=[
                                'image_file', 'center', 'scale', 'rotation',
                            ]),
                    ]),
                dict(
                    ann_file='data/mesh_annotation_files/mpii_train.npz',
                    data_cfg=dict(
                        image_size=[224, 224],
                        iuv_size=[56, 56],
                        num_joints=24,
                        use_IUV=False,
                        uv_type='BF'),
                    img_prefix='data/mpii',
                    pipeline=[
                        dict(type='LoadImageFromFile'),
                        dict(type='MeshRandomChannelNoise', noise_factor=0.4),
                        dict(type='MeshRandomFlip', flip_prob=0.5),
                        dict(
                            type='MeshGetRandomScaleRotation',
                            rot_factor=30,
                            scale_factor=0.25),
                        dict(type='MeshAffine'),
                        dict(type='ToTensor'),
                        dict(
                            type='NormalizeTensor',
                            mean=[0.485, 0.456, 0.406],
                            std=[0.229, 0.224, 0.225]),
                        dict(
                            type='Collect',
                            keys=[
                                'img', 'joints_2d', 'joints_2d_visible',
                                'joints_3d', 'joints_3d_visible', 'pose',
                                'beta', 'has_smpl',
                            ],
                            meta_keys=[
                                'image_file', 'center', 'scale', 'rotation',
                            ]),
                    ]),
                dict(
                    ann_file='data/mesh_annotation_files/coco_2014_train.npz',
                    data_cfg=dict(
                        image_size=[224, 224],
                        iuv_size=[56, 56],
                        num_joints=24,
                        use_IUV=False,
                        uv_type='BF'),
                    img_prefix='data/coco',
                    pipeline=[
                        dict(type='LoadImageFromFile'),
                        dict(type='MeshRandomChannelNoise', noise_factor=0.4),
                        dict(type='MeshRandomFlip', flip_prob=0.5),
                        dict(
                            type='MeshGetRandomScaleRotation',
                            rot_factor=30,
                            scale_factor=0.25),
                        dict(type='MeshAffine'),
                        dict(type='ToTensor'),
                        dict(
                            type='NormalizeTensor',
                            mean=[0.485, 0.456, 0.406],
                            std=[0.229, 0.224, 0.225]),
                        dict(
                            type='Collect',
                            keys=[
                                'img', 'joints_2d', 'joints_2d_visible',
                                'joints_3d', 'joints_3d_visible', 'pose',
                                'beta', 'has_smpl',
                            ],
                            meta_keys=[
                                'image_file', 'center', 'scale', 'rotation',
                            ]),
                    ]),
            ],
            partition=[0.35, 0.15, 0.1, 0.1, 0.1, 0.2])),
    workers_per_gpu=2)
