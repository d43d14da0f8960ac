"""CrowdPose person keypoints (14)."""
from .meta import DatasetMeta, palette_colors

CROWDPOSE_META = DatasetMeta(
    dataset_name='crowdpose',
    # left and right of each limb joint, then the head
    keypoint_names=tuple(
        f'{side}_{joint}'
        for joint in ('shoulder', 'elbow', 'wrist', 'hip', 'knee', 'ankle')
        for side in ('left', 'right')) + ('top_head', 'neck'),
    flip_pairs=[[0, 1], [2, 3], [4, 5], [6, 7], [8, 9], [10, 11]],
    upper_body_ids=(0, 1, 2, 3, 4, 5, 12, 13),
    lower_body_ids=(6, 7, 8, 9, 10, 11),
    # As 0.x has them (uneven between left and right).
    joint_weights=[
        0.2, 0.2, 0.2, 1.3, 1.5, 0.2, 1.3, 1.5, 0.2, 0.2, 0.5, 0.2, 0.2, 0.5
    ],
    sigmas=[
        s / 10.0 for s in (.79, .79, .72, .72, .62, .62, 1.07, 1.07, .87, .87,
                           .89, .89, .79, .79)
    ],
    skeleton=[[13, 14], [14, 1], [14, 2], [1, 3], [3, 5], [2, 4], [4, 6],
              [1, 7], [2, 8], [7, 8], [7, 9], [9, 11], [8, 10], [10, 12]],
    # left joints orange, right ones blue, the head green
    pose_kpt_color=palette_colors([0, 9] * 6 + [16] * 2),
    pose_link_color=palette_colors([16, 0, 9, 0, 0, 9, 9] + [16] * 3 +
                                   [0, 0, 9, 9]))

DATASET_TYPES = {
    'TopDownCrowdPoseDataset': CROWDPOSE_META,
    'BottomUpCrowdPoseDataset': CROWDPOSE_META,
}
