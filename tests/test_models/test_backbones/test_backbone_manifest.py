"""Backbones built from the model-zoo configs match the published checkpoints.

For every TopDown / BottomUp / PoseLifter config in
``shared/model-zoo/configs.json`` the backbone built from
``cfg['model']['backbone']`` must have exactly the parameter and buffer names
and shapes of the ``backbone.`` entries of ``state_dict_manifest.json``, so
that published checkpoints load with ``strict=True``.

Identical backbone configs are built once; models are built on the ``meta``
device (no memory, no init cost) and on the CPU if that fails.

Run this file directly to print how many configs match.
"""
import copy
import functools
import json
import warnings
from pathlib import Path

import pytest
import torch

from mmpose.models import BACKBONES, build_backbone

SHARED = Path(__file__).resolve().parents[3] / '..' / 'shared'
ZOO = SHARED / 'model-zoo'
MODEL_TYPES = ('TopDown', 'BottomUp', 'PoseLifter')

pytestmark = pytest.mark.skipif(
    not (ZOO / 'configs.json').is_file(),
    reason=f'model-zoo files not found in {ZOO}')


@functools.lru_cache(maxsize=None)
def _zoo():
    """Return ``(configs, manifest)`` loaded from the shared model zoo."""
    with open(ZOO / 'configs.json') as f:
        configs = json.load(f)['configs']
    with open(ZOO / 'state_dict_manifest.json') as f:
        manifest = json.load(f)
    return configs, manifest


def _config_paths():
    if not (ZOO / 'configs.json').is_file():
        return []
    configs, _ = _zoo()
    return sorted(path for path, cfg in configs.items()
                  if cfg['model']['type'] in MODEL_TYPES)


def _backbone_key(backbone_cfg):
    return json.dumps(backbone_cfg, sort_keys=True)


@functools.lru_cache(maxsize=None)
def _built_shapes(key):
    """Build the backbone of a (JSON-encoded) config: ``{name: shape}``."""
    cfg = json.loads(key)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        try:
            with torch.device('meta'):
                model = build_backbone(copy.deepcopy(cfg))
        except (NotImplementedError, RuntimeError):
            model = build_backbone(copy.deepcopy(cfg))
    return {name: list(t.shape) for name, t in model.state_dict().items()}


def _expected_shapes(path):
    configs, manifest = _zoo()
    arch = manifest['architectures'][manifest['configs'][path]]
    prefix = 'backbone.'
    return {
        name[len(prefix):]: list(shape)
        for name, shape in arch.items() if name.startswith(prefix)
    }


def _mismatches(path):
    """Return a list of differences between built and published names."""
    configs, _ = _zoo()
    built = _built_shapes(_backbone_key(configs[path]['model']['backbone']))
    expected = _expected_shapes(path)
    problems = [
        f'missing {name} {expected[name]}'
        for name in sorted(expected.keys() - built.keys())
    ]
    problems += [
        f'unexpected {name} {built[name]}'
        for name in sorted(built.keys() - expected.keys())
    ]
    problems += [
        f'shape of {name}: built {built[name]}, published {expected[name]}'
        for name in sorted(expected.keys() & built.keys())
        if built[name] != expected[name]
    ]
    return problems


def manifest_match_count():
    """Count configs whose backbone matches the manifest.

    Returns:
        tuple[int, int, int]: (matching, registered, total) configs, where
            ``registered`` counts configs whose backbone type is registered.
    """
    configs, _ = _zoo()
    paths = _config_paths()
    registered = [
        p for p in paths
        if configs[p]['model']['backbone']['type'] in BACKBONES.module_dict
    ]
    matching = [p for p in registered if not _mismatches(p)]
    return len(matching), len(registered), len(paths)


@pytest.mark.parametrize('path', _config_paths())
def test_backbone_matches_manifest(path):
    configs, _ = _zoo()
    backbone_type = configs[path]['model']['backbone']['type']
    if backbone_type not in BACKBONES.module_dict:
        pytest.skip(f'backbone type "{backbone_type}" is not registered yet')
    problems = _mismatches(path)
    assert not problems, (
        f'{path}: backbone {backbone_type} differs from the published '
        f'checkpoint in {len(problems)} entries:\n  ' +
        '\n  '.join(problems[:20]))


def test_manifest_match_count(record_property):
    matching, registered, total = manifest_match_count()
    record_property('manifest_matches', matching)
    print(f'\n{matching} of {total} model-zoo backbones match the manifest '
          f'({registered} have a registered backbone type)')
    assert total > 0
    assert 0 <= matching <= registered <= total


if __name__ == '__main__':
    matching, registered, total = manifest_match_count()
    print(f'{matching} of {total} model-zoo backbones match the manifest '
          f'({registered} have a registered backbone type)')
