"""Whole TopDown models (backbone, neck and head) built from every TopDown
config of the shared model zoo must have exactly the state_dict keys and
shapes of the published checkpoints (strict loading).

Configs whose model parts are identical (ignoring ``pretrained``,
``train_cfg`` and ``test_cfg``, which do not change the parameters) are built
once; the test id is the first such config path. Models are built on the
``meta`` device by the helper of ``test_manifest_topdown.py``.
"""
import json

import pytest
from test_manifest_topdown import (CONFIGS, MANIFEST,
                                   assert_model_matches_manifest)

from mmpose.models import BACKBONES, HEADS, LOSSES, NECKS

_NOT_ARCHITECTURE = ('pretrained', 'train_cfg', 'test_cfg')


def _unique_topdown_paths():
    """First config path of each distinct TopDown model architecture."""
    seen = set()
    paths = []
    for path in sorted(CONFIGS):
        model = CONFIGS[path].get('model', {})
        if model.get('type') != 'TopDown':
            continue
        parts = {k: v for k, v in model.items() if k not in _NOT_ARCHITECTURE}
        key = (json.dumps(parts, sort_keys=True), MANIFEST['configs'][path])
        if key not in seen:
            seen.add(key)
            paths.append(path)
    return paths


def _unregistered_types(model):
    """``'REGISTRY:type'`` for each component type of ``model`` that is not
    registered."""
    head = model.get('keypoint_head') or {}
    losses = head.get('loss_keypoint') or []
    losses = losses if isinstance(losses, list) else [losses]
    wanted = [(BACKBONES, model['backbone']), (NECKS, model.get('neck')),
              (HEADS, head or None)]
    wanted += [(LOSSES, loss) for loss in losses]
    return [
        f'{registry.name}:{cfg["type"]}' for registry, cfg in wanted
        if cfg is not None and registry.get(cfg['type']) is None
    ]


PATHS = _unique_topdown_paths()


@pytest.mark.skipif(not PATHS, reason='shared model zoo absent')
@pytest.mark.parametrize('path', PATHS)
def test_topdown_model_matches_manifest(path):
    missing = _unregistered_types(CONFIGS[path]['model'])
    if missing:
        pytest.skip(f'not registered: {", ".join(missing)}')
    assert_model_matches_manifest(path)


@pytest.mark.skipif(not PATHS, reason='shared model zoo absent')
def test_every_topdown_config_is_covered():
    """Each TopDown config shares its architecture with a tested path."""
    topdown = [
        p for p in CONFIGS
        if CONFIGS[p].get('model', {}).get('type') == 'TopDown'
    ]
    tested_archs = {MANIFEST['configs'][p] for p in PATHS}
    assert {MANIFEST['configs'][p] for p in topdown} == tested_archs
    assert len(PATHS) <= len(topdown)
