import argparse
import copy
import logging
import os.path as osp
import time
import warnings

# Quiet imports, as in tools/test.py: mmcv's 2.0 banner, and the CUDA_HOME
# notice its import of torch's C++-extension module logs without CUDA.
warnings.filterwarnings('ignore', message='On January 1, 2023, MMCV')
logging.getLogger('torch.utils.cpp_extension').addFilter(
    lambda record: 'CUDA_HOME' not in record.getMessage())

import mmcv  # noqa: E402
import torch  # noqa: E402
from mmcv import Config  # noqa: E402
from mmcv.runner import get_dist_info, set_random_seed  # noqa: E402
from mmcv.utils import get_git_hash  # noqa: E402

from mmpose import __version__  # noqa: E402
from mmpose.apis import train_model  # noqa: E402
from mmpose.apis.cli import (add_launch_arguments,  # noqa: E402
                             check_checkpoint_file, merge_cfg_options,
                             parse_launch_args)
from mmpose.core.utils.dist_utils import init_dist  # noqa: E402
from mmpose.datasets import build_dataset  # noqa: E402
from mmpose.models import build_posenet  # noqa: E402
from mmpose.utils import collect_env, get_root_logger  # noqa: E402


def parse_args(args=None):
    parser = argparse.ArgumentParser(description='Train a pose model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume-from', help='the checkpoint file to resume from')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='whether not to evaluate the checkpoint during training')
    group_gpus = parser.add_mutually_exclusive_group()
    group_gpus.add_argument(
        '--gpus',
        type=int,
        help='number of gpus to use '
        '(only applicable to non-distributed training)')
    group_gpus.add_argument(
        '--gpu-ids',
        type=int,
        nargs='+',
        help='ids of gpus to use '
        '(only applicable to non-distributed training)')
    parser.add_argument('--seed', type=int, default=None, help='random seed')
    parser.add_argument(
        '--deterministic',
        action='store_true',
        help='whether to set deterministic options for CUDNN backend.')
    add_launch_arguments(parser)
    parser.add_argument(
        '--autoscale-lr',
        action='store_true',
        help='automatically scale lr with the number of gpus')
    return parse_launch_args(parser, args)


def main(args=None):
    args = parse_args(args)

    cfg = Config.fromfile(args.config)
    merge_cfg_options(cfg, args.cfg_options)
    if cfg.get('cudnn_benchmark', False):
        torch.backends.cudnn.benchmark = True

    # work_dir is determined in this priority: CLI > config > config name
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.resume_from is not None:
        cfg.resume_from = args.resume_from
    resume_from = cfg.get('resume_from', None)
    if (resume_from and '://' not in resume_from
            and not osp.isfile(resume_from)):
        # Say so now, not after the model and data are built; a dangling
        # latest.pth link counts as missing.
        raise FileNotFoundError(
            f'--resume-from/resume_from: checkpoint file {cfg.resume_from} '
            'does not exist')
    # An empty or truncated file too, before anything is built.
    for key in ('resume_from', 'load_from'):
        if cfg.get(key, None):
            check_checkpoint_file(cfg[key])
    if args.gpu_ids is not None:
        cfg.gpu_ids = args.gpu_ids
    else:
        cfg.gpu_ids = list(range(1 if args.gpus is None else args.gpus))

    if args.autoscale_lr:
        # apply the linear scaling rule (https://arxiv.org/abs/1706.02677)
        cfg.optimizer['lr'] = cfg.optimizer['lr'] * len(cfg.gpu_ids) / 8

    # init the distributed env first, since the logger depends on dist info
    if args.launcher == 'none':
        distributed = False
    else:
        distributed = True
        init_dist(args.launcher, **cfg.get('dist_params', {}))
        _, world_size = get_dist_info()
        cfg.gpu_ids = list(range(world_size))

    mmcv.mkdir_or_exist(osp.abspath(cfg.work_dir))
    timestamp = time.strftime('%Y%m%d_%H%M%S', time.localtime())
    log_file = osp.join(cfg.work_dir, f'{timestamp}.log')
    logger = get_root_logger(
        log_file=log_file, log_level=cfg.get('log_level', 'INFO'))

    # meta records the environment and seed, and is logged
    meta = dict()
    env_info = '\n'.join(f'{k}: {v}' for k, v in collect_env().items())
    dash_line = '-' * 60 + '\n'
    logger.info('Environment info:\n' + dash_line + env_info + '\n' +
                dash_line)
    meta['env_info'] = env_info

    logger.info(f'Distributed training: {distributed}')
    logger.info(f'Config:\n{cfg.pretty_text}')

    if args.seed is not None:
        logger.info(f'Set random seed to {args.seed}, '
                    f'deterministic: {args.deterministic}')
        set_random_seed(args.seed, deterministic=args.deterministic)
    cfg.seed = args.seed
    meta['seed'] = args.seed
    # the config as trained: file, --cfg-options and command-line settings
    cfg.dump(osp.join(cfg.work_dir, osp.basename(args.config)))

    model = build_posenet(cfg.model)
    datasets = [build_dataset(cfg.data.train)]
    if len(cfg.get('workflow', [])) == 2:
        val_dataset = copy.deepcopy(cfg.data.val)
        val_dataset.pipeline = cfg.data.train.pipeline
        datasets.append(build_dataset(val_dataset))

    if cfg.get('checkpoint_config', None) is not None:
        # save the mmpose version and the config in the checkpoints' meta
        cfg.checkpoint_config.meta = dict(
            mmpose_version=__version__ + get_git_hash(digits=7),
            config=cfg.pretty_text)
    train_model(
        model,
        datasets,
        cfg,
        distributed=distributed,
        validate=(not args.no_validate),
        timestamp=timestamp,
        meta=meta)


if __name__ == '__main__':
    main()
