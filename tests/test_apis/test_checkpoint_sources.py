"""Checkpoints named by URL are read from the local cache, never downloaded;
training leaves the caller's config as it was."""
import os.path as osp

import pytest
import torch
import torch.nn as nn

from mmpose.apis.cli import check_checkpoint_file, read_checkpoint

URL = 'https://download.example.org/mmpose/top_down/res50_coco-abc12345.pth'


@pytest.fixture
def hub_dir(tmp_path):
    previous = torch.hub.get_dir()
    torch.hub.set_dir(str(tmp_path / 'hub'))
    yield tmp_path / 'hub' / 'checkpoints'
    torch.hub.set_dir(previous)


def test_missing_remote_checkpoint_names_the_file_to_place(hub_dir,
                                                           monkeypatch):

    def no_network(*args, **kwargs):
        raise AssertionError('a download was attempted')

    monkeypatch.setattr(torch.hub, 'download_url_to_file', no_network)
    monkeypatch.setattr(torch.hub, 'load_state_dict_from_url', no_network)
    expected = str(hub_dir / 'res50_coco-abc12345.pth')
    with pytest.raises(FileNotFoundError) as info:
        check_checkpoint_file(URL)
    assert expected in str(info.value)
    with pytest.raises(FileNotFoundError):
        read_checkpoint(URL)


def test_cached_remote_checkpoint_is_loaded_from_the_cache(hub_dir):
    hub_dir.mkdir(parents=True)
    weights = {'state_dict': {'w': torch.arange(3.)}}
    torch.save(weights, hub_dir / 'res50_coco-abc12345.pth')
    assert check_checkpoint_file(URL) == osp.join(str(hub_dir),
                                                  'res50_coco-abc12345.pth')
    loaded = read_checkpoint(URL)
    assert torch.equal(loaded['state_dict']['w'], torch.arange(3.))


def test_local_path_is_returned_unchanged(tmp_path):
    path = tmp_path / 'epoch_1.pth'
    torch.save({'state_dict': {}}, path)
    assert check_checkpoint_file(str(path)) == str(path)


def test_train_model_leaves_lr_config_untouched(tmp_path):
    from mmcv import Config

    from mmpose.apis import train_model

    class Tiny(nn.Module):

        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.zeros(1))

        def train_step(self, data, optimizer, **kwargs):
            loss = ((self.w - data['x'])**2).sum()
            return dict(loss=loss, log_vars=dict(loss=loss.item()),
                        num_samples=len(data['x']))

    class Data(torch.utils.data.Dataset):

        def __len__(self):
            return 4

        def __getitem__(self, index):
            return dict(x=torch.tensor([float(index)]))

    cfg = Config(
        dict(
            data=dict(samples_per_gpu=2, workers_per_gpu=0),
            optimizer=dict(type='SGD', lr=0.1),
            optimizer_config=dict(grad_clip=None),
            lr_config=dict(policy='step', step=[1]),
            checkpoint_config=dict(interval=1),
            log_config=dict(interval=1, hooks=[]),
            total_epochs=1,
            workflow=[('train', 1)],
            work_dir=str(tmp_path),
            gpu_ids=[0],
            seed=0))
    before = cfg.lr_config.to_dict()
    train_model(Tiny(), Data(), cfg, validate=False)
    assert cfg.lr_config.to_dict() == before


def test_init_pose_model_reads_a_url_from_the_cache_quietly(
        hub_dir, tmp_path, capsys):
    from mmpose.apis import init_pose_model
    from tests.test_apis.test_inference import _tiny_config

    cfg = _tiny_config()
    model = init_pose_model(cfg, device='cpu')
    hub_dir.mkdir(parents=True)
    torch.save({'state_dict': model.state_dict()},
               hub_dir / 'res50_coco-abc12345.pth')
    capsys.readouterr()
    loaded = init_pose_model(cfg, URL, device='cpu')
    assert capsys.readouterr().out == ''
    for key, value in model.state_dict().items():
        assert torch.equal(loaded.state_dict()[key], value)
    (hub_dir / 'res50_coco-abc12345.pth').unlink()
    with pytest.raises(FileNotFoundError, match='res50_coco-abc12345.pth'):
        init_pose_model(cfg, URL, device='cpu')
