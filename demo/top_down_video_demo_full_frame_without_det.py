"""Draw the top-down pose of a video whose frames each show one person:
the whole frame is the person box, no detector.

Example::

    python demo/top_down_video_demo_full_frame_without_det.py \\
        configs/top_down/synthetic/res18_synthetic_coco_128x96.py \\
        work_dirs/demo/latest.pth --video-path clip.mp4 \\
        --out-video-root vis_results --device cpu
"""
from argparse import ArgumentParser

from mmpose.apis.detection import (FullFrameDetector, add_demo_args,
                                   load_demo_models, run_top_down_video)


def main(argv=None):
    """Run the demo; returns the written video file (or None)."""
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    args = add_demo_args(parser, det=False, video=True).parse_args(argv)
    _, pose_model, _ = load_demo_models(args, det=False)
    return run_top_down_video(args, FullFrameDetector(), pose_model)


if __name__ == '__main__':
    main()
