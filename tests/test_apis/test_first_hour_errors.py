"""Errors of the first hour, at the API level: unreadable checkpoints named,
evaluation metric names checked up front, no empty training epochs."""
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from mmpose.apis import inference_top_down_pose_model, init_pose_model

from mmpose.apis.cli import (allowed_metrics_of, check_checkpoint_file,
                             check_eval_metrics, check_out_path,
                             load_checkpoint_strict, read_checkpoint)
from mmpose.datasets import (BottomUpCocoDataset, Face300WDataset,
                             OneHand10KDataset, TopDownCocoDataset,
                             TopDownJhmdbDataset, TopDownMpiiDataset)
from mmpose.datasets.builder import build_dataloader, build_dataset
from mmpose.utils import ArgumentError

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
from dataset_fixtures import make_data_cfg  # noqa: E402
from toy_pose_modules import (ToyPoseDataset,  # noqa: E402,F401
                              toy_modules_registered, train_toy)


def _truncate(path, keep):
    data = path.read_bytes()
    path.write_bytes(data[:keep(len(data))])


@pytest.fixture
def good_checkpoint(tmp_path):
    path = tmp_path / 'good.pth'
    model = nn.Linear(3, 2)
    torch.save({'state_dict': model.state_dict()}, path)
    return path, model


def test_a_whole_checkpoint_passes_and_loads(good_checkpoint):
    path, model = good_checkpoint
    check_checkpoint_file(str(path))
    target = nn.Linear(3, 2)
    load_checkpoint_strict(target, str(path))
    assert torch.equal(target.weight, model.weight)


def test_missing_checkpoint_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match='nothere.pth'):
        check_checkpoint_file(str(tmp_path / 'nothere.pth'))


def test_empty_checkpoint_is_named(tmp_path):
    path = tmp_path / 'empty.pth'
    path.write_bytes(b'')
    with pytest.raises(RuntimeError, match=r'empty.pth is empty \(0 bytes\)'):
        read_checkpoint(str(path))


@pytest.mark.parametrize('keep', [lambda n: n - 1, lambda n: n // 2,
                                  lambda n: 10])
def test_truncated_zip_checkpoint_is_named(good_checkpoint, keep):
    path, model = good_checkpoint
    _truncate(path, keep)
    with pytest.raises(RuntimeError) as err:
        load_checkpoint_strict(nn.Linear(3, 2), str(path))
    message = str(err.value)
    assert f'{path} is truncated' in message
    assert 'does not match' not in message


