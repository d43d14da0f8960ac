"""Detect faces and draw their facial landmarks on images.

Face boxes come from OpenCV's bundled Haar cascade when the installed OpenCV
has it (0.14 used face_recognition), or from ``--det-file``.

Example::

    python demo/face_img_demo.py face_config.py face.pth \\
        --img-root data/ --img face.jpg --det-file faces.json \\
        --out-img-root vis_results --device cpu
"""
from argparse import ArgumentParser

from mmpose.apis.detection import (add_demo_args, load_demo_models,
                                   run_top_down_images)


def main(argv=None):
    """Run the demo; returns the list of written image files."""
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    args = add_demo_args(parser, det=False).parse_args(argv)
    detector, pose_model, _ = load_demo_models(args, face=True)
    return run_top_down_images(args, detector, pose_model)


if __name__ == '__main__':
    main()
