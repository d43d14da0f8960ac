"""Time a top-down training pipeline against its unavoidable work.

For every sample the pipeline is timed, and so is the work no pipeline can
skip: ``cv2.imread`` of the image plus one ``cv2.warpAffine`` to the network
input size. Both are measured in the same run, interleaved sample by sample,
and the mean time per sample and the ratio are printed.

The pipeline is ``train_pipeline`` (or ``data.train.pipeline``) of a config
file, by default the COCO ResNet-50 256x192 one (LoadImageFromFile,
TopDownRandomFlip, TopDownHalfBodyTransform, TopDownGetRandomScaleRotation,
TopDownAffine, ToTensor, NormalizeTensor, TopDownGenerateTarget(sigma=2),
Collect); it runs over a few generated 640x480 JPEGs with person boxes and
keypoints made up to match the config's ``data_cfg`` and dataset metadata.

Example::

    python tools/benchmark_processing.py
    python tools/benchmark_processing.py \\
        --config configs/top_down/resnet/coco/res50_coco_256x192.py
"""
import argparse
import copy
import os.path as osp
import sys
import tempfile
import time

import cv2
import numpy as np

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO_ROOT)

# mmpose first: importing it quiets mmcv's import-time notices.
import mmpose  # noqa: F401, E402, I100
import mmcv  # noqa: E402, I100

from mmpose.core.dataset_meta import get_dataset_meta  # noqa: E402
from mmpose.core.post_processing import get_affine_transform  # noqa: E402
from mmpose.datasets.pipelines import Compose  # noqa: E402

DEFAULT_CONFIG = osp.join(REPO_ROOT, 'configs', 'top_down', 'resnet', 'coco',
                          'res50_coco_256x192.py')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--config',
        default=DEFAULT_CONFIG,
        help='config file whose train_pipeline and data_cfg to time '
        '(default: the COCO ResNet-50 256x192 config)')
    parser.add_argument(
        '--num-images', type=int, default=4, help='generated JPEGs')
    parser.add_argument(
        '--image-size',
        type=int,
        nargs=2,
        default=(640, 480),
        metavar=('W', 'H'),
        help='size of the generated JPEGs')
    parser.add_argument(
        '--samples', type=int, default=400, help='timed samples')
    parser.add_argument(
        '--warmup', type=int, default=20, help='untimed samples first')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def load_settings(config):
    """Return (pipeline, data_cfg, dataset type) of a config file."""
    cfg = mmcv.Config.fromfile(config)
    train = cfg.get('data', {}).get('train', {})
    pipeline = cfg.get('train_pipeline', train.get('pipeline'))
    data_cfg = cfg.get('data_cfg', train.get('data_cfg'))
    if pipeline is None or data_cfg is None:
        raise KeyError(f'{config} has no train_pipeline / data.train.pipeline'
                       ' or no data_cfg / data.train.data_cfg')
    return pipeline, data_cfg, train.get('type', 'TopDownCocoDataset')


