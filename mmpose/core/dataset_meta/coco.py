"""COCO person keypoints (17), shared by every dataset that annotates people
with the COCO layout."""
import dataclasses

from .meta import DatasetMeta, palette_colors

COCO_META = DatasetMeta(
    dataset_name='coco',
    keypoint_names=('nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
                    'left_shoulder', 'right_shoulder', 'left_elbow',
                    'right_elbow', 'left_wrist', 'right_wrist', 'left_hip',
                    'right_hip', 'left_knee', 'right_knee', 'left_ankle',
                    'right_ankle'),
    flip_pairs=[[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12], [13, 14],
                [15, 16]],
    upper_body_ids=(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
    lower_body_ids=(11, 12, 13, 14, 15, 16),
    joint_weights=[
        1., 1., 1., 1., 1., 1., 1., 1.2, 1.2, 1.5, 1.5, 1., 1., 1.2, 1.2, 1.5,
        1.5
    ],
    # Written as 0.x writes them (x / 10.0) so the float64 values match.
    sigmas=[
        s / 10.0 for s in (.26, .25, .25, .35, .35, .79, .79, .72, .72, .62,
                           .62, 1.07, 1.07, .87, .87, .89, .89)
    ],
    skeleton=[[16, 14], [14, 12], [17, 15], [15, 13], [12, 13], [6, 12],
              [7, 13], [6, 7], [6, 8], [7, 9], [8, 10], [9, 11], [2, 3],
              [1, 2], [1, 3], [2, 4], [3, 5], [4, 6], [5, 7]],
    pose_kpt_color=palette_colors(
        (16, 16, 16, 16, 16, 9, 9, 9, 9, 9, 9, 0, 0, 0, 0, 0, 0)),
    pose_link_color=palette_colors(
        (0, 0, 0, 0, 7, 7, 7, 9, 9, 9, 9, 9, 16, 16, 16, 16, 16, 16, 16)))

# OCHuman annotates people with COCO's keypoints.
OCHUMAN_META = dataclasses.replace(COCO_META, dataset_name='ochuman')

# PoseTrack18 labels COCO's layout with the eyes replaced by head bottom
# and head top (no longer a left/right pair) and never labels the ears.
POSETRACK18_META = dataclasses.replace(
    COCO_META,
    dataset_name='posetrack18',
    keypoint_names=('nose', 'head_bottom', 'head_top') +
    COCO_META.keypoint_names[3:],
    flip_pairs=COCO_META.flip_pairs[1:])

# Dataset types (config ``type`` names) described by each record.
DATASET_TYPES = {
    'TopDownCocoDataset': COCO_META,
    'BottomUpCocoDataset': COCO_META,
    'TopDownOCHumanDataset': OCHUMAN_META,
    'TopDownPoseTrack18Dataset': POSETRACK18_META,
}
