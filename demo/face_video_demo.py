"""Detect faces in a video and draw their facial landmarks.

Face boxes: OpenCV's Haar cascade when the installed OpenCV has it (0.14
used face_recognition), or ``--det-file`` (item i = frame i).

Example::

    python demo/face_video_demo.py face_config.py face.pth \\
        --video-path clip.mp4 --det-file clip_faces.json \\
        --out-video-root vis_results --device cpu
"""
from argparse import ArgumentParser

from mmpose.apis.detection import (add_demo_args, load_demo_models,
                                   run_top_down_video)


def main(argv=None):
    """Run the demo; returns the written video file (or None)."""
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    args = add_demo_args(parser, det=False, video=True).parse_args(argv)
    detector, pose_model, _ = load_demo_models(args, face=True)
    return run_top_down_video(args, detector, pose_model)


if __name__ == '__main__':
    main()
