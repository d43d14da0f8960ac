"""Shared pytest fixtures; the data writers live in ``tests/fixtures.py``.

pytest puts this folder on ``sys.path`` (rootdir conftest, no
``__init__.py``), so tests can also ``from fixtures import ...``.
"""
import pytest

from fixtures import write_coco_keypoint_dataset


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
