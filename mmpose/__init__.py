import logging
import warnings


def _not_cuda_home_notice(record):
    # torch logs where it looked for CUDA when mmcv imports its extension
    # helpers; on CPU-only machines that line is noise, not a problem.
    return 'CUDA_HOME' not in record.getMessage()


with warnings.catch_warnings():
    # mmcv 1.7 announces its 2.0 renaming on every import; mmpose pins 1.x.
    warnings.filterwarnings('ignore', message='On January 1, 2023, MMCV')
    logging.getLogger('torch.utils.cpp_extension').addFilter(
        _not_cuda_home_notice)
    import mmcv

from .version import __version__, short_version, version_info


def digit_version(version_str):
    """Turn ``'1.7.2'`` into ``[1, 7, 2]`` (pre-release tags drop a step)."""
    digits = []
    for part in version_str.split('.'):
        if part.isdigit():
            digits.append(int(part))
        elif 'rc' in part:
            number, _ = part.split('rc')
            digits.append(int(number) - 1)
            digits.append(int(_) if _.isdigit() else 0)
    return digits


mmcv_minimum_version = '1.3.8'
mmcv_maximum_version = '1.8.0'
mmcv_version = digit_version(mmcv.__version__)

if not (digit_version(mmcv_minimum_version) <= mmcv_version <=
        digit_version(mmcv_maximum_version)):
    raise ImportError(
        f'MMCV=={mmcv.__version__} is used but incompatible with mmpose '
        f'{__version__}: please install mmcv>={mmcv_minimum_version}, '
        f'<={mmcv_maximum_version} (the tested release is mmcv==1.7.2, '
        'installed by `make install`).')

__all__ = ['__version__', 'short_version', 'version_info', 'digit_version']