def test_truncated_legacy_checkpoint_is_named(tmp_path):
    """Before torch 1.6, checkpoints were plain pickles: torch.load finds
    the truncation, the error names the file."""
    path = tmp_path / 'legacy.pth'
    torch.save({'state_dict': nn.Linear(3, 2).state_dict()},
               path,
               _use_new_zipfile_serialization=False)
    _truncate(path, lambda n: n // 2)
    check_checkpoint_file(str(path))  # not a zip: left to torch.load
    with pytest.raises(RuntimeError, match='legacy.pth cannot be read'):
        read_checkpoint(str(path))


# Metric names 0.14's evaluate accepted, per dataset class.
METRICS_014 = [
    (TopDownCocoDataset, {'mAP'}),
    (TopDownMpiiDataset, {'PCKh'}),
    (TopDownJhmdbDataset, {'PCK', 'tPCK'}),
    (BottomUpCocoDataset, {'mAP'}),
    (OneHand10KDataset, {'PCK', 'AUC', 'EPE'}),
    (Face300WDataset, {'NME'}),
]


@pytest.mark.parametrize('cls,expected', METRICS_014)
def test_allowed_metrics_match_014(cls, expected):
    # evaluate checks the names first: an unloaded instance is enough.
    dataset = cls.__new__(cls)
    assert set(allowed_metrics_of(dataset)) == expected
    with pytest.raises(KeyError) as err:
        check_eval_metrics(dataset, sorted(expected) + ['acc'])
    message = str(err.value)
    assert 'metric(s) acc;' in message and cls.__name__ in message
    check_eval_metrics(dataset, sorted(expected))


def test_a_dataset_accepting_any_metric_accepts_custom_names():
    dataset = ToyPoseDataset(num_samples=2, test_mode=True)
    check_eval_metrics(dataset, ['AP', 'in_order'])
    check_eval_metrics(dataset, None)


def test_out_path_check(tmp_path):
    for name in ('r.pkl', 'r.pickle', 'r.json', 'R.JSON'):
        check_out_path(str(tmp_path / 'sub' / name))
    check_out_path(None)
    with pytest.raises(ArgumentError, match='--out must end with'):
        check_out_path(str(tmp_path / 'r.csv'))


def _train_three_samples(work_dir, **loader):
    return train_toy(
        work_dir,
        total_epochs=1,
        data=dict(
            samples_per_gpu=4,
            workers_per_gpu=0,
            train_dataloader=loader,
            train=dict(type='ToyPoseDataset', num_samples=3)))


def test_train_model_refuses_an_epoch_without_batches(tmp_path):
    with pytest.raises(ArgumentError) as err:
        _train_three_samples(tmp_path / 'work')
    assert 'has 3 samples' in str(err.value)
    assert 'samples_per_gpu=4' in str(err.value)
    assert not list((tmp_path / 'work').glob('*.pth'))


def test_incomplete_batches_kept_train_a_small_dataset(tmp_path):
    _train_three_samples(tmp_path / 'work', drop_last=False)
    assert (tmp_path / 'work' / 'epoch_1.pth').exists()


def test_build_dataset_names_the_file_of_an_empty_dataset(tmp_path):
    ann_file = tmp_path / 'no_people.json'
    ann_file.write_text('[]')
    cfg = dict(
        type='TopDownMpiiDataset',
        ann_file=str(ann_file),
        img_prefix=str(tmp_path),
        data_cfg=make_data_cfg(16),
        pipeline=[])
    with pytest.raises(ValueError) as err:
        build_dataset(cfg)
    assert f'annotation file {ann_file} gives no samples' in str(err.value)
    with pytest.raises(ValueError, match='ToyPoseDataset: its config'):
        build_dataset(dict(type='ToyPoseDataset', num_samples=0))


def test_loader_without_cuda_does_not_pin(recwarn):
    loader = build_dataloader(
        ToyPoseDataset(num_samples=2), 1, 0, dist=False)
    assert loader.pin_memory == torch.cuda.is_available()
    assert not [w for w in recwarn if 'pin_memory' in str(w.message)]


@pytest.fixture(scope='module')
def tiny_model():
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from test_inference import _tiny_config
    return init_pose_model(_tiny_config(), device='cpu')


@pytest.mark.parametrize('box,format,what', [
    ([10, 10, 0, 20], 'xywh', 'width'),
    ([10, 10, 20, -1], 'xywh', 'height'),
    ([10, 10, 5, 30], 'xyxy', 'width'),
    ([10, 10, np.nan, 20], 'xywh', 'finite'),
    ([10, np.inf, 20, 20, 0.9], 'xywh', 'finite'),
])
def test_top_down_inference_rejects_degenerate_boxes(tiny_model, box, format,
                                                     what):
    image = np.zeros((64, 64, 3), dtype=np.uint8)
    people = [dict(bbox=[5, 5, 30, 30] + box[4:]), dict(bbox=box)]
    with pytest.raises(ArgumentError) as err:
        inference_top_down_pose_model(
            tiny_model, image, people, format=format)
    message = str(err.value)
    assert 'person box 1' in message and what in message


def test_top_down_inference_accepts_a_one_pixel_box(tiny_model):
    # 0.14's boxes count pixels inclusively: x1 == x2 is one pixel wide.
    image = np.zeros((64, 64, 3), dtype=np.uint8)
    results, _ = inference_top_down_pose_model(
        tiny_model, image, [dict(bbox=[10, 10, 10, 10])], format='xyxy')
    assert results[0]['keypoints'].shape == (17, 3)


def test_init_pose_model_names_an_empty_or_truncated_checkpoint(
        tiny_model, tmp_path):
    from test_inference import _tiny_config
    empty = tmp_path / 'empty.pth'
    empty.write_bytes(b'')
    with pytest.raises(RuntimeError, match='empty') as err:
        init_pose_model(_tiny_config(), str(empty), device='cpu')
    assert 'does not match' not in str(err.value)
    whole = tmp_path / 'whole.pth'
    torch.save(dict(state_dict=tiny_model.state_dict()), whole)
    cut = tmp_path / 'cut.pth'
    cut.write_bytes(whole.read_bytes()[:len(whole.read_bytes()) // 2])
    with pytest.raises(RuntimeError, match='truncated'):
        init_pose_model(_tiny_config(), str(cut), device='cpu')
    # the whole file loads
    init_pose_model(_tiny_config(), str(whole), device='cpu')