def make_image(rng, width, height):
    """A photo-like image: smooth colour regions, shapes and fine texture
    (JPEG decode time depends on content; flat or pure-noise images would
    make the decode unrealistically cheap or expensive)."""
    small = rng.integers(0, 256, (height // 40, width // 40, 3), np.uint8)
    img = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    for _ in range(12):
        color = tuple(int(v) for v in rng.integers(0, 256, 3))
        center = tuple(int(v) for v in rng.integers(0, (width, height)))
        axes = tuple(int(v) for v in rng.integers(10, 120, 2))
        cv2.ellipse(img, center, axes, float(rng.uniform(0, 180)), 0, 360,
                    color, -1)
    texture = cv2.GaussianBlur(
        rng.normal(0, 12, (height, width, 3)).astype(np.float32), (3, 3), 0)
    return np.clip(img + texture, 0, 255).astype(np.uint8)


def make_sample(rng, image_file, width, height, ann_info):
    """One person record with keypoints inside its box, as a top-down
    dataset stores it (aspect-ratio-fixed scale, padding 1.25); the dataset
    adds its shared ``ann_info`` when it hands the record to the pipeline."""
    num_joints = ann_info['num_joints']
    box_w = rng.uniform(0.15, 0.6) * width
    box_h = rng.uniform(0.25, 0.9) * height
    x0 = rng.uniform(0, width - box_w)
    y0 = rng.uniform(0, height - box_h)
    center = np.array([x0 + box_w / 2, y0 + box_h / 2], dtype=np.float32)
    aspect = ann_info['image_size'][0] / ann_info['image_size'][1]
    if box_w > aspect * box_h:
        box_h = box_w / aspect
    else:
        box_w = box_h * aspect
    scale = np.array([box_w, box_h], dtype=np.float32) / 200.0 * 1.25

    joints_3d = np.zeros((num_joints, 3), dtype=np.float32)
    joints_3d[:, 0] = rng.uniform(x0, x0 + box_w * 0.8, num_joints)
    joints_3d[:, 1] = rng.uniform(y0, y0 + box_h * 0.8, num_joints)
    visible = (rng.random(num_joints) < 0.8).astype(np.float32)
    joints_3d_visible = np.zeros((num_joints, 3), dtype=np.float32)
    joints_3d_visible[:, :2] = visible[:, None]
    joints_3d[:, :2] *= visible[:, None]
    return dict(
        image_file=image_file,
        center=center,
        scale=scale,
        rotation=0,
        bbox_score=1,
        joints_3d=joints_3d,
        joints_3d_visible=joints_3d_visible,
        dataset='benchmark',
        flip_pairs=ann_info['flip_pairs'])


def build_ann_info(data_cfg, dataset_type):
    meta = get_dataset_meta(dataset_type)
    num_joints = data_cfg['num_joints']
    if len(meta.keypoint_names) != num_joints:
        raise ValueError(f'data_cfg num_joints={num_joints}, but the metadata'
                         f' of {dataset_type} has {len(meta.keypoint_names)}')
    return dict(
        meta.ann_info(),
        image_size=np.array(data_cfg['image_size']),
        heatmap_size=np.array(data_cfg['heatmap_size']),
        num_joints=num_joints,
        use_different_joint_weights=data_cfg.get(
            'use_different_joint_weights', False))


def _clock(cpu):
    # The calling thread's CPU time: unlike the process's, it leaves out
    # OpenCV's worker threads, which keep spinning after a parallel call and
    # would bill the steps that follow a warp (and other processes).
    return time.thread_time if cpu else time.perf_counter


def _final_box(results):
    """(center, scale, rotation) the pipeline warped with, read from the
    collected meta (or the results dict when nothing was collected)."""
    meta = results.get('img_metas')
    meta = meta.data if meta is not None else results
    return meta['center'], meta['scale'], meta.get('rotation', 0)


def benchmark(pipeline, samples, ann_info, num_samples, warmup, cpu=False):
    """Seconds per sample of each pipeline step and of imread + warpAffine.

    Pipeline and baseline alternate sample by sample so both see the same
    machine state (page cache, CPU frequency, other load).

    Returns:
        tuple: ``steps`` (dict: step name -> np.ndarray[num_samples]) and
        ``baseline`` (dict: 'imread' and 'warpAffine' ->
        np.ndarray[num_samples]).
    """
    clock = _clock(cpu)
    image_size = ann_info['image_size']
    dsize = (int(image_size[0]), int(image_size[1]))
    # The stages as Compose runs them (ToTensor + NormalizeTensor fused)
    stages = pipeline.stages
    names = [f'{i}:{type(t).__name__.lstrip("_")}'
             for i, t in enumerate(stages)]
    steps = {name: [] for name in names}
    baseline = {'imread': [], 'warpAffine': []}
    for i in range(warmup + num_samples):
        k = i % len(samples)
        # As TopDownBaseDataset.__getitem__: a copy of the record, and the
        # dataset's one ann_info dict.
        results = copy.deepcopy(samples[k])
        results['ann_info'] = ann_info
        times = []
        for transform in stages:
            start = clock()
            results = transform(results)
            times.append(clock() - start)
        # The baseline warps with the very matrix this sample's augmentation
        # drew (scale, rotation, half-body box): a rotated warp costs more
        # than an axis-aligned one, and both sides must do the same warp.
        trans = get_affine_transform(*_final_box(results), image_size)
        start = clock()
        img = cv2.imread(samples[k]['image_file'], cv2.IMREAD_COLOR)
        read = clock()
        cv2.warpAffine(img, trans, dsize, flags=cv2.INTER_LINEAR)
        end = clock()
        if i >= warmup:
            for name, t in zip(names, times):
                steps[name].append(t)
            baseline['imread'].append(read - start)
            baseline['warpAffine'].append(end - read)
    return ({n: np.array(t) for n, t in steps.items()},
            {n: np.array(t) for n, t in baseline.items()})


def report(steps, baseline, label):
    total = sum(steps.values())
    print(f'[{label}] mean time per sample (minimum)')
    for name, t in steps.items():
        print(f'  {name:34s} {t.mean() * 1e3:7.3f} ms  ({t.min() * 1e3:.3f})')
    print(f'  {"pipeline":34s} {total.mean() * 1e3:7.3f} ms  '
          f'(median {np.median(total) * 1e3:.3f})')
    for name, t in baseline.items():
        print(f'  {"  " + name:34s} {t.mean() * 1e3:7.3f} ms  '
              f'({t.min() * 1e3:.3f})')
    base_minima = sum(t.min() for t in baseline.values())
    baseline = sum(baseline.values())
    print(f'  {"imread + warpAffine":34s} {baseline.mean() * 1e3:7.3f} ms  '
          f'(median {np.median(baseline) * 1e3:.3f})')
    ratio = total.mean() / baseline.mean()
    # Sum of per-step minima over the sum of the baseline's minima: what
    # each piece costs when nothing else interferes (robust on a busy
    # machine).
    best = sum(t.min() for t in steps.values()) / base_minima
    print(f'  ratio {ratio:.3f} (of medians '
          f'{np.median(total) / np.median(baseline):.3f}, of per-step '
          f'minima {best:.3f})')
    return ratio


def main():
    args = parse_args()
    pipeline_cfg, data_cfg, dataset_type = load_settings(args.config)
    ann_info = build_ann_info(data_cfg, dataset_type)
    pipeline = Compose(pipeline_cfg)
    rng = np.random.default_rng(args.seed)
    np.random.seed(args.seed)
    width, height = args.image_size

    with tempfile.TemporaryDirectory() as tmp:
        samples = []
        for i in range(args.num_images):
            image_file = osp.join(tmp, f'{i:06d}.jpg')
            cv2.imwrite(image_file, make_image(rng, width, height))
            for _ in range(4):
                samples.append(
                    make_sample(rng, image_file, width, height, ann_info))
        print(f'pipeline: train_pipeline of {args.config}; '
              f'{args.num_images} JPEGs of {width}x{height}, '
              f'{args.samples} samples')
        for cpu in (False, True):
            steps, baseline = benchmark(pipeline, samples, ann_info,
                                        args.samples, args.warmup, cpu)
            report(steps, baseline, 'main-thread CPU time' if cpu else 'wall')


if __name__ == '__main__':
    main()
