"""The first hour with tools/train.py and tools/test.py: mistakes in the
arguments, the data or the checkpoint fail at once with a message naming
what to fix, and a normal run prints no import-time notices."""
import os
import subprocess
import sys
from pathlib import Path

import mmcv
import pytest
import torch

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
sys.path.insert(0, str(TESTS))
from test_tools_topdown_coco import \
    _write_config as _write_coco_config  # noqa: E402
from test_tools_train_test import (  # noqa: E402
    _fresh_logger,  # noqa: F401 (autouse fixture: a log file per run)
    _script_env, _write_config, test_tool, train_tool)
from toy_pose_modules import \
    toy_modules_registered  # noqa: E402,F401 (autouse fixture)

from mmpose.utils import ArgumentError  # noqa: E402


@pytest.fixture
def no_model(monkeypatch):
    """Fail the test if tools/test.py gets as far as building the model."""

    def refuse(cfg):
        raise AssertionError('the model was built before the check')

    monkeypatch.setattr(test_tool, 'build_posenet', refuse)


@pytest.mark.parametrize('out', ['results.txt', 'results', 'res.yaml'])
def test_out_with_an_unknown_format_fails_before_inference(
        tmp_path, no_model, out):
    config = _write_config(tmp_path)
    with pytest.raises(ArgumentError) as err:
        test_tool.main([
            str(config),
            str(tmp_path / 'none.pth'), '--work-dir',
            str(tmp_path / 'eval'), '--out',
            str(tmp_path / out)
        ])
    message = str(err.value)
    assert '--out' in message and '.pkl, .pickle, .json' in message
    assert out in message


def test_out_in_a_folder_that_cannot_be_made_fails(tmp_path, no_model):
    config = _write_config(tmp_path)
    blocker = tmp_path / 'a_file'
    blocker.write_text('not a folder')
    with pytest.raises(ArgumentError, match='--out .*a_file'):
        test_tool.main([
            str(config),
            str(tmp_path / 'none.pth'), '--out',
            str(blocker / 'results.pkl')
        ])


def _any_checkpoint(tmp_path):
    path = tmp_path / 'some.pth'
    torch.save({'state_dict': {}}, path)
    return str(path)


def test_eval_typo_fails_before_the_model_naming_the_allowed(
        tmp_path, no_model, monkeypatch):
    config, _ = _write_coco_config(tmp_path)
    checkpoint = _any_checkpoint(tmp_path)
    with pytest.raises(KeyError) as err:
        test_tool.main([
            str(config),
            checkpoint, '--work-dir',
            str(tmp_path / 'eval'), '--eval', 'mAP', 'PCKh'
        ])
    message = str(err.value)
    assert '--eval' in message and 'TopDownCocoDataset' in message
    assert 'PCKh' in message and 'allowed: mAP' in message
    assert not (tmp_path / 'eval').exists()
    # A metric from the config is checked the same way.
    monkeypatch.chdir(tmp_path)
    with pytest.raises(KeyError, match='map'):
        test_tool.main([
            str(config),
            checkpoint, '--cfg-options',
            'evaluation.metric=map'
        ])
    assert not (tmp_path / 'work_dirs').exists()


def test_valid_eval_and_out_reach_the_checkpoint(tmp_path, no_model):
    """A right --eval and --out pass the checks: the next error is the
    missing checkpoint, still before the model is built."""
    config, _ = _write_coco_config(tmp_path)
    with pytest.raises(FileNotFoundError, match='none.pth'):
        test_tool.main([
            str(config),
            str(tmp_path / 'none.pth'), '--work-dir',
            str(tmp_path / 'eval'), '--eval', 'mAP', '--out',
            str(tmp_path / 'new' / 'results.json')
        ])
    assert (tmp_path / 'new').is_dir()


