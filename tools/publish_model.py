"""Prepare a checkpoint for release.

Drops the optimizer state (and anything else not needed for inference), saves
the result and renames it ``<out_file stem>-<first 8 hex digits of its
sha256>.pth``, as the MMPose model zoo names its files.

Example:
    python tools/publish_model.py work_dirs/res50/latest.pth res50_coco.pth
    # -> res50_coco-1a2b3c4d.pth
"""
import argparse
import hashlib
import os

import torch


def parse_args():
    parser = argparse.ArgumentParser(
        description='Process a checkpoint to be published')
    parser.add_argument('in_file', help='input checkpoint filename')
    parser.add_argument('out_file', help='output checkpoint filename')
    return parser.parse_args()


def sha256_of(path, chunk_size=1 << 20):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(chunk_size), b''):
            digest.update(chunk)
    return digest.hexdigest()


def process_checkpoint(in_file, out_file):
    """Strip ``in_file`` to ``state_dict`` and ``meta`` and publish it.

    Args:
        in_file (str): A checkpoint written by training.
        out_file (str): Wanted name; the hash is inserted before ``.pth``.

    Returns:
        str: The path of the published file.
    """
    if not os.path.isfile(in_file):
        raise FileNotFoundError(f'checkpoint not found: {in_file}')
    checkpoint = torch.load(in_file, map_location='cpu', weights_only=False)
    if 'state_dict' not in checkpoint:
        raise KeyError(f'{in_file} has no "state_dict": is it a checkpoint '
                       'written by mmpose/mmcv training?')
    published = dict(state_dict=checkpoint['state_dict'])
    if 'meta' in checkpoint:
        published['meta'] = checkpoint['meta']
    stem = out_file[:-4] if out_file.endswith('.pth') else out_file
    tmp_file = stem + '.pth.tmp'
    torch.save(published, tmp_file)
    final_file = f'{stem}-{sha256_of(tmp_file)[:8]}.pth'
    os.replace(tmp_file, final_file)
    return final_file


def main():
    args = parse_args()
    print(process_checkpoint(args.in_file, args.out_file))


if __name__ == '__main__':
    main()
