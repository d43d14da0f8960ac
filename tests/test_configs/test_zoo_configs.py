"""The model-zoo configs load with mmcv and hold the published values."""
import json
from pathlib import Path

import pytest
from mmcv import Config

REPO = Path(__file__).resolve().parents[2]
CONFIG_DIR = REPO / 'configs'
ZOO_JSON = REPO.parent / 'shared' / 'model-zoo' / 'configs.json'

ALL_CONFIGS = sorted(
    str(p.relative_to(CONFIG_DIR)) for p in CONFIG_DIR.rglob('*.py'))


def normalise(value):
    """Tuples and lists compare equal, as they do after a JSON round trip."""
    return json.loads(json.dumps(value))


def load(path):
    cfg = Config.fromfile(str(CONFIG_DIR / path))
    return normalise(cfg._cfg_dict.to_dict())


def test_issue_configs_present():
    for family in ('top_down/resnet/coco', 'top_down/hrnet/coco'):
        assert any(p.startswith(family) for p in ALL_CONFIGS), family


@pytest.mark.parametrize('path', ALL_CONFIGS)
def test_config_loads(path):
    cfg = load(path)
    assert 'model' in cfg and 'type' in cfg['model'], path
    assert cfg['data']['train'], path


@pytest.mark.skipif(not ZOO_JSON.exists(), reason='shared/ not present')
def test_configs_equal_zoo_settings():
    zoo = json.loads(ZOO_JSON.read_text())['configs']
    missing = sorted(set(zoo) - set(ALL_CONFIGS))
    assert not missing, f'configs missing from configs/: {missing[:5]}'
    for path, expected in zoo.items():
        assert load(path) == normalise(expected), path