@pytest.mark.parametrize('kind', ['empty', 'truncated'])
def test_test_tool_names_an_empty_or_truncated_checkpoint(
        tmp_path, no_model, kind):
    config = _write_config(tmp_path)
    checkpoint = tmp_path / 'bad.pth'
    if kind == 'empty':
        checkpoint.write_bytes(b'')
    else:
        torch.save({'state_dict': {'w': torch.zeros(1000)}}, checkpoint)
        data = checkpoint.read_bytes()
        checkpoint.write_bytes(data[:len(data) // 2])
    with pytest.raises(RuntimeError) as err:
        test_tool.main([str(config), str(checkpoint), '--work-dir',
                        str(tmp_path / 'eval')])
    message = str(err.value)
    assert str(checkpoint) in message and kind in message
    assert 'does not match' not in message


def test_train_tool_names_a_truncated_resume_checkpoint(tmp_path):
    config = _write_config(tmp_path)
    checkpoint = tmp_path / 'epoch_1.pth'
    torch.save({'state_dict': {}, 'meta': {}}, checkpoint)
    checkpoint.write_bytes(checkpoint.read_bytes()[:100])
    with pytest.raises(RuntimeError, match='epoch_1.pth is truncated'):
        train_tool.main([
            str(config), '--work-dir',
            str(tmp_path / 'work'), '--resume-from',
            str(checkpoint)
        ])
    assert not (tmp_path / 'work').exists()


@pytest.mark.parametrize('samples_per_gpu', [7, 12])
def test_training_on_fewer_samples_than_one_batch_is_refused(
        tmp_path, samples_per_gpu):
    # The toy training set has 6 samples; a batch of 7 or more is dropped.
    config = _write_config(tmp_path)
    work_dir = tmp_path / 'work'
    with pytest.raises(ArgumentError) as err:
        train_tool.main([
            str(config), '--work-dir',
            str(work_dir), '--cfg-options',
            f'data.samples_per_gpu={samples_per_gpu}'
        ])
    message = str(err.value)
    assert 'ToyPoseDataset has 6 samples' in message
    assert f'samples_per_gpu={samples_per_gpu}' in message
    assert 'drop_last' in message
    assert not list(work_dir.glob('*.pth'))


def test_a_batch_of_the_dataset_size_trains(tmp_path):
    config = _write_config(tmp_path)
    work_dir = tmp_path / 'work'
    train_tool.main([
        str(config), '--work-dir',
        str(work_dir), '--no-validate', '--cfg-options',
        'data.samples_per_gpu=6'
    ])
    assert (work_dir / 'epoch_1.pth').exists()


def test_an_annotation_file_without_annotations_names_the_file(tmp_path):
    config, coco = _write_coco_config(tmp_path)
    data = mmcv.load(coco['ann_file'])
    data['annotations'] = []
    empty = tmp_path / 'empty_annotations.json'
    mmcv.dump(data, str(empty))
    with pytest.raises(ValueError, match='empty_annotations.json'):
        train_tool.main([
            str(config), '--work-dir',
            str(tmp_path / 'work'), '--cfg-options',
            f'data.train.ann_file={empty}'
        ])


@pytest.mark.slow
def test_scripts_print_no_import_notices(tmp_path):
    config = _write_config(tmp_path)
    work_dir = tmp_path / 'work'
    env = _script_env()
    env.pop('PYTHONWARNINGS', None)
    runs = [[str(REPO / 'tools' / 'train.py'),
             str(config), '--work-dir',
             str(work_dir)],
            [str(REPO / 'tools' / 'test.py'),
             str(config),
             str(work_dir / 'epoch_1.pth'), '--work-dir',
             str(tmp_path / 'eval')]]
    for args in runs:
        done = subprocess.run([sys.executable] + args,
                              env=env,
                              cwd=tmp_path,
                              capture_output=True,
                              text=True,
                              check=True)
        # The log goes to stderr; no warning or notice is printed with it.
        for notice in ('CUDA_HOME', 'MMCV will release', 'Warning'):
            assert notice not in done.stderr + done.stdout, args[0]
    assert os.path.isfile(work_dir / 'epoch_1.pth')
