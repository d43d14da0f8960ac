"""Print the whole config, with ``--options`` merged in.

Example:
    python tools/analysis/print_config.py \
        configs/top_down/resnet/coco/res50_coco_256x192.py \
        --options data.samples_per_gpu=8
"""
import argparse

# mmpose first: importing it quiets mmcv's import-time notices.
import mmpose  # noqa: F401, I100
from mmcv import Config, DictAction  # noqa: I100


def parse_args():
    parser = argparse.ArgumentParser(description='Print the whole config')
    parser.add_argument('config', help='config file path')
    parser.add_argument(
        '--options', '--cfg-options', nargs='+', action=DictAction,
        help='override settings, key=value')
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.options is not None:
        cfg.merge_from_dict(args.options)
    print(f'Config:\n{cfg.pretty_text}')


if __name__ == '__main__':
    main()
