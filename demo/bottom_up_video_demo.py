"""Draw bottom-up (detector-free) multi-person poses on a video.

Example::

    python demo/bottom_up_video_demo.py bottom_up_config.py bottom_up.pth \\
        --video-path clip.mp4 --out-video-root vis_results --device cpu
"""
from argparse import ArgumentParser

from mmpose.apis.detection import (add_demo_args, load_demo_models,
                                   run_bottom_up_video)


def main(argv=None):
    """Run the demo; returns the written video file (or None)."""
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    args = add_demo_args(parser, video=True, bottom_up=True).parse_args(argv)
    _, pose_model, _ = load_demo_models(args, det=False)
    return run_bottom_up_video(args, pose_model)


if __name__ == '__main__':
    main()
