"""What a test may leave behind in the process, and how to put it back.

Used by the autouse fixture in ``conftest.py`` around every test and by
``tests/test_utils/test_state_guard.py`` once per session.
"""
import os
import sys
from pathlib import Path

from mmcv.utils import Registry

REPO = Path(__file__).resolve().parents[1]
# What tools write relative to the working folder when no --work-dir or
# tmpdir is given.
TOOL_OUTPUTS = ('work_dirs', '.dist_test')
# Classes of these packages may be registered at any time (a lazy import);
# anything else in a registry was put there by a test.
PACKAGES = ('mmpose', 'mmcv', 'torch', 'torchvision')

_scan = {'modules': -1, 'registries': []}


def all_registries():
    """Every mmcv Registry held by an mmpose or mmcv module (rescanned when
    modules were imported since the last call).

    Returns:
        list[Registry]: The registries.
    """
    if _scan['modules'] != len(sys.modules):
        found = {}
        for name, module in list(sys.modules.items()):
            if module is None or name.split('.')[0] not in ('mmpose',
                                                            'mmcv'):
                continue
            for value in list(vars(module).values()):
                if isinstance(value, Registry):
                    found[id(value)] = value
        _scan.update(modules=len(sys.modules), registries=list(found.values()))
    return _scan['registries']


def foreign_entries(registry):
    """Names in ``registry`` whose classes come from outside ``PACKAGES``.

    Returns:
        list[str]: 'registry[name] = module.Class' descriptions.
    """
    return [
        f'{registry.name}[{name!r}] = {cls.__module__}.{cls.__qualname__}'
        for name, cls in registry.module_dict.items()
        if cls.__module__.split('.')[0] not in PACKAGES
    ]


def restore_registries(before):
    """Undo what a test did to the registries.

    Args:
        before (list[tuple[Registry, dict]]): Each registry with a copy of
            its ``module_dict`` taken before the test.

    Returns:
        list[str]: What the test left there: classes it replaced, and its
        own classes it added (both undone). Lazily imported package classes
        stay; entries the test removed are put back silently.
    """
    leaks = []
    for registry, entries in before:
        now = registry.module_dict
        added = {name: cls for name, cls in now.items() if name not in entries}
        for name, cls in entries.items():
            if now.get(name) is not cls:
                if name in now:
                    leaks.append(f'{registry.name}[{name!r}] replaced')
                now[name] = cls
        for name, cls in added.items():
            if cls.__module__.split('.')[0] not in PACKAGES:
                leaks.append(f'{registry.name}[{name!r}] = {cls.__module__}.'
                             f'{cls.__qualname__} left registered')
                del now[name]
    return leaks


def tool_outputs():
    """The ``TOOL_OUTPUTS`` folders that exist in the repository and in the
    working folder.

    Returns:
        set[Path]: Existing folders.
    """
    folders = {REPO / name for name in TOOL_OUTPUTS}
    folders |= {Path(os.getcwd()) / name for name in TOOL_OUTPUTS}
    return {folder for folder in folders if folder.exists()}
