"""Time the 243-frame TCN lifter's ``forward_test`` against the data side
(Human3.6M sequence sampling, the lifting pipeline and collation) on CPU.

Usage: ``python tools/benchmark_lifting.py [--sequences 1000]
[--batch 100] [--frames 2000] [--shared ../shared/datasets/h36m]``

The model is VideoPose3D's 243-frame TCN (kernel sizes 3, 3, 3, 3, 3 with
strided convolutions, 1024 channels) with a TemporalRegressionHead. The
data side builds ``Body3DH36MDataset`` (seq_len 243, temporal padding) on a
generated annotation file of ``--frames`` frames per video in two videos,
then loads ``--sequences`` samples through the pipeline and collates them in
batches; it also times sampling of the shared Human3.6M sample when present.
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

# Run from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# mmpose first: importing it quiets mmcv's import-time notices.
import mmpose  # noqa: F401, E402, I100
from mmcv.parallel import collate  # noqa: E402, I100

from mmpose.datasets import build_dataset  # noqa: E402
from mmpose.models import build_posenet  # noqa: E402

SEQ_LEN = 243
K = 17

MODEL = dict(
    type='PoseLifter',
    backbone=dict(
        type='TCN',
        in_channels=2 * K,
        stem_channels=1024,
        num_blocks=4,
        kernel_sizes=(3, 3, 3, 3, 3),
        dropout=0.25,
        use_stride_conv=True),
    keypoint_head=dict(
        type='TemporalRegressionHead',
        in_channels=1024,
        num_joints=K,
        loss_keypoint=dict(type='MPJPELoss')),
    test_cfg=dict(restore_global_position=True))

PIPELINE = [
    dict(type='GetRootCenteredPose', item='target', visible_item=
         'target_visible', root_index=0, root_name='root_position'),
    dict(type='NormalizeJointCoordinate', item='target',
         mean=np.zeros((K, 3)), std=np.ones((K, 3))),
    dict(type='NormalizeJointCoordinate', item='input_2d',
         mean=np.full((K, 2), 500.), std=np.full((K, 2), 200.)),
    dict(type='PoseSequenceToTensor', item='input_2d'),
    dict(type='Collect', keys=[('input_2d', 'input'), 'target'],
         meta_keys=['target_image_path', 'flip_pairs', 'root_position',
                    'target_mean', 'target_std'], meta_name='metas'),
]


def write_annotations(path, frames, seed=0):
    rng = np.random.RandomState(seed)
    names = [
        f'{s}/{s}_{a}.54138969/{s}_{a}.54138969_{f:06d}.jpg'
        for s, a in (('S9', 'Walking'), ('S11', 'Eating'))
        for f in range(frames)
    ]
    n = len(names)
    np.savez(
        path,
        imgname=np.array(names),
        center=rng.uniform(400, 600, (n, 2)),
        scale=rng.uniform(1, 2, n),
        S=np.concatenate([rng.randn(n, K, 3), np.ones((n, K, 1))], -1),
        part=np.concatenate(
            [rng.uniform(0, 1000, (n, K, 2)), np.ones((n, K, 1))], -1))


def build(ann_file):
    return build_dataset(
        dict(
            type='Body3DH36MDataset',
            ann_file=str(ann_file),
            img_prefix='',
            data_cfg=dict(
                num_joints=K, seq_len=SEQ_LEN, seq_frame_interval=1,
                causal=False, temporal_padding=True),
            pipeline=PIPELINE))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--sequences', type=int, default=1000)
    parser.add_argument('--batch', type=int, default=100)
    parser.add_argument('--frames', type=int, default=2000)
    parser.add_argument(
        '--shared',
        default=str(Path(__file__).resolve().parents[2] / 'shared' /
                    'datasets' / 'h36m'))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        ann_file = Path(tmp) / 'h36m.npz'
        write_annotations(ann_file, args.frames)
        t0 = time.perf_counter()
        dataset = build(ann_file)
        t_sampling = time.perf_counter() - t0
    num = min(args.sequences, len(dataset))

    t0 = time.perf_counter()
    batches = [
        collate([dataset[i] for i in range(s, min(s + args.batch, num))],
                args.batch) for s in range(0, num, args.batch)
    ]
    t_data = time.perf_counter() - t0

    model = build_posenet(MODEL).eval()
    with torch.no_grad():
        # warm up the kernels once
        model(batches[0]['input'][:2], metas=batches[0]['metas'].data[0][:2],
              return_loss=False)
        t0 = time.perf_counter()
        for batch in batches:
            out = model(batch['input'], metas=batch['metas'].data[0],
                        return_loss=False)
        t_model = time.perf_counter() - t0
    assert out['preds'].shape[1:] == (K, 3)

    print(f'torch threads: {torch.get_num_threads()}')
    print(f'sequence sampling ({2 * args.frames} frames, {len(dataset)} '
          f'samples of {SEQ_LEN}): {t_sampling * 1e3:.1f} ms '
          '(dataset build incl. loading)')
    shared = Path(args.shared) / 'test_h36m_body3d.npz'
    if shared.is_file():
        t0 = time.perf_counter()
        small = build(shared)
        print(f'shared sample ({len(small)} samples): '
              f'{(time.perf_counter() - t0) * 1e3:.1f} ms')
    print(f'data: {num} sequences through the pipeline + collate: '
          f'{t_data:.3f} s ({t_data / num * 1e3:.2f} ms/seq)')
    print(f'model: forward_test of {num} sequences (batch {args.batch}): '
          f'{t_model:.3f} s ({t_model / num * 1e3:.2f} ms/seq)')
    print(f'data / model per sequence: {t_data / t_model:.1%}; with the '
          f'one-time dataset build: {(t_data + t_sampling) / t_model:.1%}')


if __name__ == '__main__':
    main()
