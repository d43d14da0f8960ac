"""The leak guard of tests/conftest.py, and registries free of test classes.

The per-test guard cannot see a class a test module registers when it is
imported (during collection, before any test); the last test below can.
"""
import os

import pytest
import torch.hub
from torch import nn

import mmpose.apis  # noqa: F401 (every registry exists once this is in)
from mmpose.models import BACKBONES
from state_guard import (all_registries, foreign_entries,
                         restore_registries, tool_outputs)


class _Probe(nn.Module):
    pass


def test_restore_registries_undoes_a_test():
    before = [(BACKBONES, dict(BACKBONES.module_dict))]
    resnet = BACKBONES.get('ResNet')
    BACKBONES.register_module(module=_Probe)
    BACKBONES.register_module(name='ResNet', module=_Probe, force=True)
    removed = BACKBONES.module_dict.pop('HRNet')
    leaks = restore_registries(before)
    assert BACKBONES.get('_Probe') is None
    assert BACKBONES.get('ResNet') is resnet
    assert BACKBONES.get('HRNet') is removed
    assert len(leaks) == 2
    assert "backbone['ResNet'] replaced" in leaks
    assert any('_Probe' in leak and 'left registered' in leak
               for leak in leaks)
    # A lazily imported package class is no leak.
    BACKBONES.module_dict['_Lazy'] = type('_Lazy', (), {'__module__':
                                                        'mmpose.x'})
    try:
        assert restore_registries(before) == []
    finally:
        BACKBONES.module_dict.pop('_Lazy')


def test_tool_outputs_sees_work_dirs_in_the_working_folder(tmp_path,
                                                           monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert tmp_path / 'work_dirs' not in tool_outputs()
    (tmp_path / 'work_dirs').mkdir()
    assert tmp_path / 'work_dirs' in tool_outputs()
    (tmp_path / 'work_dirs').rmdir()


_changed_by_part_1 = {}


def test_guard_restores_environment_and_hub_folder_part_1(tmp_path):
    # No monkeypatch: the autouse guard must undo these.
    os.environ['MMPOSE_STATE_GUARD_PROBE'] = '1'
    torch.hub.set_dir(str(tmp_path / 'hub'))
    os.chdir(tmp_path)
    _changed_by_part_1.update(hub=torch.hub.get_dir(), cwd=os.getcwd())


def test_guard_restores_environment_and_hub_folder_part_2():
    if not _changed_by_part_1:
        pytest.skip('runs after part 1')
    assert 'MMPOSE_STATE_GUARD_PROBE' not in os.environ
    assert torch.hub.get_dir() != _changed_by_part_1['hub']
    assert os.getcwd() != _changed_by_part_1['cwd']


def test_session_torch_home_is_empty_and_temporary(_empty_torch_home):
    assert os.environ['TORCH_HOME'] == str(_empty_torch_home)
    assert torch.hub.get_dir() == str(_empty_torch_home / 'hub')
    assert not (_empty_torch_home / 'hub' / 'checkpoints').exists()


@pytest.mark.parametrize('registry', all_registries(),
                         ids=lambda r: r.name)
def test_no_test_class_left_in_registries(registry):
    assert foreign_entries(registry) == [], (
        'a test module registers a class when it is imported: register it '
        'in a fixture that pops it afterwards (as '
        'toy_pose_modules.toy_modules_registered does)')
