"""Detect persons and draw their top-down poses on images.

Boxes come from mmdet when it is installed (det_config/det_checkpoint as in
MMPose 0.14), else OpenCV's HOG people detector, or from ``--det-file``.

Example::

    python demo/top_down_img_demo_with_mmdet.py hog none \\
        configs/top_down/synthetic/res18_synthetic_coco_128x96.py \\
        work_dirs/demo/latest.pth --img-root data/ --img person.jpg \\
        --det-file boxes.json --out-img-root vis_results --device cpu
"""
from argparse import ArgumentParser

from mmpose.apis.detection import (add_demo_args, load_demo_models,
                                   run_top_down_images)


def main(argv=None):
    """Run the demo; returns the list of written image files."""
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    args = add_demo_args(parser).parse_args(argv)
    detector, pose_model, _ = load_demo_models(args)
    return run_top_down_images(args, detector, pose_model)


if __name__ == '__main__':
    main()
