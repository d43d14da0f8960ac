import logging

import mmpose
from mmpose.utils import collect_env, get_root_logger


def test_version():
    assert mmpose.__version__ == '0.14.0'
    assert mmpose.version_info == (0, 14, 0)
    assert mmpose.digit_version('1.7.2') == [1, 7, 2]
    assert mmpose.digit_version('1.3.0rc1') < mmpose.digit_version('1.3.0')


def test_collect_env():
    env = collect_env()
    assert env['MMPose'].startswith('0.14.0')
    assert 'PyTorch' in env and 'MMCV' in env


def test_get_root_logger(tmp_path, monkeypatch):
    from mmcv.utils import logging as mmcv_logging
    logger = logging.getLogger('mmpose')
    # start from an uninitialised logger, whatever earlier tests did
    monkeypatch.setattr(mmcv_logging, 'logger_initialized', {})
    monkeypatch.setattr(logger, 'handlers', [])
    log_file = tmp_path / 'run.log'
    logger = get_root_logger(log_file=str(log_file), log_level=logging.INFO)
    assert logger.name == 'mmpose'
    logger.info('hello from the test')
    for handler in logger.handlers:
        handler.flush()
    assert 'hello from the test' in log_file.read_text()
    # asking again returns the same, already initialised logger
    assert get_root_logger() is logger
