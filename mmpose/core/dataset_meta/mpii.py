"""MPII person keypoints (16), also the layout of MHP."""
import dataclasses

from .meta import DatasetMeta, palette_colors

MPII_META = DatasetMeta(
    dataset_name='mpii',
    keypoint_names=('right_ankle', 'right_knee', 'right_hip', 'left_hip',
                    'left_knee', 'left_ankle', 'pelvis', 'thorax',
                    'upper_neck', 'head_top', 'right_wrist', 'right_elbow',
                    'right_shoulder', 'left_shoulder', 'left_elbow',
                    'left_wrist'),
    flip_pairs=[[0, 5], [1, 4], [2, 3], [10, 15], [11, 14], [12, 13]],
    upper_body_ids=(7, 8, 9, 10, 11, 12, 13, 14, 15),
    lower_body_ids=(0, 1, 2, 3, 4, 5, 6),
    joint_weights=[
        1.5, 1.2, 1., 1., 1.2, 1.5, 1., 1., 1., 1., 1.5, 1.2, 1., 1., 1.2, 1.5
    ],
    skeleton=[[1, 2], [2, 3], [3, 7], [7, 4], [4, 5], [5, 6], [7, 8], [8, 9],
              [9, 10], [9, 13], [13, 12], [12, 11], [9, 14], [14, 15],
              [15, 16]],
    pose_kpt_color=palette_colors([16] * 6 + [7, 7, 0, 0] + [9] * 6),
    pose_link_color=palette_colors([16] * 6 + [7, 7, 0] + [9] * 6))

# MHP keeps MPII's keypoints and adds OKS sigmas for its COCO-style mAP.
MHP_META = dataclasses.replace(
    MPII_META,
    dataset_name='mhp',
    sigmas=[
        s / 10.0 for s in (.89, .83, 1.07, 1.07, .83, .89, .26, .26, .26, .26,
                           .62, .72, 1.79, 1.79, .72, .62)
    ])

DATASET_TYPES = {
    'TopDownMpiiDataset': MPII_META,
    'TopDownMhpDataset': MHP_META,
    'BottomUpMhpDataset': MHP_META,
}
