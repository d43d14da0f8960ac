"""Draw the top-down pose of a video whose frames each show one person:
the whole frame is the person box, no detector.

Example::

    python demo/top_down_video_demo_full_frame_without_det.py \\
        configs/top_down/synthetic/res18_synthetic_coco_128x96.py \\
        work_dirs/demo/latest.pth --video-path clip.mp4 \\
        --out-video-root vis_results --device cpu
"""
from argparse import ArgumentParser

import numpy as np

from mmpose.apis.detection import (add_demo_args, draw_top_down,
                                   load_demo_models, run_video)


def _full_frame(img):
    height, width = img.shape[:2]
    return [{'bbox': np.array([0, 0, width, height])}]


def main(argv=None):
    """Run the demo; returns the written video file (or None)."""
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    args = add_demo_args(parser, det=False, video=True).parse_args(argv)
    _, pose_model, _ = load_demo_models(args, det=False)
    return run_video(
        args.video_path, args.out_video_root, args.show,
        lambda index, img, fps: draw_top_down(
            pose_model, img, _full_frame(img), args))


if __name__ == '__main__':
    main()
