"""AI Challenger person keypoints (14)."""
from .meta import DatasetMeta, palette_colors

# AIC's own sigmas, as 0.x hard-codes them.
_AIC_SIGMAS = (0.01388152, 0.01515228, 0.01057665, 0.01417709, 0.01497891,
               0.01402144, 0.03909642, 0.03686941, 0.01981803, 0.03843971,
               0.03412318, 0.02415081, 0.01291456, 0.01236173)

AIC_META = DatasetMeta(
    dataset_name='aic',
    keypoint_names=('right_shoulder', 'right_elbow', 'right_wrist',
                    'left_shoulder', 'left_elbow', 'left_wrist', 'right_hip',
                    'right_knee', 'right_ankle', 'left_hip', 'left_knee',
                    'left_ankle', 'head_top', 'neck'),
    flip_pairs=[[0, 3], [1, 4], [2, 5], [6, 9], [7, 10], [8, 11]],
    upper_body_ids=(0, 1, 2, 3, 4, 5, 12, 13),
    lower_body_ids=(6, 7, 8, 9, 10, 11),
    joint_weights=[1., 1.2, 1.5, 1., 1.2, 1.5, 1., 1.2, 1.5, 1., 1.2, 1.5, 1.,
                   1.],
    sigmas=_AIC_SIGMAS,
    skeleton=[[3, 2], [2, 1], [1, 14], [14, 4], [4, 5], [5, 6], [9, 8],
              [8, 7], [7, 10], [10, 11], [11, 12], [13, 14], [1, 7], [4, 10]],
    pose_kpt_color=palette_colors((9, 9, 9, 7, 7, 7, 0, 0, 0, 16, 16, 16, 18,
                                   18)),
    pose_link_color=palette_colors((9, 9, 9, 7, 7, 7, 0, 0, 16, 16, 16, 18, 9,
                                    7)))

DATASET_TYPES = {
    'TopDownAicDataset': AIC_META,
    'BottomUpAicDataset': AIC_META,
}
