"""The offline first run: data, training, COCO evaluation and drawings.

``make demo`` runs this on a CPU-only machine without network access:

1. generate the synthetic COCO keypoint dataset unless it is already there
   (``tools/dataset/make_synthetic_coco.py``);
2. train the small top-down model of
   ``configs/top_down/synthetic/res18_synthetic_coco_128x96.py`` from scratch
   (the config, with absolute data paths, goes to
   ``<work-dir>/demo_config.py``: ``python tools/train.py`` on it trains
   again);
3. test the final checkpoint on the val split and print xtcocotools' AP table;
4. draw the predicted poses of a few val images into ``<work-dir>/vis/``.

``make demo-bottomup`` does the same with the associative-embedding model of
``configs/bottom_up/synthetic/`` (BottomUpCocoDataset's COCOeval, the
bottom-up image demo on whole images).

Example::

    python tools/demo_first_run.py --work-dir work_dirs/demo
"""
import argparse
import importlib.util
import json
import os
import os.path as osp
import sys
import time

import mmcv
import torch
from mmcv import DictAction
from mmcv.runner import load_checkpoint, set_random_seed

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT_CONFIG = osp.join(REPO, 'configs', 'top_down', 'synthetic',
                          'res18_synthetic_coco_128x96.py')


def _load_script(path, name):
    """Import a script of this repository (tools/, demo/) as a module."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    # Registered so that worker processes can pickle its functions.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Generate data, train, test and draw: the offline first '
        'run of mmpose on a CPU')
    parser.add_argument('--work-dir', default='work_dirs/demo',
                        help='where logs, checkpoints and drawings go')
    parser.add_argument('--config', default=DEFAULT_CONFIG)
    parser.add_argument('--data-root', default=osp.join(REPO, 'data',
                                                        'synthetic_coco'),
                        help='dataset folder; generated if absent')
    parser.add_argument('--num-train', type=int, default=1500,
                        help='train images to generate')
    parser.add_argument('--num-val', type=int, default=100,
                        help='val images to generate')
    parser.add_argument('--num-vis', type=int, default=8,
                        help='val images to draw predictions on')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, default={},
        help='override config settings, e.g. total_epochs=1')
    return parser.parse_args(argv)


def ensure_data(data_root, num_train, num_val, seed):
    """Generate the dataset unless both annotation files exist."""
    ann = [
        osp.join(data_root, 'annotations', f'person_keypoints_{split}.json')
        for split in ('train', 'val')
    ]
    if all(osp.isfile(f) for f in ann):
        print(f'[demo] data: using the existing dataset in {data_root}')
        return
    print(f'[demo] data: generating {num_train} train and {num_val} val '
          f'images into {data_root}')
    tool = _load_script(
        osp.join(REPO, 'tools', 'dataset', 'make_synthetic_coco.py'),
        'make_synthetic_coco')
    tool.make_synthetic_coco(data_root, num_train=num_train,
                             num_val=num_val, seed=seed,
                             nproc=os.cpu_count() or 1)


def load_config(path, data_root, work_dir, seed, options=None):
    """Read the config, apply ``options`` and point its data at
    ``data_root``."""
    cfg = mmcv.Config.fromfile(path)
    cfg.merge_from_dict(options or {})
    for split in ('train', 'val', 'test'):
        name = 'train' if split == 'train' else 'val'
        cfg.data[split].ann_file = osp.join(
            data_root, 'annotations', f'person_keypoints_{name}.json')
        cfg.data[split].img_prefix = osp.join(data_root, name) + os.sep
    if 'data_root' in cfg:
        cfg.data_root = data_root
    cfg.work_dir = work_dir
    cfg.gpu_ids = [0]
    cfg.seed = seed
    return cfg


def write_config(cfg):
    """Dump ``cfg`` as ``<work_dir>/demo_config.py``: absolute data paths
    and work dir, so that ``python tools/train.py <it>`` trains again from
    any directory, and the drawing step reads it."""
    mmcv.mkdir_or_exist(cfg.work_dir)
    cfg_file = osp.join(cfg.work_dir, 'demo_config.py')
    cfg.dump(cfg_file)
    return cfg_file


def train(cfg):
    """Train from scratch; returns the final checkpoint's path."""
    from mmpose.apis import train_model
    from mmpose.datasets import build_dataset
    from mmpose.models import build_posenet
    from mmpose.utils import get_root_logger

    mmcv.mkdir_or_exist(cfg.work_dir)
    cfg.dump(osp.join(cfg.work_dir, osp.basename(cfg.filename)))
    timestamp = time.strftime('%Y%m%d_%H%M%S', time.localtime())
    get_root_logger(
        log_file=osp.join(cfg.work_dir, f'{timestamp}.log'),
        log_level=cfg.log_level)
    set_random_seed(cfg.seed, deterministic=False)
    model = build_posenet(cfg.model)
    datasets = [build_dataset(cfg.data.train)]
    # No validation during training: test() evaluates the final checkpoint.
    train_model(model, datasets, cfg, distributed=False, validate=False,
                timestamp=timestamp, meta=dict(seed=cfg.seed))
    return osp.join(cfg.work_dir, f'epoch_{cfg.total_epochs}.pth')


