"""Draw top-down pose predictions for the images and boxes of a COCO json.

Example::

    python demo/top_down_img_demo.py \
        configs/top_down/synthetic/res18_synthetic_coco_128x96.py \
        work_dirs/demo/latest.pth \
        --img-root data/synthetic_coco/val/ \
        --json-file data/synthetic_coco/annotations/person_keypoints_val.json \
        --out-img-root vis_results --device cpu
"""
import os
from argparse import ArgumentParser

from xtcocotools.coco import COCO

from mmpose.apis import (inference_top_down_pose_model, init_pose_model,
                         vis_pose_result)
from mmpose.apis.detection import resolve_show


def parse_args(argv=None):
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('pose_config', help='Config file for pose')
    parser.add_argument('pose_checkpoint', help='Checkpoint file for pose')
    parser.add_argument('--img-root', type=str, default='', help='Image root')
    parser.add_argument(
        '--json-file',
        type=str,
        default='',
        help='COCO-format json with the images and person boxes')
    parser.add_argument(
        '--show',
        action='store_true',
        default=False,
        help='whether to show img')
    parser.add_argument(
        '--out-img-root',
        type=str,
        default='',
        help='Root of the output img file. '
        'Default not saving the visualization images.')
    parser.add_argument(
        '--device', default='cuda:0', help='Device used for inference')
    parser.add_argument(
        '--kpt-thr', type=float, default=0.3, help='Keypoint score threshold')
    parser.add_argument(
        '--num-images',
        type=int,
        default=None,
        help='Draw only the first N images of the json (default: all)')
    return parser.parse_args(argv)


def main(argv=None):
    """Run the demo; returns the list of written image files."""
    args = parse_args(argv)
    show, out_root = resolve_show(args.show, args.out_img_root)
    coco = COCO(args.json_file)
    pose_model = init_pose_model(
        args.pose_config, args.pose_checkpoint, device=args.device.lower())
    dataset = pose_model.cfg.data['test']['type']

    written = []
    img_ids = list(coco.imgs.keys())[:args.num_images]
    for i, image_id in enumerate(img_ids):
        image = coco.loadImgs(image_id)[0]
        image_name = os.path.join(args.img_root, image['file_name'])
        person_results = [
            dict(bbox=coco.anns[ann_id]['bbox'])
            for ann_id in coco.getAnnIds(image_id)
        ]
        pose_results, _ = inference_top_down_pose_model(
            pose_model,
            image_name,
            person_results,
            bbox_thr=None,
            format='xywh',
            dataset=dataset)
        out_file = None
        if out_root:
            os.makedirs(out_root, exist_ok=True)
            out_file = os.path.join(out_root, f'vis_{i}.jpg')
            written.append(out_file)
        vis_pose_result(
            pose_model,
            image_name,
            pose_results,
            dataset=dataset,
            kpt_score_thr=args.kpt_thr,
            show=show,
            out_file=out_file)
    return written


if __name__ == '__main__':
    main()
