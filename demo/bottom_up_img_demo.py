"""Draw bottom-up (detector-free) multi-person poses on images.

Example::

    python demo/bottom_up_img_demo.py bottom_up_config.py bottom_up.pth \\
        --img-path data/images/ --out-img-root vis_results --device cpu
"""
from argparse import ArgumentParser

from mmpose.apis.detection import (add_demo_args, draw_bottom_up,
                                   load_demo_models, run_image_demo)


def main(argv=None):
    """Run the demo; returns the list of written image files."""
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    args = add_demo_args(parser, bottom_up=True).parse_args(argv)
    _, pose_model, _ = load_demo_models(args, det=False)
    return run_image_demo(
        args, None, lambda img, boxes, out_file: draw_bottom_up(
            pose_model, img, args, out_file=out_file))


if __name__ == '__main__':
    main()
