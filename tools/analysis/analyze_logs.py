"""Plot training curves and compute training time from ``*.log.json`` files.

Examples:
    # loss and accuracy curves of one run, written to a PNG
    python tools/analysis/analyze_logs.py plot_curve \
        work_dirs/res50/20210101_000000.log.json --keys loss acc_pose \
        --out curves.png
    # mean time per iteration, slowest and fastest epoch
    python tools/analysis/analyze_logs.py cal_train_time \
        work_dirs/res50/20210101_000000.log.json
"""
import argparse
import json
import os
from collections import defaultdict

import numpy as np


def load_json_logs(json_logs):
    """Read mmcv json logs.

    Args:
        json_logs (list[str]): Paths of ``*.log.json`` files.

    Returns:
        list[dict]: One dict per file: epoch -> key -> list of values (one per
        logged iteration of the epoch; evaluation results under their own
        names).
    """
    log_dicts = []
    for json_log in json_logs:
        if not os.path.isfile(json_log):
            raise FileNotFoundError(f'log file not found: {json_log}')
        log_dict = {}
        with open(json_log) as f:
            for line_no, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as err:
                    raise ValueError(
                        f'{json_log}:{line_no} is not a json line: {err}')
                if 'epoch' not in record:
                    continue  # the run's meta record (env, config, seed)
                epoch = record.pop('epoch')
                per_epoch = log_dict.setdefault(epoch, defaultdict(list))
                for key, value in record.items():
                    per_epoch[key].append(value)
        log_dicts.append(log_dict)
    return log_dicts


def cal_train_time(log_dicts, args):
    """Print mean iteration time per run, with its slowest/fastest epoch."""
    results = []
    for json_log, log_dict in zip(args.json_logs, log_dicts):
        epoch_times = []
        for epoch in sorted(log_dict):
            times = [
                t for t, mode in zip(log_dict[epoch]['time'],
                                     log_dict[epoch]['mode'])
                if mode == 'train'
            ]
            if not args.include_outliers and len(times) > 1:
                times = times[1:]  # the first iteration pays start-up costs
            if times:
                epoch_times.append((epoch, float(np.mean(times))))
        if not epoch_times:
            raise ValueError(f'{json_log} logs no training iteration times')
        means = np.array([t for _, t in epoch_times])
        slowest = epoch_times[int(means.argmax())]
        fastest = epoch_times[int(means.argmin())]
        print(f'-----Analyze train time of {json_log}-----')
        print(f'slowest epoch {slowest[0]}, average time is {slowest[1]:.4f}')
        print(f'fastest epoch {fastest[0]}, average time is {fastest[1]:.4f}')
        print(f'time std over epochs is {means.std():.4f}')
        print(f'average iter time: {means.mean():.4f} s/iter')
        results.append(
            dict(slowest=slowest, fastest=fastest, mean=means.mean()))
    return results


def plot_curve(log_dicts, args):
    """Draw one curve per (log, key) against iterations (or epochs for
    evaluation metrics) and save it to ``args.out`` or show it."""
    import matplotlib
    if args.out is not None:
        matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    legend = args.legend or [
        f'{os.path.basename(log)}_{key}' for log in args.json_logs
        for key in args.keys
    ]
    if len(legend) != len(args.json_logs) * len(args.keys):
        raise ValueError(f'--legend needs {len(args.json_logs) * len(args.keys)}'
                         f' entries (logs x keys), got {len(legend)}')
    fig = plt.figure(figsize=(8, 5))
    curve = 0
    for json_log, log_dict in zip(args.json_logs, log_dicts):
        epochs = sorted(log_dict)
        for key in args.keys:
            xs, ys = [], []
            for epoch in epochs:
                records = log_dict[epoch]
                if key not in records:
                    continue
                modes = records['mode']
                values = records[key]
                if modes[-len(values):].count('val') == len(values):
                    xs.append(epoch)  # an evaluation metric: one per epoch
                    ys.append(values[-1])
                    continue
                iters = records['iter']
                iters_per_epoch = max(iters)
                train = [(i, v) for i, v, m in zip(iters, values, modes)
                         if m == 'train']
                xs += [(epoch - 1) * iters_per_epoch + i for i, _ in train]
                ys += [v for _, v in train]
            if not xs:
                raise KeyError(f'{json_log} does not log the key "{key}"')
            plt.plot(xs, ys, label=legend[curve], linewidth=0.8)
            curve += 1
    plt.xlabel('iter (epoch for evaluation metrics)')
    plt.legend()
    if args.title:
        plt.title(args.title)
    if args.out is None:
        plt.show()
    else:
        fig.savefig(args.out, dpi=120, bbox_inches='tight')
        print(f'save curve to: {args.out}')
    plt.close(fig)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Analyze Json Log')
    subparsers = parser.add_subparsers(dest='task', required=True)
    plot = subparsers.add_parser('plot_curve', help='plot curves')
    plot.add_argument('json_logs', nargs='+', help='path of train log in json')
    plot.add_argument(
        '--keys', nargs='+', default=['loss'], help='the metric to plot')
    plot.add_argument('--title', help='title of figure')
    plot.add_argument('--legend', nargs='+', help='legend of each plot')
    plot.add_argument('--backend', help='backend of plt (unused: Agg for '
                      'files)')
    plot.add_argument('--style', default='dark', help='style of plt (unused)')
    plot.add_argument('--out', help='image file to write')
    train_time = subparsers.add_parser(
        'cal_train_time', help='compute the average time per training iter')
    train_time.add_argument('json_logs', nargs='+')
    train_time.add_argument(
        '--include-outliers', action='store_true',
        help='include the first value of every epoch')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    log_dicts = load_json_logs(args.json_logs)
    return globals()[args.task](log_dicts, args)


if __name__ == '__main__':
    main()
