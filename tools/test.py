import argparse
import logging
import os.path as osp
import warnings

# Import-time notices that concern no run of this tool: mmcv announcing its
# 2.0 renaming, and torch's C++-extension module (imported by mmcv) logging
# the CUDA_HOME it found on a machine without CUDA.
warnings.filterwarnings('ignore', message='On January 1, 2023, MMCV')
logging.getLogger('torch.utils.cpp_extension').addFilter(
    lambda record: 'CUDA_HOME' not in record.getMessage())

import mmcv  # noqa: E402
import torch  # noqa: E402
from mmcv import Config  # noqa: E402
from mmcv.cnn import fuse_conv_bn  # noqa: E402
from mmcv.runner import get_dist_info  # noqa: E402

from mmpose.apis import multi_gpu_test, single_gpu_test  # noqa: E402
from mmpose.apis.cli import (  # noqa: E402
    add_launch_arguments, check_checkpoint_file, check_eval_metrics,
    check_out_path, load_checkpoint_strict, merge_cfg_options,
    parse_launch_args)
from mmpose.core.utils.dist_utils import init_dist, wrap_model  # noqa: E402
from mmpose.core.fp16 import wrap_fp16_model  # noqa: E402
from mmpose.datasets import build_dataloader, build_dataset  # noqa: E402
from mmpose.models import build_posenet  # noqa: E402

# Keys of `evaluation` that configure the training hook, not the metric.
_HOOK_ONLY_EVAL_KEYS = ('interval', 'save_best', 'key_indicator', 'rule',
                        'gpu_collect')


def parse_args(args=None):
    parser = argparse.ArgumentParser(description='mmpose test model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--out', help='output result file (.pkl/.pickle/.json)')
    parser.add_argument(
        '--work-dir', help='the dir to save evaluation results')
    parser.add_argument(
        '--fuse-conv-bn',
        action='store_true',
        help='Whether to fuse conv and bn, this will slightly increase'
        'the inference speed')
    parser.add_argument(
        '--eval',
        default=None,
        nargs='+',
        help='evaluation metric, which depends on the dataset,'
        ' e.g., "mAP" for MSCOCO')
    parser.add_argument(
        '--gpu-collect',
        '--gpu_collect',
        dest='gpu_collect',
        action='store_true',
        help='whether to use gpu to collect results')
    parser.add_argument('--tmpdir', help='tmp dir for writing some results')
    add_launch_arguments(parser)
    return parse_launch_args(parser, args)


def merge_configs(cfg1, cfg2):
    """Merge cfg2 into cfg1: cfg2 wins where its value is set (not None)."""
    cfg1 = {} if cfg1 is None else dict(cfg1)
    cfg2 = {} if cfg2 is None else cfg2
    for k, v in cfg2.items():
        if v:
            cfg1[k] = v
    return cfg1


def main(args=None):
    args = parse_args(args)

    # Argument mistakes fail here, in a second, not after the inference.
    check_out_path(args.out)
    cfg = Config.fromfile(args.config)
    merge_cfg_options(cfg, args.cfg_options)
    # A remote name becomes its file in the local cache (never downloaded).
    args.checkpoint = check_checkpoint_file(args.checkpoint)
    if cfg.get('cudnn_benchmark', False):
        torch.backends.cudnn.benchmark = True
    # the checkpoint provides every weight: no pretrained backbone to load
    cfg.model.pretrained = None
    cfg.data.test.test_mode = True

    if args.work_dir is not None:
        work_dir = args.work_dir
    elif cfg.get('work_dir', None) is not None:
        work_dir = cfg.work_dir
    else:
        work_dir = osp.join('./work_dirs',
                            osp.splitext(osp.basename(args.config))[0])

    if args.launcher == 'none':
        distributed = False
    else:
        distributed = True
        init_dist(args.launcher, **cfg.get('dist_params', {}))

    dataset = build_dataset(cfg.data.test, dict(test_mode=True))
    eval_config = merge_configs(
        cfg.get('evaluation', {}), dict(metric=args.eval))
    for key in _HOOK_ONLY_EVAL_KEYS:
        eval_config.pop(key, None)
    eval_kwargs = {k: v for k, v in eval_config.items() if k != 'metric'}
    check_eval_metrics(dataset, eval_config.get('metric'), eval_kwargs)
    dataloader_setting = dict(
        samples_per_gpu=1,
        workers_per_gpu=cfg.data.get('workers_per_gpu', 1),
        dist=distributed,
        shuffle=False,
        drop_last=False)
    dataloader_setting.update(cfg.data.get('test_dataloader', {}))
    data_loader = build_dataloader(dataset, **dataloader_setting)

    model = build_posenet(cfg.model)
    if cfg.get('fp16', None) is not None:
        wrap_fp16_model(model)
    load_checkpoint_strict(model, args.checkpoint, map_location='cpu')
    if args.fuse_conv_bn:
        model = fuse_conv_bn(model)

    model = wrap_model(
        model, distributed=distributed, find_unused_parameters=False)
    if distributed:
        outputs = multi_gpu_test(model, data_loader, args.tmpdir,
                                 args.gpu_collect)
    else:
        outputs = single_gpu_test(model, data_loader)

    rank, _ = get_dist_info()
    if rank != 0:
        return None
    if args.out:
        print(f'\nwriting results to {args.out}')
        mmcv.dump(outputs, args.out)
    mmcv.mkdir_or_exist(osp.abspath(work_dir))
    results = dataset.evaluate(outputs, work_dir, **eval_config)
    print()
    for k, v in sorted(results.items()):
        print(f'{k}: {v}')
    return results


if __name__ == '__main__':
    main()
