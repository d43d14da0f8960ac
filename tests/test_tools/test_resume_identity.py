"""Resume identity: an interrupted and resumed tools/train.py run ends with the
weights of the uninterrupted run (``--seed``, ``--deterministic``).

The config shuffles and augments at random (flip, scale, rotation), so this
holds only because a resume restores the model, the optimizer (Adam moments),
epoch/iter, the lr schedule *and* the random generator states stored in the
checkpoint by the training runner.
"""
import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import mmcv
import pytest
import torch

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
sys.path.insert(0, str(TESTS))
from fixtures import write_coco_keypoint_dataset  # noqa: E402
from scale_helpers import (scale_modules_registered,  # noqa: E402,F401
                           tiny_topdown_config)

SEED = '7'


def _load_train_tool():
    spec = importlib.util.spec_from_file_location(
        '_mmpose_tool_train_resume', REPO / 'tools' / 'train.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pytestmark = pytest.mark.usefixtures('fresh_mmpose_logger')


def _write_config(tmp_path, total_epochs):
    data = write_coco_keypoint_dataset(
        tmp_path / 'coco',
        image_sizes=((160, 200), (180, 160), (200, 220)),
        persons_per_image=(3, 3, 2),
        extra_annotations=False)
    cfg = tiny_topdown_config(
        data['ann_file'],
        data['img_prefix'],
        tmp_path / 'unused',
        total_epochs=total_epochs,
        samples_per_gpu=2,
        lr_config=dict(policy='step', step=[2]))
    cfg.pop('work_dir')
    # Random order and random augmentation: resuming must continue them.
    cfg['data']['train_dataloader'] = dict()
    cfg['data']['train']['pipeline'].insert(1, dict(
        type='TopDownRandomFlip', flip_prob=0.5))
    cfg['data']['train']['pipeline'].insert(2, dict(
        type='TopDownGetRandomScaleRotation', rot_factor=30,
        scale_factor=0.25))
    path = tmp_path / 'resume_cfg.py'
    mmcv.Config(cfg).dump(str(path))
    return path


def _weights(path):
    return torch.load(path, map_location='cpu', weights_only=False)


def _assert_identical(ckpt_a, ckpt_b):
    a, b = _weights(ckpt_a), _weights(ckpt_b)
    assert a['meta']['epoch'] == b['meta']['epoch']
    assert a['meta']['iter'] == b['meta']['iter']
    assert a['state_dict'].keys() == b['state_dict'].keys()
    for key in a['state_dict']:
        assert torch.equal(a['state_dict'][key], b['state_dict'][key]), key
    # Adam's moments too.
    for sa, sb in zip(a['optimizer']['state'].values(),
                      b['optimizer']['state'].values()):
        for key in sa:
            assert torch.equal(torch.as_tensor(sa[key]),
                               torch.as_tensor(sb[key])), key


def test_resume_in_process_matches_straight_run(tmp_path):
    """2 epochs straight == 1 epoch, then resume to 2 (no kill: fast)."""
    train_tool = _load_train_tool()
    config = _write_config(tmp_path, total_epochs=2)
    common = ['--seed', SEED, '--deterministic', '--no-validate']
    train_tool.main([str(config), '--work-dir', str(tmp_path / 'a')] + common)
    train_tool.main([
        str(config), '--work-dir',
        str(tmp_path / 'b'), '--cfg-options', 'total_epochs=1'
    ] + common)
    assert not (tmp_path / 'b' / 'epoch_2.pth').exists()
    train_tool.main([
        str(config), '--work-dir',
        str(tmp_path / 'b'), '--resume-from',
        str(tmp_path / 'b' / 'latest.pth')
    ] + common)
    _assert_identical(tmp_path / 'a' / 'epoch_2.pth',
                      tmp_path / 'b' / 'epoch_2.pth')
    # The straight run is not trivially equal to any shorter one.
    first = _weights(tmp_path / 'a' / 'epoch_1.pth')['state_dict']
    last = _weights(tmp_path / 'a' / 'epoch_2.pth')['state_dict']
    assert any(not torch.equal(first[k], last[k]) for k in first)


def test_resume_from_a_missing_file_names_it(tmp_path):
    train_tool = _load_train_tool()
    config = _write_config(tmp_path, total_epochs=1)
    missing = tmp_path / 'work' / 'nope.pth'
    with pytest.raises(FileNotFoundError, match=str(missing)):
        train_tool.main([
            str(config), '--work-dir',
            str(tmp_path / 'work'), '--resume-from',
            str(missing)
        ])
    # A latest.pth link whose checkpoint was deleted is missing as well.
    (tmp_path / 'work').mkdir()
    os.symlink('epoch_9.pth', tmp_path / 'work' / 'latest.pth')
    with pytest.raises(FileNotFoundError, match='latest.pth'):
        train_tool.main([
            str(config), '--work-dir',
            str(tmp_path / 'work'), '--resume-from',
            str(tmp_path / 'work' / 'latest.pth')
        ])


def _script_env():
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        [str(REPO), str(TESTS),
         env.get('PYTHONPATH', '')])
    return env


