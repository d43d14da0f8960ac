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
from gloo_jobs import gloo_job  # noqa: E402
from scale_helpers import (scale_modules_registered,  # noqa: E402,F401
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


def _run(rank, world_size, folder, cfg_dict):
    from mmpose.apis import multi_gpu_test
    from mmpose.core.utils.dist_utils import wrap_model
    cfg = mmcv.Config(cfg_dict)
    model = wrap_model(_model(cfg), distributed=True)
    out = {}
    for batch in BATCH_SIZES:
        loader = _loader(cfg, batch, dist=True)
        out[batch, 'tmpdir'] = multi_gpu_test(
            model, loader, tmpdir=f'{folder}/collect{batch}')
        out[batch, 'gpu_collect'] = multi_gpu_test(
            model, loader, gpu_collect=True)
    with open(f'{folder}/rank{rank}.pkl', 'wb') as f:
        pickle.dump(out, f)


gloo_job('multi_gpu_test_order', _config, _run)


def _flat(results, key):
    if isinstance(results[0][key], np.ndarray):
        return np.concatenate([r[key] for r in results])
    return [item for r in results for item in r[key]]


def test_multi_gpu_test_equals_single_gpu_test(gloo_outputs):
    from mmpose.apis import single_gpu_test
    from mmpose.core.utils.dist_utils import wrap_model
    tmp_path, cfg_dict = gloo_outputs('multi_gpu_test_order')
    cfg = mmcv.Config(cfg_dict)
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


class _OpaqueResultModel(torch.nn.Module):
    """Returns one opaque object per batch: results not splittable."""

    def forward(self, img, return_loss=False, **kwargs):
        return ('batch', img.shape[0])


def _opaque_loader(num_samples, batch):
    from torch.utils.data import DataLoader
    return DataLoader([dict(img=torch.zeros(1))] * num_samples,
                      batch_size=batch)


def test_unsplittable_results_that_would_keep_padding_are_refused(
        monkeypatch):
    from mmpose.apis import multi_gpu_test
    from mmpose.core.evaluation import eval_loops
    monkeypatch.setattr(eval_loops, 'get_dist_info', lambda: (0, 2))
    with pytest.raises(ValueError, match=r'5 samples do not divide into 2 '
                       r'processes x 2 samples per batch'):
        multi_gpu_test(_OpaqueResultModel(), _opaque_loader(5, 2))


def test_split_and_merge_batch_results_round_trip():
    from mmpose.core.evaluation.eval_loops import (_merge_sample_results,
                                                   _split_batch_result)
    result = dict(
        preds=np.arange(12.).reshape(3, 2, 2),
        boxes=torch.arange(6.).reshape(3, 2),
        image_paths=['a', 'b', 'c'],
        bbox_ids=(4, 5, 6),
        output_heatmap=None)
    parts = _split_batch_result(result, 3)
    assert [p['image_paths'] for p in parts] == [['a'], ['b'], ['c']]
    assert parts[1]['preds'].shape == (1, 2, 2)
    merged = _merge_sample_results(parts[1:])
    np.testing.assert_array_equal(merged['preds'], result['preds'][1:])
    assert torch.equal(merged['boxes'], result['boxes'][1:])
    assert merged['bbox_ids'] == (5, 6) and merged['output_heatmap'] is None
    # a value that is not per sample makes the batch unsplittable
    assert _split_batch_result(dict(result, flag=True), 3) is None
    assert _split_batch_result(('batch', 3), 3) is None
    assert _split_batch_result(('one', ), 1) == [('one', )]
