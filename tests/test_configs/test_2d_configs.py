"""Every 2D top-down model-zoo config (top_down, face, hand, fashion, animal,
wholebody) builds its model and its train/val datasets on generated data,
trains one iteration and runs one test pass through ``evaluate``.

The fast suite runs a sample (one or two configs per architecture and per
dataset family); the full set is marked slow."""
import math
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from mmcv import Config
from mmcv.parallel import MMDataParallel
from mmcv.runner import build_optimizer

from dataset_fixtures import write_dataset_for
from mmpose.datasets import DATASETS, build_dataloader, build_dataset
from mmpose.models import build_posenet

REPO = Path(__file__).resolve().parents[2]
CONFIG_DIR = REPO / 'configs'
FOLDERS = ('top_down', 'face', 'hand', 'fashion', 'animal', 'wholebody')
CONFIGS = sorted(
    str(p.relative_to(CONFIG_DIR)) for folder in FOLDERS
    for p in (CONFIG_DIR / folder).rglob('*.py'))

#: Dataset types the configs name whose class is not written yet; their
#: configs are skipped with the reason until the class is registered.
EXPECTED_MISSING = {}

#: The fast sample: per architecture (alexnet, cpm, deeppose, hourglass,
#: mspn, rsn, scnet, shufflenet, vgg, ...) and per dataset family, the
#: cheapest config; every other config runs in the slow suite.
FAST = [
    'top_down/alexnet/coco/alexnet_coco_256x192.py',
    'top_down/shufflenet_v2/mpii/shufflenetv2_mpii_256x256.py',
    'top_down/rsn/coco/rsn18_coco_256x192.py',
    'face/deeppose/wflw/deeppose_res50_wflw_256x256.py',
    'hand/mobilenet_v2/onehand10k/mobilenetv2_onehand10k_256x256.py',
    'fashion/resnet/deepfashion/res50_deepfashion_lower_256x192.py',
    'animal/resnet/locust/res50_locust_160x160.py',
    'wholebody/resnet/coco-wholebody/res50_coco_wholebody_256x192.py',
    'hand/resnet/interhand2d/res50_interhand2d_all_256x256.py',
]


def _type_of(cfg, split):
    return cfg.data[split].type


def _localise(cfg, root):
    """Point every split of ``cfg`` at generated data under ``root``, with
    ground-truth boxes for testing, and no pretrained weights."""
    cfg.model.pretrained = None
    for split in ('train', 'val', 'test'):
        data = cfg.data[split]
        # the test splits fit in one batch
        fixture = write_dataset_for(data.type, root / split,
                                    data.data_cfg.num_joints,
                                    small=split != 'train')
        # (InterHand2.6M also reads a camera and a joint file)
        for key in ('ann_file', 'img_prefix', 'camera_file', 'joint_file'):
            if key in fixture:
                data[key] = fixture[key]
        if 'use_gt_bbox' in data.data_cfg:
            data.data_cfg.use_gt_bbox = True
    return cfg


def _skip_missing(cfg):
    for split in ('train', 'val', 'test'):
        name = _type_of(cfg, split)
        if name not in DATASETS.module_dict:
            reason = EXPECTED_MISSING.get(name)
            assert reason, f'{name} is neither registered nor expected ' \
                'missing'
            pytest.skip(reason)


def _train_one_iteration(cfg):
    model = build_posenet(cfg.model)
    train_set = build_dataset(cfg.data.train)
    loader = build_dataloader(
        train_set, samples_per_gpu=2, workers_per_gpu=0, dist=False,
        shuffle=False, seed=0)
    optimizer = build_optimizer(model, cfg.optimizer)
    model.train()
    before = [p.detach().clone() for p in model.parameters()]
    outputs = MMDataParallel(model).train_step(next(iter(loader)), optimizer)
    assert math.isfinite(outputs['loss'].item())
    assert outputs['num_samples'] == 2
    optimizer.zero_grad()
    outputs['loss'].backward()
    optimizer.step()
    assert any(not torch.equal(a, b)
               for a, b in zip(before, model.parameters()))
    return model


def _test_and_evaluate(cfg, model, res_folder):
    """One test batch of the val set through the model and ``evaluate``."""
    test_set = build_dataset(cfg.data.val, dict(test_mode=True))
    assert 2 <= len(test_set) <= 4
    loader = build_dataloader(
        test_set, samples_per_gpu=len(test_set), workers_per_gpu=0,
        dist=False, shuffle=False, drop_last=False)
    with torch.no_grad():
        result = MMDataParallel(model.eval())(
            return_loss=False, **next(iter(loader)))
    num_joints = cfg.data.val.data_cfg.num_joints
    assert result['preds'].shape == (len(test_set), num_joints, 3)
    metrics = test_set.evaluate([result], str(res_folder),
                                metric=cfg.evaluation.metric)
    assert metrics
    values = np.array(list(metrics.values()), dtype=np.float64)
    # (COCOeval reports -1 for an area range without people)
    assert np.isfinite(values).all() and (values >= -1).all(), metrics
    return metrics


def _run(path, tmp_path):
    cfg = Config.fromfile(str(CONFIG_DIR / path))
    _skip_missing(cfg)
    cfg = _localise(cfg, tmp_path)
    torch.manual_seed(0)
    np.random.seed(0)
    with warnings.catch_warnings():
        # the deprecated dataset names warn (tested with the datasets)
        warnings.simplefilter('ignore', DeprecationWarning)
        model = _train_one_iteration(cfg)
        _test_and_evaluate(cfg, model, tmp_path / 'res')


def test_expected_missing_are_the_unregistered_ones():
    # the configs are flat files naming their dataset types literally
    # (reading them as text is 100x faster than Config.fromfile)
    named = {
        name
        for p in CONFIGS for name in re.findall(
            r"type='(\w+Dataset)'", (CONFIG_DIR / p).read_text())
    }
    assert len(named) > 20
    missing = named - set(DATASETS.module_dict)
    assert missing <= set(EXPECTED_MISSING), missing - set(EXPECTED_MISSING)
    assert set(FAST) <= set(CONFIGS)


@pytest.mark.parametrize('path', FAST)
def test_sampled_config_trains_and_tests(path, tmp_path):
    _run(path, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize('path', sorted(set(CONFIGS) - set(FAST)))
def test_config_trains_and_tests(path, tmp_path):
    _run(path, tmp_path)
