"""Detect persons in a video and draw their top-down poses.

Person boxes: mmdet when installed (0.14's det_config/det_checkpoint), else
OpenCV's HOG people detector, or ``--det-file`` (item i = frame i).

Example::

    python demo/top_down_video_demo_with_mmdet.py hog none \\
        configs/top_down/synthetic/res18_synthetic_coco_128x96.py \\
        work_dirs/demo/latest.pth --video-path clip.mp4 \\
        --det-file clip_boxes.json --out-video-root vis_results --device cpu
"""
from argparse import ArgumentParser

from mmpose.apis.detection import (add_demo_args, load_demo_models,
                                   run_top_down_video)


def main(argv=None):
    """Run the demo; returns the written video file (or None)."""
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    args = add_demo_args(parser, video=True).parse_args(argv)
    detector, pose_model, _ = load_demo_models(args)
    return run_top_down_video(args, detector, pose_model)


if __name__ == '__main__':
    main()
