"""Sub-JHMDB person keypoints (15)."""
from .meta import DatasetMeta

JHMDB_META = DatasetMeta(
    dataset_name='jhmdb',
    keypoint_names=('neck', 'belly', 'head', 'right_shoulder',
                    'left_shoulder', 'right_hip', 'left_hip', 'right_elbow',
                    'left_elbow', 'right_knee', 'left_knee', 'right_wrist',
                    'left_wrist', 'right_ankle', 'left_ankle'),
    flip_pairs=[[3, 4], [5, 6], [7, 8], [9, 10], [11, 12], [13, 14]],
    upper_body_ids=(0, 1, 2, 3, 4, 7, 8, 11, 12),
    lower_body_ids=(5, 6, 9, 10, 13, 14),
    joint_weights=[1.] * 7 + [1.2] * 4 + [1.5] * 4,
    skeleton=[[3, 1], [1, 4], [1, 5], [4, 8], [8, 12], [5, 9], [9, 13],
              [1, 2], [2, 6], [2, 7], [6, 10], [10, 14], [7, 11], [11, 15]])

DATASET_TYPES = {'TopDownJhmdbDataset': JHMDB_META}
