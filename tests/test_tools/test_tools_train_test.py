"""tools/train.py and tools/test.py: in-process (fast), as scripts (slow)."""
import importlib.util
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import mmcv
import numpy as np
import pytest
import torch

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
sys.path.insert(0, str(TESTS))
from toy_pose_modules import (ToyPoseModel, toy_config,  # noqa: E402,F401
                              toy_modules_registered)


def _load_tool(name):
    spec = importlib.util.spec_from_file_location(
        f'_mmpose_tool_{name}', REPO / 'tools' / f'{name}.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


train_tool = _load_tool('train')
test_tool = _load_tool('test')


@pytest.fixture(autouse=True)
def _fresh_logger(fresh_mmpose_logger):
    """Each in-process run attaches its own log file (see conftest)."""



def _write_config(tmp_path, **overrides):
    path = tmp_path / 'toy_cfg.py'
    cfg = toy_config(tmp_path / 'unused', total_epochs=1, **overrides)
    cfg.pop('work_dir')
    cfg.pop('seed')
    cfg.pop('gpu_ids')
    mmcv.Config(cfg).dump(str(path))
    return path


@pytest.fixture
def trained(tmp_path):
    config = _write_config(tmp_path)
    work_dir = tmp_path / 'work'
    train_tool.main([
        str(config), '--work-dir',
        str(work_dir), '--seed', '0', '--deterministic', '--autoscale-lr',
        '--gpu-ids', '0', '--cfg-options', 'data.samples_per_gpu=3',
        'evaluation.interval=1'
    ])
    return config, work_dir


def test_train_tool_writes_config_logs_and_checkpoints(trained):
    config, work_dir = trained
    files = sorted(os.listdir(work_dir))
    assert 'toy_cfg.py' in files and 'epoch_1.pth' in files
    assert 'latest.pth' in files and 'best_AP_epoch_1.pth' in files
    logs = [f for f in files if f.endswith('.log')]
    json_logs = [f for f in files if f.endswith('.log.json')]
    assert len(logs) == 1 and json_logs == [logs[0] + '.json']
    text = (work_dir / logs[0]).read_text()
    assert 'Environment info' in text and 'MMPose' in text
    assert 'Config:' in text and 'Set random seed to 0' in text
    # --cfg-options reached the dumped config and the training (6 / 3).
    dumped = mmcv.Config.fromfile(str(work_dir / 'toy_cfg.py'))
    assert dumped.data.samples_per_gpu == 3 and dumped.seed == 0
    # --autoscale-lr: the linear rule for 1 GPU against the reference 8.
    assert dumped.optimizer.lr == pytest.approx(0.01 / 8)
    assert dumped.gpu_ids == [0]
    with open(work_dir / json_logs[0]) as f:
        records = [json.loads(line) for line in f]
    assert [r['iter'] for r in records if r.get('mode') == 'train'] == [1, 2]
    meta = torch.load(work_dir / 'epoch_1.pth')['meta']
    assert meta['seed'] == 0 and 'env_info' in meta
    assert 'mmpose_version' in meta and 'ToyPoseModel' in meta['config']


def test_train_tool_resume_and_no_validate(trained):
    config, work_dir = trained
    train_tool.main([
        str(config), '--work-dir',
        str(work_dir), '--no-validate', '--resume-from',
        str(work_dir / 'epoch_1.pth'), '--cfg-options', 'total_epochs=2'
    ])
    files = os.listdir(work_dir)
    assert 'epoch_2.pth' in files
    assert not any(f.startswith('best_AP_epoch_2') for f in files)


def test_local_rank_argument_reaches_the_environment(monkeypatch):
    monkeypatch.delenv('LOCAL_RANK', raising=False)
    args = train_tool.parse_args(['cfg.py', '--local_rank', '3'])
    assert args.local_rank == 3 and os.environ['LOCAL_RANK'] == '3'
    monkeypatch.setenv('LOCAL_RANK', '1')
    test_tool.parse_args(['cfg.py', 'ckpt.pth', '--local-rank', '5'])
    assert os.environ['LOCAL_RANK'] == '1'
    with pytest.raises(SystemExit):
        train_tool.parse_args(['cfg.py', '--gpus', '2', '--gpu-ids', '0'])


def test_cfg_options_typo_names_the_key_and_suggests(tmp_path):
    config = _write_config(tmp_path)
    # A key under a section the config does not have is refused before
    # anything runs.
    with pytest.raises(KeyError) as err:
        train_tool.main([
            str(config), '--work-dir',
            str(tmp_path / 'work'), '--cfg-options', 'datas.samples_per_gpu=2'
        ])
    message = str(err.value)
    assert '"datas.samples_per_gpu"' in message
    assert 'data.samples_per_gpu' in message
    assert not (tmp_path / 'work').exists()
    # A new key beside a near namesake is added (as mmcv's merge_from_dict
    # did for 0.14), with a warning naming the namesake.
    with pytest.warns(UserWarning, match='data.samples_per_gpu'), \
            pytest.raises(OSError, match='none.pth'):
        test_tool.main([
            str(config),
            str(tmp_path / 'none.pth'), '--work-dir',
            str(tmp_path / 'eval'), '--cfg-options', 'data.samples_pergpu=2'
        ])


def test_test_tool_evaluates_and_dumps(trained, tmp_path, capsys):
    config, work_dir = trained
    out = tmp_path / 'results.pkl'
    results = test_tool.main([
        str(config),
        str(work_dir / 'epoch_1.pth'), '--out',
        str(out), '--eval', 'AP', '--work-dir',
        str(tmp_path / 'eval')
    ])
    assert set(results) == {'AP', 'EPE', 'in_order'}
    assert results['in_order'] == 1.0
    assert 'AP: ' in capsys.readouterr().out
    with open(out, 'rb') as f:
        outputs = pickle.load(f)
    # Test loader: one sample per batch unless test_dataloader says more.
    assert [o['index'] for o in outputs] == [[i] for i in range(5)]
    assert (tmp_path / 'eval' / 'result_keypoints.json').exists()

    fused = test_tool.main([
        str(config),
        str(work_dir / 'epoch_1.pth'), '--fuse-conv-bn', '--work-dir',
        str(tmp_path / 'fused')
    ])
    assert fused['EPE'] == pytest.approx(results['EPE'], abs=1e-5)


def test_test_tool_rejects_a_checkpoint_of_another_model(tmp_path):
    config = _write_config(tmp_path)
    other = ToyPoseModel(channels=3)
    state = other.state_dict()
    state['head.weight'] = torch.zeros(1)
    state.pop('fc.bias')
    state['conv.weight'] = torch.zeros(4, 3, 1, 1)
    torch.save(dict(state_dict=state), tmp_path / 'other.pth')
    with pytest.raises(RuntimeError) as err:
        test_tool.main([
            str(config),
            str(tmp_path / 'other.pth'), '--work-dir',
            str(tmp_path / 'eval')
        ])
    message = str(err.value)
    assert 'other.pth' in message
    assert '1 missing keys: fc.bias' in message
    assert '1 unexpected keys: head.weight' in message
    assert 'conv.weight: checkpoint (4, 3, 1, 1) vs model (2, 3, 1, 1)' in (
        message)


def _script_env():
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        [str(REPO), str(TESTS),
         env.get('PYTHONPATH', '')])
    return env


