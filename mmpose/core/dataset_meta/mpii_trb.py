"""MPII-TRB keypoints: 14 skeleton keypoints and 26 contour keypoints."""
from .meta import DatasetMeta

_CONTOUR = ('right_neck', 'left_neck') + tuple(
    f'{side}_{part}' for part in ('right_shoulder', 'right_bow',
                                  'right_wrist', 'left_shoulder', 'left_bow',
                                  'left_wrist', 'right_hip', 'right_knee',
                                  'right_ankle', 'left_hip', 'left_knee',
                                  'left_ankle') for side in ('medial',
                                                             'lateral'))

MPII_TRB_META = DatasetMeta(
    dataset_name='mpii_trb',
    keypoint_names=('left_shoulder', 'right_shoulder', 'left_elbow',
                    'right_elbow', 'left_wrist', 'right_wrist', 'left_hip',
                    'right_hip', 'left_knee', 'right_knee', 'left_ankle',
                    'right_ankle', 'head', 'neck') + _CONTOUR,
    # 0.x's order: skeleton pairs, the neck sides, then the contour pairs
    # of the arms and legs interleaved
    flip_pairs=[[0, 1], [2, 3], [4, 5], [6, 7], [8, 9], [10, 11], [14, 15]] +
    [pair for i in range(6) for pair in ([16 + i, 22 + i], [28 + i, 34 + i])],
    upper_body_ids=(0, 1, 2, 3, 4, 5, 12, 13) + tuple(range(14, 28)),
    lower_body_ids=(6, 7, 8, 9, 10, 11) + tuple(range(28, 40)))

DATASET_TYPES = {'TopDownMpiiTrbDataset': MPII_TRB_META}
