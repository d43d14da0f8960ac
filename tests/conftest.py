"""Shared pytest fixtures; the data writers live in ``tests/fixtures.py``.

pytest puts this folder on ``sys.path`` (rootdir conftest, no
``__init__.py``), so tests can also ``from fixtures import ...``.

The session runs with an empty torch hub folder (``TORCH_HOME``), and every
test inside :func:`_no_leaked_state` (see ``state_guard.py``):
environment variables, the torch hub folder and the working folder are put
back afterwards, and a test fails if it leaves its own classes in (or
replaces classes of) a registry, or writes ``work_dirs/`` / ``.dist_test/``
into the repository or the working folder.
"""
import os
import shutil

import pytest
import torch.hub

from fixtures import write_coco_keypoint_dataset
from state_guard import all_registries, restore_registries, tool_outputs


@pytest.fixture(scope='session', autouse=True)
def _empty_torch_home(tmp_path_factory):
    """An empty torch hub folder for the session (and the processes it
    starts): no test reads or writes the user's cached checkpoints, so none
    passes only where a checkpoint happens to be cached."""
    saved = os.environ.get('TORCH_HOME'), torch.hub._hub_dir
    home = tmp_path_factory.mktemp('torch_home')
    os.environ['TORCH_HOME'] = str(home)
    torch.hub._hub_dir = None  # follow TORCH_HOME
    yield home
    if saved[0] is None:
        os.environ.pop('TORCH_HOME', None)
    else:
        os.environ['TORCH_HOME'] = saved[0]
    torch.hub._hub_dir = saved[1]


@pytest.fixture(autouse=True)
def _no_leaked_state():
    environ = dict(os.environ)
    hub_dir = torch.hub._hub_dir
    cwd = os.getcwd()
    registries = [(r, dict(r.module_dict)) for r in all_registries()]
    outputs = tool_outputs()
    yield
    os.chdir(cwd)
    torch.hub._hub_dir = hub_dir
    if dict(os.environ) != environ:
        os.environ.clear()
        os.environ.update(environ)
    leaks = restore_registries(registries)
    for folder in tool_outputs() - outputs:
        shutil.rmtree(folder, ignore_errors=True)
        leaks.append(f'wrote {folder} (give tools a --work-dir or tmpdir '
                     'under tmp_path)')
    if leaks:
        pytest.fail('the test leaked state: ' + '; '.join(leaks))


@pytest.fixture(scope='session')
def gloo_outputs(tmp_path_factory):
    """Runs the registered distributed jobs once per session (see
    ``gloo_jobs.py``); returns ``get(name) -> (folder, args)``: the folder
    the job wrote to and what its ``prepare`` returned."""
    from gloo_jobs import run_jobs
    results = run_jobs(lambda name: tmp_path_factory.mktemp(name))

    def get(name):
        folder, args, error = results[name]
        if error:
            pytest.fail(f'the gloo workers failed:\n{error}')
        return folder, args

    return get


@pytest.fixture
def coco_kpt_dataset(tmp_path):
    """A tiny COCO keypoint dataset in ``tmp_path/coco`` (see
    :func:`fixtures.write_coco_keypoint_dataset`)."""
    return write_coco_keypoint_dataset(tmp_path / 'coco')


@pytest.fixture
def fresh_mmpose_logger(monkeypatch):
    """For in-process training runs: each run attaches its own log file to
    the 'mmpose' logger (mmcv sets a named logger up once per process), and
    mmcv's 2 s pause at every epoch start is skipped."""
    import logging

    import mmcv.runner.epoch_based_runner as ebr
    from mmcv.utils.logging import logger_initialized
    monkeypatch.setattr(ebr.time, 'sleep', lambda seconds: None)

    def reset():
        logger = logging.getLogger('mmpose')
        for handler in list(logger.handlers):
            handler.close()
            logger.removeHandler(handler)
        logger_initialized.pop('mmpose', None)

    reset()
    yield
    reset()
