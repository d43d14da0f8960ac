"""The 24 joints of the mesh recovery datasets (the CMR/SPIN layout: the 14
LSP joints, then MPII, Human3.6M and face joints), and the left/right pairs
of the SMPL kinematic tree that flipping an SMPL pose swaps."""
from .meta import DatasetMeta

MESH_META = DatasetMeta(
    dataset_name='mesh',
    keypoint_names=('right_ankle', 'right_knee', 'right_hip', 'left_hip',
                    'left_knee', 'left_ankle', 'right_wrist', 'right_elbow',
                    'right_shoulder', 'left_shoulder', 'left_elbow',
                    'left_wrist', 'neck', 'head_top', 'pelvis', 'thorax',
                    'spine', 'jaw', 'head', 'nose', 'left_eye', 'right_eye',
                    'left_ear', 'right_ear'),
    flip_pairs=[[0, 5], [1, 4], [2, 3], [6, 11], [7, 10], [8, 9], [20, 21],
                [22, 23]],
    upper_body_ids=tuple(range(6, 14)) + tuple(range(15, 24)),
    lower_body_ids=(0, 1, 2, 3, 4, 5, 14))

#: SMPL's 24 pose joints (pelvis, left_hip, right_hip, spine1, left_knee,
#: ..., left_hand, right_hand): the pairs a horizontal flip swaps.
SMPL_FLIP_PAIRS = ((1, 2), (4, 5), (7, 8), (10, 11), (13, 14), (16, 17),
                   (18, 19), (20, 21), (22, 23))

DATASET_TYPES = {'MeshH36MDataset': MESH_META}
