"""Human3.6M body keypoints (17), as the 3D lifting datasets use them."""
from .meta import DatasetMeta, palette_colors

H36M_META = DatasetMeta(
    dataset_name='h36m',
    keypoint_names=('root', 'right_hip', 'right_knee', 'right_foot',
                    'left_hip', 'left_knee', 'left_foot', 'spine', 'thorax',
                    'neck_base', 'head', 'left_shoulder', 'left_elbow',
                    'left_wrist', 'right_shoulder', 'right_elbow',
                    'right_wrist'),
    flip_pairs=[[1, 4], [2, 5], [3, 6], [11, 14], [12, 15], [13, 16]],
    upper_body_ids=(7, 8, 9, 10, 11, 12, 13, 14, 15, 16),
    lower_body_ids=(0, 1, 2, 3, 4, 5, 6),
    skeleton=[[1, 2], [2, 3], [3, 4], [1, 5], [5, 6], [6, 7], [1, 8],
              [8, 9], [9, 10], [10, 11], [9, 12], [12, 13], [13, 14],
              [9, 15], [15, 16], [16, 17]],
    # root/spine/head in blue, left in orange, right in green (0.x demos)
    pose_kpt_color=palette_colors([9, 16, 16, 16, 0, 0, 0, 9, 9, 9, 9, 0, 0,
                                   0, 16, 16, 16]),
    pose_link_color=palette_colors([16, 16, 16, 0, 0, 0, 9, 9, 9, 9, 0, 0, 0,
                                    16, 16, 16]))

DATASET_TYPES = {'Body3DH36MDataset': H36M_META}
