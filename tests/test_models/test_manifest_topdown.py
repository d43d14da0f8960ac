"""Models built from the published top-down ResNet configs must have exactly
the state_dict keys and shapes of the published checkpoints."""
import copy
import json
from pathlib import Path

import pytest
import torch

from mmpose.models import build_posenet

SHARED = Path(__file__).resolve().parents[2] / '..' / 'shared'
ZOO = SHARED / 'model-zoo'
FAMILIES = ('top_down/resnet/coco/', 'top_down/resnetv1d/coco/')


def _load_zoo():
    if not (ZOO / 'configs.json').exists():
        return {}, {}
    with open(ZOO / 'configs.json') as f:
        configs = json.load(f)['configs']
    with open(ZOO / 'state_dict_manifest.json') as f:
        manifest = json.load(f)
    return configs, manifest


CONFIGS, MANIFEST = _load_zoo()
PATHS = sorted(p for p in CONFIGS if p.startswith(FAMILIES))


@pytest.mark.skipif(not PATHS, reason='shared model zoo absent')
def test_manifest_has_topdown_resnet_configs():
    assert any(p.startswith(FAMILIES[0]) for p in PATHS)
    assert any(p.startswith(FAMILIES[1]) for p in PATHS)


@pytest.mark.skipif(not PATHS, reason='shared model zoo absent')
@pytest.mark.parametrize('path', PATHS)
def test_state_dict_matches_manifest(path):
    assert_model_matches_manifest(path)


def assert_model_matches_manifest(path):
    """Build the model of config ``path`` (pretrained=None) and compare its
    state_dict names and shapes with the manifest."""
    cfg = copy.deepcopy(CONFIGS[path]['model'])
    cfg['pretrained'] = None
    expected = MANIFEST['architectures'][MANIFEST['configs'][path]]
    # Shapes only: build without allocating or initialising real weights.
    with torch.device('meta'):
        model = build_posenet(cfg)
    got = {k: list(v.shape) for k, v in model.state_dict().items()}
    assert sorted(set(expected) - set(got)) == [], 'missing keys'
    assert sorted(set(got) - set(expected)) == [], 'unexpected keys'
    assert {k: got[k] for k in expected} == expected