def _train_cmd(config, work_dir, *extra):
    return [
        sys.executable,
        str(REPO / 'tools' / 'train.py'),
        str(config), '--work-dir',
        str(work_dir), '--seed', SEED, '--deterministic', '--no-validate'
    ] + list(extra)


@pytest.mark.slow
def test_sigkill_after_an_epoch_then_resume_gives_identical_weights(
        tmp_path):
    epochs = 3
    config = _write_config(tmp_path, total_epochs=epochs)
    env = _script_env()
    straight = tmp_path / 'straight'
    subprocess.run(
        _train_cmd(config, straight),
        check=True,
        env=env,
        cwd=tmp_path,
        capture_output=True)

    killed = tmp_path / 'killed'
    proc = subprocess.Popen(
        _train_cmd(config, killed),
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 300
        # latest.pth is re-pointed just after epoch_1.pth is renamed into
        # place: a kill between the two leaves no latest.pth yet.
        while not (killed / 'latest.pth').exists():
            assert proc.poll() is None, 'training ended before epoch 1'
            assert time.time() < deadline, 'no latest.pth after 300 s'
            time.sleep(0.02)
        # Kill as soon as it appears: in the middle of the next epoch.
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert not (killed / f'epoch_{epochs}.pth').exists()
    # latest.pth is whole: it loads, and names a finished epoch.
    resumed_from = _weights(killed / 'latest.pth')
    assert 1 <= resumed_from['meta']['epoch'] < epochs

    subprocess.run(
        _train_cmd(config, killed, '--resume-from',
                   str(killed / 'latest.pth')),
        check=True,
        env=env,
        cwd=tmp_path,
        capture_output=True)
    _assert_identical(straight / f'epoch_{epochs}.pth',
                      killed / f'epoch_{epochs}.pth')
    # No temporary checkpoint files are left behind except, possibly, the
    # one the kill interrupted.
    leftovers = [p for p in os.listdir(killed) if p.endswith('.tmp')]
    assert len(leftovers) <= 1



def test_atomic_checkpoints_get_the_usual_file_mode(tmp_path):
    """The temp file behind the atomic write is created 0600; the final
    checkpoint must be readable like any file torch.save writes."""
    import logging
    import stat

    import torch.nn as nn

    from mmpose.apis.train import AtomicCheckpointRunner
    class Net(nn.Linear):

        def train_step(self, data_batch, optimizer, **kwargs):
            return {}

    runner = AtomicCheckpointRunner(
        Net(2, 2),
        work_dir=str(tmp_path),
        logger=logging.getLogger('atomic-mode-test'),
        max_epochs=1)
    old = os.umask(0o022)
    try:
        runner.save_checkpoint(str(tmp_path), save_optimizer=False)
        torch.save({}, tmp_path / 'plain.pth')
    finally:
        os.umask(old)
    mode = stat.S_IMODE(os.stat(tmp_path / 'epoch_1.pth').st_mode)
    assert mode == stat.S_IMODE(os.stat(tmp_path / 'plain.pth').st_mode)
    assert mode == 0o644
    assert os.readlink(tmp_path / 'latest.pth') == 'epoch_1.pth'
    assert not [p for p in os.listdir(tmp_path) if p.endswith('.tmp')]
