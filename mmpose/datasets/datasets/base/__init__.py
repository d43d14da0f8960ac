from .ann_info import bbox_xywh2cs, build_ann_info
from .coco_format import (CocoFormatMixin, clip_coco_bbox,
                          coco_keypoints_to_joints, load_coco_keypoint_file)
from .mpii_format import load_mpii_records

__all__ = [
    'bbox_xywh2cs', 'build_ann_info', 'CocoFormatMixin', 'clip_coco_bbox',
    'coco_keypoints_to_joints', 'load_coco_keypoint_file',
    'load_mpii_records'
]
