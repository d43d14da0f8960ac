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

With --video, it times the top-down video demo's loop instead (read a frame,
take its boxes from --det-file, run inference_top_down_pose_model on all
boxes as one batch, draw, write) and splits each frame's time into the
network's forward passes (backbone, neck and head, flip test included) and
everything else (reading, affine crops, decoding, drawing, writing); the box
look-up is left out. --video synthetic generates a clip of walking figures
(``tools/dataset/make_synthetic_video.py``) of --video-size and --persons:
    python tools/benchmark_inference.py \
        configs/top_down/resnet/coco/res50_coco_256x192.py --device cpu \
        --video synthetic --video-size 480 640 --persons 3 --iters 20
"""
import argparse
import importlib.util
import os.path as osp
import tempfile
import time

import cv2
import torch

# mmpose first: importing it quiets mmcv's import-time notices.
import mmpose  # noqa: F401, I100
import mmcv  # noqa: I100
from mmcv import Config
from mmcv.parallel import MMDataParallel
from mmcv.runner import load_checkpoint

from mmpose.models import build_posenet  # noqa: I100
from mmpose.utils import check

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


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
    parser.add_argument(
        '--video', help='time the video demo loop on this video, or on a '
        'generated clip with "synthetic"')
    parser.add_argument(
        '--det-file', help='per-frame boxes of --video (JSON, the demos\' '
        '--det-file); generated with --video synthetic')
    parser.add_argument(
        '--video-size', type=int, nargs=2, default=[480, 640],
        metavar=('H', 'W'), help='frame size of --video synthetic')
    parser.add_argument(
        '--persons', type=int, default=3,
        help='figures in --video synthetic')
    parser.add_argument(
        '--out-video', help='write the drawn video here (default: a '
        'temporary file; writing is timed either way)')
    return parser.parse_args(argv)


class NetworkTimer:
    """Adds up the time of a top-down model's network forward passes.

    A pass runs from the backbone's input to the last layer of the keypoint
    head (the neck in between); flip test makes two passes. Heads call
    their ``forward`` directly from ``inference_model``, so the end is
    taken from the head's layers, which run through ``__call__``. The batch
    size of each pass is recorded.

    Args:
        model (nn.Module): A top-down model with ``backbone`` and
            ``keypoint_head``.
    """

    def __init__(self, model):
        self.seconds, self.batch_sizes = 0.0, []
        self._start = self._end = None
        self._handles = [model.backbone.register_forward_pre_hook(self._begin)]
        self._handles += [
            layer.register_forward_hook(self._layer_done)
            for layer in model.keypoint_head.modules()
        ]

    def _begin(self, module, inputs):
        self._close()
        self.batch_sizes.append(int(inputs[0].shape[0]))
        self._start = time.perf_counter()

    def _layer_done(self, module, inputs, output):
        self._end = time.perf_counter()

    def _close(self):
        if self._start is not None and self._end is not None:
            self.seconds += self._end - self._start
        self._start = self._end = None

    def take(self):
        """float: Seconds of the passes since the last ``take`` (then
        reset)."""
        self._close()
        seconds, self.seconds = self.seconds, 0.0
        return seconds

    def remove(self):
        for handle in self._handles:
            handle.remove()


def synthetic_clip(out_dir, size=(480, 640), persons=3, frames=30):
    """Generate a clip of walking figures; returns (video, box file)."""
    path = osp.join(REPO, 'tools', 'dataset', 'make_synthetic_video.py')
    spec = importlib.util.spec_from_file_location('make_synthetic_video',
                                                  path)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    video, boxes, _ = tool.make_synthetic_video(
        out_dir, 'benchmark_clip', num_frames=frames, num_persons=persons,
        size=tuple(size), fps=25, seed=0)
    return video, boxes


def benchmark_video(cfg, video, det_file, checkpoint=None, iters=20,
                    warmup=2, device='cpu', out_video=None):
    """Time the top-down video demo's loop, split as the module docstring.

    Args:
        cfg (mmcv.Config): A top-down model config.
        video (str): The input video.
        det_file (str): Its per-frame boxes (JSON, see
            :class:`mmpose.apis.detection.FileDetector`).
        checkpoint (str | None): Weights; random when None.
        iters (int): Timed frames (fewer if the video is shorter).
        warmup (int): Frames run before timing.
        device (str): Device of the model.
        out_video (str | None): The drawn video; a temporary file if None.

    Returns:
        dict: Seconds per timed frame of ``total`` (detection excluded),
        ``forward`` (network), ``outside`` (total - forward) and its parts
        ``read``, ``inference`` (outside the network), ``draw`` and
        ``write``; ``outside_share`` (outside / total), ``frames``,
        ``persons`` (per frame, mean) and ``batch_sizes`` (per network pass,
        timed frames).
    """
    from mmpose.apis import (inference_top_down_pose_model, init_pose_model,
                             vis_pose_result)
    from mmpose.apis.detection import FileDetector
    model = init_pose_model(cfg, checkpoint, device=device)
    dataset = cfg.data.test.type
    detector = FileDetector(det_file)
    reader = mmcv.VideoReader(video)
    with tempfile.TemporaryDirectory() as scratch:
        out_video = out_video or osp.join(scratch, 'vis.mp4')
        writer = cv2.VideoWriter(out_video, cv2.VideoWriter_fourcc(*'mp4v'),
                                 reader.fps, (reader.width, reader.height))
        timer = NetworkTimer(model)
        parts = dict(read=0.0, inference=0.0, draw=0.0, write=0.0,
                     forward=0.0)
        frames = persons = 0
        batch_sizes = []
        try:
            for index in range(min(len(reader), warmup + iters)):
                start = time.perf_counter()
                frame = reader.read()
                read = time.perf_counter()
                boxes = detector(frame, index=index)
                detected = time.perf_counter()
                poses, _ = inference_top_down_pose_model(
                    model, frame, boxes, format='xyxy', dataset=dataset)
                inferred = time.perf_counter()
                vis = vis_pose_result(model, frame, poses, dataset=dataset)
                drawn = time.perf_counter()
                writer.write(vis)
                written = time.perf_counter()
                forward = timer.take()
                if index < warmup:
                    timer.batch_sizes.clear()
                    continue
                frames += 1
                persons += len(boxes)
                parts['read'] += read - start
                parts['inference'] += inferred - detected - forward
                parts['forward'] += forward
                parts['draw'] += drawn - inferred
                parts['write'] += written - drawn
            batch_sizes = list(timer.batch_sizes)
        finally:
            timer.remove()
            writer.release()
    check(frames > 0, f'benchmark_video: {video} has no frame after the '
          f'{warmup} warm-up frames')
    result = {name: value / frames for name, value in parts.items()}
    result['outside'] = sum(result[name]
                            for name in ('read', 'inference', 'draw',
                                         'write'))
    result['total'] = result['outside'] + result['forward']
    result['outside_share'] = result['outside'] / result['total']
    result.update(frames=frames, persons=persons / frames,
                  batch_sizes=batch_sizes)
    return result


def print_video_report(result):
    """Print :func:`benchmark_video`'s figures in milliseconds per frame."""
    print(f'{result["frames"]} frames, {result["persons"]:.1f} persons a '
          f'frame; network batch sizes {sorted(set(result["batch_sizes"]))}')
    for name in ('total', 'forward', 'outside', 'read', 'inference', 'draw',
                 'write'):
        print(f'  {name:10s} {1000 * result[name]:9.1f} ms / frame')
    print(f'outside the network forward: {100 * result["outside_share"]:.1f}'
          '% of the time (detection excluded)')


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
    if args.video:
        with tempfile.TemporaryDirectory() as scratch:
            video, det_file = args.video, args.det_file
            if video == 'synthetic':
                video, det_file = synthetic_clip(
                    scratch, args.video_size, args.persons,
                    args.iters + args.warmup)
            check(det_file, '--video needs its boxes: pass --det-file')
            result = benchmark_video(cfg, video, det_file, args.checkpoint,
                                     args.iters, args.warmup, args.device,
                                     args.out_video)
        print_video_report(result)
        return result
    return benchmark(cfg, args.checkpoint, args.batch_size, args.iters,
                     args.warmup, args.log_interval, args.dummy, args.device)


if __name__ == '__main__':
    main()
