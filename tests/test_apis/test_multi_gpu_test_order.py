"""multi_gpu_test on 2 gloo processes returns what single_gpu_test returns.

A real top-down model and dataset (tests/scale_helpers.py), 5 boxes (not a
multiple of the 2 processes, so DistributedSampler pads rank 1 with box 0),
both collection modes (through a temp dir, and all_gather), and 1 and 2 boxes
per batch: rank 0 must get the results of every box exactly once, in dataset
order, batched as single_gpu_test batches them.
"""
import pickle
import sys
from pathlib import Path

import mmcv
import numpy as np
import pytest
import torch

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
from fixtures import write_coco_keypoint_dataset  # noqa: E402
from scale_helpers import (free_port, register_scale_modules,  # noqa
                           scale_modules_registered, set_dist_env, spawn,
                           tiny_topdown_config)

BATCH_SIZES = (1, 2)


def _config(tmp_path):
    data = write_coco_keypoint_dataset(
        tmp_path / 'coco',
        image_sizes=((160, 200), (180, 160)),
        persons_per_image=(3, 2),
        extra_annotations=False)
    cfg = tiny_topdown_config(data['ann_file'], data['img_prefix'],
                              tmp_path / 'work')
    # Batches of several boxes need their ids.
    cfg['data']['test']['pipeline'][-1]['meta_keys'].append('bbox_id')
    return cfg


def _model(cfg):
    from mmpose.models import build_posenet
    torch.manual_seed(0)
    return build_posenet(cfg.model)


def _loader(cfg, samples_per_gpu, dist):
    from mmpose.datasets import build_dataloader, build_dataset
    dataset = build_dataset(cfg.data.test, dict(test_mode=True))
    return build_dataloader(
        dataset, samples_per_gpu, 0, dist=dist, shuffle=False,
        drop_last=False)


def _worker(rank, world_size, port, cfg_dict, out_dir):
    from mmpose.apis import multi_gpu_test
    from mmpose.apis.dist_utils import init_dist, wrap_model
    register_scale_modules()
    set_dist_env(rank, world_size, port)
    init_dist('pytorch', backend='gloo')
    try:
        cfg = mmcv.Config(cfg_dict)
        model = wrap_model(_model(cfg), distributed=True)
        out = {}
        for batch in BATCH_SIZES:
            loader = _loader(cfg, batch, dist=True)
            out[batch, 'tmpdir'] = multi_gpu_test(
                model, loader, tmpdir=f'{out_dir}/collect{batch}')
            out[batch, 'gpu_collect'] = multi_gpu_test(
                model, loader, gpu_collect=True)
        with open(f'{out_dir}/rank{rank}.pkl', 'wb') as f:
            pickle.dump(out, f)
    finally:
        torch.distributed.destroy_process_group()


def _flat(results, key):
    if isinstance(results[0][key], np.ndarray):
        return np.concatenate([r[key] for r in results])
    return [item for r in results for item in r[key]]


@pytest.mark.slow
def test_multi_gpu_test_equals_single_gpu_test(tmp_path):
    from mmpose.apis import single_gpu_test
    from mmpose.apis.dist_utils import wrap_model
    cfg_dict = _config(tmp_path)
    cfg = mmcv.Config(cfg_dict)
    spawn(_worker, 2, (free_port(), cfg_dict, str(tmp_path)))
    with open(tmp_path / 'rank1.pkl', 'rb') as f:
        assert all(v is None for v in pickle.load(f).values())
    with open(tmp_path / 'rank0.pkl', 'rb') as f:
        dist_out = pickle.load(f)

    model = wrap_model(_model(cfg))
    for batch in BATCH_SIZES:
        single = single_gpu_test(model, _loader(cfg, batch, dist=False))
        assert len(_flat(single, 'bbox_ids')) == 5
        for mode in ('tmpdir', 'gpu_collect'):
            multi = dist_out[batch, mode]
            assert [len(r['bbox_ids']) for r in multi] == [
                len(r['bbox_ids']) for r in single], (batch, mode)
            assert _flat(multi, 'bbox_ids') == _flat(single, 'bbox_ids')
            assert _flat(multi, 'image_paths') == _flat(single,
                                                        'image_paths')
            for key in ('preds', 'boxes'):
                np.testing.assert_allclose(
                    _flat(multi, key), _flat(single, key), rtol=1e-5,
                    atol=1e-5)
        assert not (tmp_path / f'collect{batch}').exists()
