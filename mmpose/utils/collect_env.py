from mmcv.utils import collect_env as collect_base_env
from mmcv.utils import get_git_hash

import mmpose


def collect_env():
    """Collect the environment: mmcv's report plus the mmpose version.

    Returns:
        dict: Name -> version/description of each component.
    """
    env_info = collect_base_env()
    env_info['MMPose'] = f'{mmpose.__version__}+{get_git_hash(digits=7)}'
    return env_info


if __name__ == '__main__':
    for name, val in collect_env().items():
        print(f'{name}: {val}')
