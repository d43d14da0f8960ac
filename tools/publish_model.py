"""Prepare a checkpoint for release, as MMPose 0.14's ``publish_model.py``.

Removes the optimizer state (the largest part of a training checkpoint, not
needed for inference or fine-tuning), saves the rest and renames the file
``<out_file stem>-<first 8 hex digits of its sha256>_<YYYYMMDD>.pth``, the
model-zoo naming of MMPose 0.x (e.g. ``res50_coco_256x192-ec54d7f3_20200709``).

Example:
    python tools/publish_model.py work_dirs/res50/latest.pth res50_coco.pth
    # -> res50_coco-1a2b3c4d_20261202.pth
"""
import argparse
import datetime
import hashlib
import os

import torch


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Process a checkpoint to be published')
    parser.add_argument('in_file', help='input checkpoint filename')
    parser.add_argument('out_file', help='output checkpoint filename')
    return parser.parse_args(argv)


def sha256_of(path, chunk_size=1 << 20):
    """Hex sha256 of a file (what ``sha256sum`` prints)."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(chunk_size), b''):
            digest.update(chunk)
    return digest.hexdigest()


def process_checkpoint(in_file, out_file):
    """Drop the optimizer state of ``in_file`` and publish it.

    Everything but ``optimizer`` is kept (``state_dict``, ``meta``), as in
    0.14. The file is written under a temporary name first, so an interrupted
    run leaves no half-written ``.pth``.

    Args:
        in_file (str): A checkpoint written by training.
        out_file (str): Wanted name; ``-<sha8>_<YYYYMMDD>`` is inserted
            before ``.pth`` (appended with ``.pth`` when it has no ``.pth``).

    Returns:
        str: The path of the published file.
    """
    if not os.path.isfile(in_file):
        raise FileNotFoundError(f'checkpoint not found: {in_file}')
    checkpoint = torch.load(in_file, map_location='cpu', weights_only=False)
    if not isinstance(checkpoint, dict):
        raise TypeError(f'{in_file} holds a {type(checkpoint).__name__}, '
                        'not a checkpoint dict')
    checkpoint.pop('optimizer', None)
    stem = out_file[:-4] if out_file.endswith('.pth') else out_file
    tmp_file = stem + '.pth.tmp'
    torch.save(checkpoint, tmp_file)
    date_now = datetime.date.today().strftime('%Y%m%d')
    final_file = f'{stem}-{sha256_of(tmp_file)[:8]}_{date_now}.pth'
    os.replace(tmp_file, final_file)
    return final_file


def main(argv=None):
    args = parse_args(argv)
    print(process_checkpoint(args.in_file, args.out_file))


if __name__ == '__main__':
    main()