@pytest.mark.slow
def test_train_and_test_scripts_run_as_subprocesses(tmp_path):
    config = _write_config(tmp_path)
    work_dir = tmp_path / 'work'
    subprocess.run([
        sys.executable,
        str(REPO / 'tools' / 'train.py'),
        str(config), '--work-dir',
        str(work_dir)
    ],
                   check=True,
                   env=_script_env(),
                   cwd=tmp_path)
    assert (work_dir / 'epoch_1.pth').exists()
    done = subprocess.run([
        sys.executable,
        str(REPO / 'tools' / 'test.py'),
        str(config),
        str(work_dir / 'epoch_1.pth'), '--work-dir',
        str(tmp_path / 'eval')
    ],
                          check=True,
                          env=_script_env(),
                          cwd=tmp_path,
                          capture_output=True,
                          text=True)
    assert 'in_order: 1.0' in done.stdout
    bad = subprocess.run([
        sys.executable,
        str(REPO / 'tools' / 'train.py'),
        str(config), '--cfg-options', 'modle.type=X'
    ],
                         env=_script_env(),
                         cwd=tmp_path,
                         capture_output=True,
                         text=True)
    assert bad.returncode != 0 and 'Did you mean: model' in bad.stderr


@pytest.mark.slow
def test_dist_scripts_on_two_cpu_processes(tmp_path):
    config = _write_config(tmp_path)
    work_dir = tmp_path / 'work'
    env = _script_env()
    env['PORT'] = str(29500 + os.getpid() % 1000)
    env['PATH'] = os.path.dirname(sys.executable) + os.pathsep + env['PATH']
    subprocess.run([
        'bash',
        str(REPO / 'tools' / 'dist_train.sh'),
        str(config), '2', '--work-dir',
        str(work_dir)
    ],
                   check=True,
                   env=env,
                   cwd=tmp_path)
    assert (work_dir / 'epoch_1.pth').exists()
    out = tmp_path / 'dist_results.pkl'
    subprocess.run([
        'bash',
        str(REPO / 'tools' / 'dist_test.sh'),
        str(config),
        str(work_dir / 'epoch_1.pth'), '2', '--out',
        str(out), '--work-dir',
        str(tmp_path / 'eval')
    ],
                   check=True,
                   env=env,
                   cwd=tmp_path)
    with open(out, 'rb') as f:
        outputs = pickle.load(f)
    assert [o['index'] for o in outputs] == [[i] for i in range(5)]
    assert np.all(np.isfinite([o['preds'][0] for o in outputs]))
