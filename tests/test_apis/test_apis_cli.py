import warnings

import mmcv
import pytest
import torch
import torch.nn as nn

from mmpose.apis.cli import load_checkpoint_strict, merge_cfg_options


def _cfg():
    return mmcv.Config(
        dict(
            model=dict(
                type='TopDown',
                backbone=dict(type='ResNet', depth=50),
                train_cfg=dict(),
                test_cfg=None),
            data=dict(
                samples_per_gpu=2,
                train=dict(pipeline=[dict(
                    type='A'), dict(type='B', p=0.5)])),
            optimizer=dict(type='Adam', lr=1e-3)))


def test_existing_and_allowed_new_keys_merge():
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # none of these is a near miss
        cfg = merge_cfg_options(
            _cfg(),
            {
                'model.backbone.depth': 18,
                'data.train.pipeline.1.p': 0.1,
                'model.train_cfg.anything': 1,
                'data.test_dataloader.samples_per_gpu': 4,
                'seed': 3,
                'find_unused_parameters': False,
            })
    assert cfg.model.backbone.depth == 18
    assert cfg.data.train.pipeline[1].p == 0.1
    assert cfg.model.train_cfg.anything == 1
    assert cfg.data.test_dataloader.samples_per_gpu == 4
    assert cfg.seed == 3 and cfg.find_unused_parameters is False
    # Below a non-dict value the key is not ours to judge: mmcv refuses to
    # turn None into a dict and says so.
    with pytest.raises(TypeError, match='test_cfg'):
        merge_cfg_options(cfg, {'model.test_cfg.flip_test': False})


def test_new_keys_of_existing_sections_are_added_as_mmcv_does():
    # The fine-tuning settings 0.14 users pass on the command line.
    cfg = _cfg()
    cfg.checkpoint_config = dict(interval=1)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        merge_cfg_options(
            cfg, {
                'model.backbone.frozen_stages': 1,
                'checkpoint_config.max_keep_ckpts': 1,
                'optimizer.weight_decay': 1e-4,
                'data.train.pipeline.0.flip_prob': 0.3,
            })
    assert cfg.model.backbone == dict(
        type='ResNet', depth=50, frozen_stages=1)
    assert cfg.checkpoint_config == dict(interval=1, max_keep_ckpts=1)
    assert cfg.optimizer.weight_decay == 1e-4
    assert cfg.data.train.pipeline[0] == dict(type='A', flip_prob=0.3)
    # The same result as mmcv's own merge.
    reference = _cfg()
    reference.checkpoint_config = dict(interval=1)
    reference.merge_from_dict({
        'model.backbone.frozen_stages': 1,
        'checkpoint_config.max_keep_ckpts': 1,
        'optimizer.weight_decay': 1e-4,
        'data.train.pipeline.0.flip_prob': 0.3,
    })
    assert cfg.pretty_text == reference.pretty_text


@pytest.mark.parametrize('key, existing', [
    ('model.backbone.deph', 'model.backbone.depth'),
    ('data.samples_per_gpus', 'data.samples_per_gpu'),
    ('optimizer.Lr', 'optimizer.lr'),
    ('optimiser', 'optimizer'),
])
def test_near_miss_of_an_existing_sibling_warns_and_is_added(key, existing):
    cfg = _cfg()
    with pytest.warns(UserWarning) as record:
        merge_cfg_options(cfg, {key: 7})
    messages = [str(w.message) for w in record]
    assert any(f'"{key}"' in m and f'"{existing}"' in m for m in messages)
    node = cfg
    for part in key.split('.'):
        node = node[part]
    assert node == 7


@pytest.mark.parametrize('key, named, suggested', [
    ('optimzer.lr', '"optimzer" is not a key of the top level',
     'optimizer.lr'),
    ('data.train.pipeline.5.p', '"5" is not a key of "data.train.pipeline"',
     'data.train.pipeline.1.p'),
    ('model.backbon.depth', '"backbon" is not a key of "model"',
     'model.backbone.depth'),
])
def test_missing_parent_is_named_with_suggestions(key, named, suggested):
    cfg = _cfg()
    with pytest.raises(KeyError) as err:
        merge_cfg_options(cfg, {key: 1})
    message = str(err.value)
    assert f'"{key}"' in message and named in message
    assert 'Did you mean' in message and suggested in message
    # Nothing was merged.
    assert cfg.pretty_text == _cfg().pretty_text


def test_load_checkpoint_strict(tmp_path):
    model = nn.Sequential(nn.Conv2d(3, 4, 1), nn.BatchNorm2d(4))
    source = nn.Sequential(nn.Conv2d(3, 4, 1), nn.BatchNorm2d(4))
    # A checkpoint saved from a (Distributed)DataParallel keeps 'module.'.
    torch.save(
        dict(state_dict={
            f'module.{k}': v
            for k, v in source.state_dict().items()
        }), tmp_path / 'ok.pth')
    load_checkpoint_strict(model, str(tmp_path / 'ok.pth'))
    torch.testing.assert_close(model[0].weight, source[0].weight)

    state = source.state_dict()
    for i in range(25):
        state[f'extra.{i}'] = torch.zeros(1)
    del state['1.running_var']
    torch.save(state, tmp_path / 'bad.pth')  # a bare state_dict
    with pytest.raises(RuntimeError) as err:
        load_checkpoint_strict(model, str(tmp_path / 'bad.pth'))
    message = str(err.value)
    assert 'bad.pth' in message and 'Sequential' in message
    assert '1 missing keys: 1.running_var' in message
    assert '25 unexpected keys: extra.0, extra.1' in message
    assert '... and 5 more' in message
