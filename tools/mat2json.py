"""Convert MPII predictions saved as ``pred.mat`` back to MPII json.

``TopDownMpiiDataset.evaluate(outputs, res_folder)`` saves its predictions,
in MPII's 1-based pixel coordinates and in the order of the annotation json,
to ``res_folder/pred.mat`` (as the official MATLAB evaluation reads them).
This tool pairs them with that json and writes each person's record with
``joints`` set to the prediction (``joints_vis`` dropped) under
``annotations``, as MMPose 0.x's ``mat2json`` does.

Usage::

    python tools/mat2json.py work_dirs/res/pred.mat \\
        data/mpii/annotations/mpii_val.json work_dirs/res/pred.json
"""
import argparse
import json
import time

import numpy as np


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Converting the predicted .mat file to .json file.')
    parser.add_argument('pred_mat_file', help='input prediction mat file.')
    parser.add_argument(
        'gt_json_file',
        help='input ground-truth json file to get the image name. '
        'Default: "data/mpii/mpii_val.json" ')
    parser.add_argument('output_json_file', help='output converted json file.')
    return parser.parse_args(argv)


def save_json(list_file, path):
    """Write ``list_file`` as indented json to ``path``."""
    with open(path, 'w') as f:
        json.dump(list_file, f, indent=4)
    return 0


def convert_mat(pred_mat_file, gt_json_file, output_json_file):
    """Pair ``pred.mat`` (np.ndarray[N, K, 2] under ``preds``) with the N
    people of ``gt_json_file`` and write the converted json.

    Returns:
        dict: What was written: ``annotations`` and ``info``.
    """
    from scipy.io import loadmat
    preds = np.asarray(loadmat(pred_mat_file)['preds'])
    with open(gt_json_file) as anno_file:
        anno = json.load(anno_file)
    if len(anno) != len(preds):
        raise ValueError(
            f'{pred_mat_file} holds {len(preds)} predictions but '
            f'{gt_json_file} {len(anno)} people; they must be the same set')
    for pred, ann in zip(preds, anno):
        ann.pop('joints_vis', None)
        ann['joints'] = pred.tolist()
    instance = dict(
        annotations=anno,
        info=dict(
            description='Converted MPII prediction.',
            year=time.strftime('%Y', time.localtime()),
            date_created=time.strftime('%Y/%m/%d', time.localtime())))
    save_json(instance, output_json_file)
    return instance


def main(argv=None):
    args = parse_args(argv)
    convert_mat(args.pred_mat_file, args.gt_json_file, args.output_json_file)


if __name__ == '__main__':
    main()
