from .coco_format import load_coco_keypoint_file

__all__ = ['load_coco_keypoint_file']
