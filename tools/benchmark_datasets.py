"""Time dataset loading and evaluation on generated data (issue 10, speed).

1. COCO: a generated COCO-format keypoint json of ``--images`` images x
   ``--persons`` people is loaded by ``TopDownCocoDataset`` (ground-truth
   boxes) and evaluated with OKS NMS and COCOeval ('mAP') on predictions
   that are the ground truth plus noise, each box predicted twice (so the
   NMS has duplicates to drop). The evaluation time is split into our own
   part (collect, rescore, OKS NMS, result json) and COCOeval's part
   (``loadRes`` + evaluate + accumulate + summarize).
2. Keypoint error: ``--instances`` hand (OneHand10K, PCK/AUC/EPE) and
   face (WFLW, NME) instances are loaded and evaluated the same way.

Nothing is downloaded; files go to a temporary folder. Prints a table.

Example::

    python tools/benchmark_datasets.py
    python tools/benchmark_datasets.py --images 500 --instances 1000
"""
import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

# Run from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from mmpose.datasets import DATASETS  # noqa: E402
from mmpose.datasets.datasets.top_down import \
    topdown_coco_style_dataset  # noqa: E402


def write_coco_json(path, num_images, persons, num_joints, seed=0):
    """A COCO-format keypoint json: ``num_images`` 640x480 images with
    ``persons`` people each, boxes inside the image and keypoints inside
    their box (about a fifth unlabelled)."""
    rng = np.random.RandomState(seed)
    n = num_images * persons
    wh = rng.uniform([60, 120], [200, 300], (n, 2))
    xy = rng.uniform(0, 1, (n, 2)) * (np.array([640, 480]) - wh)
    kpts = np.zeros((n, num_joints, 3))
    kpts[..., :2] = xy[:, None] + rng.uniform(0, 1, (n, num_joints, 2)) * \
        wh[:, None]
    kpts[..., 2] = np.where(rng.rand(n, num_joints) < 0.2, 0, 2)
    kpts[kpts[..., 2] == 0, :2] = 0
    images = [
        dict(id=i + 1, file_name=f'{i + 1:012d}.jpg', width=640, height=480)
        for i in range(num_images)
    ]
    annotations = [
        dict(
            id=j + 1,
            image_id=j // persons + 1,
            category_id=1,
            bbox=[*xy[j].round(2).tolist(), *wh[j].round(2).tolist()],
            area=float(wh[j].prod() * 0.6),
            iscrowd=0,
            num_keypoints=int((kpts[j, :, 2] > 0).sum()),
            keypoints=kpts[j].round(2).reshape(-1).tolist(),
            segmentation=[]) for j in range(n)
    ]
    categories = [
        dict(id=1, name='person', supercategory='person',
             keypoints=[f'k{k}' for k in range(num_joints)], skeleton=[])
    ]
    with open(path, 'w') as f:
        json.dump(
            dict(images=images, annotations=annotations,
                 categories=categories), f)


def data_cfg(num_joints):
    """Ground-truth boxes, and 0.x's COCO thresholds for the OKS NMS."""
    channels = list(range(num_joints))
    return dict(image_size=[192, 256], heatmap_size=[48, 64],
                num_joints=num_joints, num_output_channels=num_joints,
                dataset_channel=[channels], inference_channel=channels,
                use_gt_bbox=True, bbox_file='', det_bbox_thr=0.0,
                soft_nms=False, nms_thr=1.0, oks_thr=0.9, vis_thr=0.2)


def noisy_outputs(db, copies=1, batch=64, seed=1):
    """Evaluate outputs: every record's keypoints plus 3-pixel noise,
    ``copies`` predictions per record (distinct bbox ids)."""
    rng = np.random.RandomState(seed)
    joints = np.stack([r['joints_3d'][:, :2] for r in db])
    centers = np.stack([r['center'] for r in db])
    scales = np.stack([r['scale'] for r in db])
    outputs = []
    for c in range(copies):
        preds = np.concatenate(
            [joints + rng.normal(0, 3, joints.shape),
             rng.uniform(0.3, 1, joints.shape[:2] + (1, ))], axis=2)
        boxes = np.c_[centers, scales, scales.prod(1) * 200**2,
                      rng.uniform(0.5, 1, len(db))]
        for s in range(0, len(db), batch):
            outputs.append(
                dict(
                    preds=preds[s:s + batch],
                    boxes=boxes[s:s + batch],
                    image_paths=[r['image_file'] for r in db[s:s + batch]],
                    bbox_ids=[c * len(db) + r['bbox_id']
                              for r in db[s:s + batch]]))
    return outputs


def build(type_name, ann_file, num_joints):
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        dataset = DATASETS.build(
            dict(type=type_name, ann_file=ann_file, img_prefix='',
                 data_cfg=data_cfg(num_joints), pipeline=[],
                 test_mode=True))
    return dataset, time.perf_counter() - start


def bench_coco(root, num_images, persons):
    ann_file = os.path.join(root, 'coco.json')
    write_coco_json(ann_file, num_images, persons, 17)
    dataset, load_s = build('TopDownCocoDataset', ann_file, 17)
    outputs = noisy_outputs(dataset.db, copies=2)
    cocoeval_s = []
    real_eval = topdown_coco_style_dataset.coco_keypoint_eval

    def timed_eval(*args, **kwargs):
        start = time.perf_counter()
        result = real_eval(*args, **kwargs)
        cocoeval_s.append(time.perf_counter() - start)
        return result

    topdown_coco_style_dataset.coco_keypoint_eval = timed_eval
    try:
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            metrics = dataset.evaluate(outputs, root, metric='mAP')
        total = time.perf_counter() - start
    finally:
        topdown_coco_style_dataset.coco_keypoint_eval = real_eval
    rows = [
        (f'COCO load ({len(dataset.db)} people)', load_s, ''),
        ('COCO evaluate: own part (OKS NMS, json)', total - cocoeval_s[0],
         f'{2 * len(dataset.db)} predictions'),
        ('COCO evaluate: COCOeval', cocoeval_s[0], f'AP {metrics["AP"]:.3f}'),
    ]
    return rows


def bench_keypoint_error(root, type_name, num_joints, instances, metric):
    ann_file = os.path.join(root, f'{type_name}.json')
    # one instance per image, as hand/face sets mostly are
    write_coco_json(ann_file, instances, 1, num_joints, seed=2)
    dataset, load_s = build(type_name, ann_file, num_joints)
    outputs = noisy_outputs(dataset.db)
    start = time.perf_counter()
    metrics = dataset.evaluate(outputs, root, metric=metric)
    eval_s = time.perf_counter() - start
    shown = ', '.join(f'{k} {v:.3f}' for k, v in metrics.items())
    return [(f'{type_name} load ({len(dataset.db)})', load_s, ''),
            (f'{type_name} evaluate {"/".join(metric)}', eval_s, shown)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--images', type=int, default=5000)
    parser.add_argument('--persons', type=int, default=3)
    parser.add_argument('--instances', type=int, default=10000)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as root:
        rows += bench_coco(root, args.images, args.persons)
        rows += bench_keypoint_error(root, 'OneHand10KDataset', 21,
                                     args.instances, ['PCK', 'AUC', 'EPE'])
        rows += bench_keypoint_error(root, 'FaceWFLWDataset', 98,
                                     args.instances, ['NME'])
    width = max(len(r[0]) for r in rows)
    print(f'{"step":<{width}}  {"seconds":>8}  note')
    for name, seconds, note in rows:
        print(f'{name:<{width}}  {seconds:8.3f}  {note}')


if __name__ == '__main__':
    main()
