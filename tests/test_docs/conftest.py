"""Session fixtures of the docs tests: the model-zoo pages built once from
``configs/`` and the ``data/`` / ``models/`` paths the configs name."""
import os
import posixpath

import pytest
from mmcv import Config

from docs_quotes import REPO


def _walk_strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk_strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _walk_strings(item)
    elif isinstance(value, str):
        yield value


@pytest.fixture(scope='session')
def zoo_configs():
    """dict[str, Config]: Every config under ``configs/``, loaded once, by
    path relative to the repository root."""
    return {
        str(file.relative_to(REPO)): Config.fromfile(str(file))
        for file in sorted((REPO / 'configs').rglob('*.py'))
    }


@pytest.fixture(scope='session')
def config_data_paths(zoo_configs):
    """set[str]: Every ``data/...`` and ``models/...`` string of every
    config, normalised."""
    paths = set()
    for cfg in zoo_configs.values():
        cfg = cfg._cfg_dict.to_dict()
        paths |= {
            posixpath.normpath(text)
            for text in _walk_strings(cfg)
            if text.startswith(('data/', 'models/'))
        }
    return paths


@pytest.fixture(scope='session')
def model_zoo_pages(tmp_path_factory, zoo_configs):
    """dict[str, str]: The model-zoo pages written by
    ``tools/misc/write_model_zoo_docs.py`` into a temporary folder, by
    file name."""
    from tools.misc.write_model_zoo_docs import write_model_zoo_docs
    out = tmp_path_factory.mktemp('model_zoo')
    cwd = os.getcwd()
    os.chdir(REPO)  # the pages quote configs/ relative to the repository
    try:
        write_model_zoo_docs(
            'configs', str(out), load=lambda file: zoo_configs[file])
    finally:
        os.chdir(cwd)
    return {file.name: file.read_text() for file in sorted(out.glob('*.md'))}
