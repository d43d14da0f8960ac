"""The config the first run writes into its work dir trains again as is:
``python tools/train.py <work_dir>/demo_config.py``."""
from pathlib import Path

import mmcv
import pytest

from tools import demo_first_run
from tools import train as train_tool
from tools.dataset.make_synthetic_coco import make_synthetic_coco

REPO = Path(__file__).resolve().parents[2]
SHORT = {
    'total_epochs': 1,
    'data.samples_per_gpu': 2,
    'checkpoint_config.interval': 1,
    'log_config.interval': 1,
}


@pytest.fixture(scope='module')
def data_root(tmp_path_factory):
    root = tmp_path_factory.mktemp('synthetic_coco')
    make_synthetic_coco(str(root), num_train=4, num_val=2, seed=0)
    return root


def _retrain(config, data_root, tmp_path, monkeypatch):
    work_dir = tmp_path / 'work'
    cfg = demo_first_run.load_config(
        str(REPO / config), str(data_root), str(work_dir), 0, SHORT)
    cfg_file = demo_first_run.write_config(cfg)
    assert cfg_file == str(work_dir / 'demo_config.py')
    dumped = mmcv.Config.fromfile(cfg_file)
    for split in ('train', 'val', 'test'):
        assert Path(dumped.data[split].ann_file).is_absolute()
        assert Path(dumped.data[split].ann_file).is_file()
        assert Path(dumped.data[split].img_prefix).is_dir()
    # from elsewhere: nothing may depend on the working directory
    elsewhere = tmp_path / 'elsewhere'
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    train_tool.main([cfg_file])
    assert (work_dir / 'epoch_1.pth').is_file()


def test_top_down_demo_config_retrains(data_root, tmp_path, monkeypatch):
    _retrain('configs/top_down/synthetic/res18_synthetic_coco_128x96.py',
             data_root, tmp_path, monkeypatch)


@pytest.mark.slow
def test_bottom_up_demo_config_retrains(data_root, tmp_path, monkeypatch):
    _retrain('configs/bottom_up/synthetic/res18_synthetic_coco_192x192.py',
             data_root, tmp_path, monkeypatch)
