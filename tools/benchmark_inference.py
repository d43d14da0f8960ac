"""Measure the inference speed (images per second) of a model.

Builds the model from a config (weights random unless --checkpoint), runs the
test pipeline's data loader and the forward pass, skips warm-up iterations,
and prints the running frame rate. Without a dataset on disk, --dummy feeds
random images of the config's input size instead of the test data loader.

Examples:
    python tools/benchmark_inference.py CONFIG --checkpoint CKPT
    python tools/benchmark_inference.py \
        configs/top_down/resnet/coco/res50_coco_256x192.py --dummy \
        --batch-size 8 --iters 20
"""
import argparse
import time

import torch
from mmcv import Config
from mmcv.parallel import MMDataParallel
from mmcv.runner import load_checkpoint

from mmpose.models import build_posenet


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='MMPose benchmark a recognizer')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('--checkpoint', help='checkpoint file')
    parser.add_argument(
        '--bz', '--batch-size', dest='batch_size', type=int, default=1,
        help='batch size')
    parser.add_argument(
        '--iters', type=int, default=200, help='number of timed batches')
    parser.add_argument(
        '--warmup', type=int, default=5, help='batches before timing')
    parser.add_argument(
        '--log-interval', type=int, default=10, help='interval of logging')
    parser.add_argument(
        '--dummy', action='store_true',
        help='random input of the config image size instead of the dataset')
    parser.add_argument(
        '--device', default='cuda:0' if torch.cuda.is_available() else 'cpu')
    return parser.parse_args(argv)


def dummy_batches(cfg, batch_size, count, device):
    width, height = cfg.data_cfg['image_size']
    for _ in range(count):
        img = torch.rand(batch_size, 3, height, width, device=device)
        metas = [
            dict(
                image_file='', center=[width / 2, height / 2],
                scale=[width / 200, height / 200], rotation=0, bbox_score=1,
                flip_pairs=cfg.get('flip_pairs', []), bbox_id=i)
            for i in range(batch_size)
        ]
        yield dict(img=img, img_metas=metas)


def benchmark(cfg, checkpoint=None, batch_size=1, iters=200, warmup=5,
              log_interval=10, dummy=False, device='cpu'):
    """Return images per second of ``model(return_loss=False)``."""
    cfg.model.pretrained = None
    model = build_posenet(cfg.model)
    if checkpoint:
        load_checkpoint(model, checkpoint, map_location='cpu')
    model.eval()
    if dummy:
        model = model.to(device)
        batches = dummy_batches(cfg, batch_size, iters + warmup, device)
    else:
        from mmpose.datasets import build_dataloader, build_dataset
        dataset = build_dataset(cfg.data.test, dict(test_mode=True))
        batches = build_dataloader(
            dataset, samples_per_gpu=batch_size,
            workers_per_gpu=cfg.data.workers_per_gpu, dist=False,
            shuffle=False)
        model = MMDataParallel(
            model, device_ids=[0] if device.startswith('cuda') else None)
    timed, elapsed, fps = 0, 0.0, 0.0
    for i, data in enumerate(batches):
        if i >= iters + warmup:
            break
        if device.startswith('cuda'):
            torch.cuda.synchronize()
        start = time.perf_counter()
        with torch.no_grad():
            model(return_loss=False, **data)
        if device.startswith('cuda'):
            torch.cuda.synchronize()
        if i >= warmup:
            elapsed += time.perf_counter() - start
            timed += batch_size
            fps = timed / elapsed
            if (i - warmup + 1) % log_interval == 0:
                print(f'Done image [{timed:<4}], fps: {fps:.2f} img / s')
    print(f'Overall average: {fps:.2f} img / s')
    return fps


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    torch.backends.cudnn.benchmark = True
    return benchmark(cfg, args.checkpoint, args.batch_size, args.iters,
                     args.warmup, args.log_interval, args.dummy, args.device)


if __name__ == '__main__':
    main()