def test(cfg, checkpoint):
    """Evaluate ``checkpoint`` on the test split; returns the metrics."""
    from mmcv.parallel import MMDataParallel

    from mmpose.apis import single_gpu_test
    from mmpose.datasets import build_dataloader, build_dataset
    from mmpose.models import build_posenet

    dataset = build_dataset(cfg.data.test, dict(test_mode=True))
    loader_cfg = dict(
        samples_per_gpu=cfg.data.get('samples_per_gpu', 1),
        workers_per_gpu=cfg.data.get('workers_per_gpu', 0),
        dist=False,
        shuffle=False,
        drop_last=False)
    loader_cfg.update(cfg.data.get('test_dataloader', {}))
    data_loader = build_dataloader(dataset, **loader_cfg)
    model = build_posenet(cfg.model)
    load_checkpoint(model, checkpoint, map_location='cpu', strict=True)
    model = MMDataParallel(model, device_ids=None)
    outputs = single_gpu_test(model, data_loader)
    res_folder = osp.join(cfg.work_dir, 'test_results')
    mmcv.mkdir_or_exist(res_folder)
    # The dataset's evaluate() runs xtcocotools' COCOeval, which prints the
    # AP/AR table.
    return dataset.evaluate(outputs, res_folder, metric='mAP')


def draw(config, checkpoint, data_root, out_dir, num_images, device):
    """Draw predictions on the first val images with the 0.x demo script
    (top-down with the annotated boxes, or bottom-up on whole images)."""
    val_dir = osp.join(data_root, 'val')
    if mmcv.Config.fromfile(config).model.type != 'BottomUp':
        demo = _load_script(
            osp.join(REPO, 'demo', 'top_down_img_demo.py'),
            'top_down_img_demo')
        return demo.main([
            config, checkpoint, '--img-root', val_dir, '--json-file',
            osp.join(data_root, 'annotations', 'person_keypoints_val.json'),
            '--out-img-root', out_dir, '--device', device, '--num-images',
            str(num_images)
        ])
    # bottom_up_img_demo draws every image of a folder: link the first ones
    picked = osp.join(osp.dirname(out_dir), 'vis_inputs')
    mmcv.mkdir_or_exist(picked)
    for name in sorted(os.listdir(val_dir))[:num_images]:
        link = osp.join(picked, name)
        if not osp.lexists(link):
            os.symlink(osp.join(val_dir, name), link)
    demo = _load_script(
        osp.join(REPO, 'demo', 'bottom_up_img_demo.py'), 'bottom_up_img_demo')
    return demo.main([
        config, checkpoint, '--img-path', picked, '--out-img-root', out_dir,
        '--device', device
    ])


def main(argv=None):
    args = parse_args(argv)
    if args.device.startswith('cuda') and not torch.cuda.is_available():
        raise SystemExit(f'--device {args.device}: CUDA is not available '
                         'here; use --device cpu')
    work_dir = osp.abspath(args.work_dir)
    data_root = osp.abspath(args.data_root)
    timings = {}
    start = time.time()

    ensure_data(data_root, args.num_train, args.num_val, args.seed)
    timings['data'] = time.time() - start

    cfg = load_config(args.config, data_root, work_dir, args.seed,
                      args.cfg_options)
    cfg_file = write_config(cfg)
    checkpoint = train(cfg)
    timings['train'] = time.time() - start - sum(timings.values())

    metrics = test(cfg, checkpoint)
    timings['test'] = time.time() - start - sum(timings.values())

    vis_dir = osp.join(work_dir, 'vis')
    # The drawing model reads the same (data-root adjusted) config.
    written = draw(cfg_file, checkpoint, data_root, vis_dir, args.num_vis,
                   args.device)
    timings['draw'] = time.time() - start - sum(timings.values())

    summary = dict(
        AP=float(metrics['AP']),
        metrics={k: float(v) for k, v in metrics.items()},
        checkpoint=checkpoint,
        vis_dir=vis_dir,
        drawn=written,
        seconds={k: round(v, 1) for k, v in timings.items()},
        total_seconds=round(time.time() - start, 1))
    with open(osp.join(work_dir, 'demo_summary.json'), 'w') as f:
        json.dump(summary, f, indent=2)

    print('\n[demo] COCO keypoint metrics on the synthetic val split:')
    for name, value in metrics.items():
        print(f'[demo]   {name:8s} {float(value):.4f}')
    print('[demo] time (s): ' + ', '.join(
        f'{k} {v:.0f}' for k, v in timings.items()) +
          f', total {summary["total_seconds"]:.0f}')
    print(f'[demo] drew {len(written)} val images with predicted poses into '
          f'{vis_dir}')
    print(f'[demo] final AP: {summary["AP"]:.4f}')
    return summary


if __name__ == '__main__':
    main()
