"""Training at scale: clear errors for bad set-ups, and fp16 from a config.

- ``--launcher pytorch/slurm`` without the launcher's environment variables
  names the missing ones (instead of torch's first-missing-variable error or
  a hang waiting for peers).
- ``fp16 = dict(loss_scale=...)`` trains with fp16 weights and an fp32 master
  copy (CPU), and is refused with a clear error for a model that cannot be
  wrapped.
"""
import sys
from pathlib import Path

import mmcv
import numpy as np
import pytest
import torch

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
from fixtures import write_coco_keypoint_dataset  # noqa: E402
from scale_helpers import (scale_modules_registered,  # noqa: E402,F401
                           tiny_topdown_config)
from toy_pose_modules import toy_config, toy_modules_registered  # noqa

from mmpose.apis import train_model  # noqa: E402
from mmpose.core.utils.dist_utils import LAUNCHER_ENV, init_dist  # noqa: E402
from mmpose.datasets import build_dataset  # noqa: E402
from mmpose.models import build_posenet  # noqa: E402

pytestmark = pytest.mark.usefixtures('fresh_mmpose_logger')


@pytest.mark.parametrize('launcher', ['pytorch', 'slurm'])
def test_launcher_without_its_environment_names_the_variables(
        launcher, monkeypatch):
    for names in LAUNCHER_ENV.values():
        for name in names:
            monkeypatch.delenv(name, raising=False)
    with pytest.raises(RuntimeError) as err:
        init_dist(launcher)
    for name in LAUNCHER_ENV[launcher]:
        assert name in str(err.value)
    assert ('srun' if launcher == 'slurm' else 'torchrun') in str(err.value)

    # One variable missing: only that one is reported as missing.
    present = LAUNCHER_ENV[launcher][:-1]
    for name in present:
        monkeypatch.setenv(name, '0')
    with pytest.raises(RuntimeError, match=f'but {LAUNCHER_ENV[launcher][-1]}'
                       ' is not set'):
        init_dist(launcher)


def test_train_tool_with_launcher_but_no_environment(tmp_path, monkeypatch):
    import importlib.util
    for name in LAUNCHER_ENV['slurm']:
        monkeypatch.delenv(name, raising=False)
    spec = importlib.util.spec_from_file_location(
        '_mmpose_tool_train_errors', TESTS.parent / 'tools' / 'train.py')
    train_tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train_tool)
    config = tmp_path / 'toy.py'
    cfg = toy_config(tmp_path / 'work', total_epochs=1)
    mmcv.Config(cfg).dump(str(config))
    with pytest.raises(RuntimeError, match='SLURM_PROCID, SLURM_NTASKS'):
        train_tool.main([str(config), '--launcher', 'slurm'])


def _tiny_topdown(tmp_path, **overrides):
    data = write_coco_keypoint_dataset(
        tmp_path / 'coco',
        image_sizes=((160, 200), (180, 160)),
        persons_per_image=(2, 2),
        extra_annotations=False)
    return mmcv.Config(
        tiny_topdown_config(
            data['ann_file'],
            data['img_prefix'],
            tmp_path / 'work',
            total_epochs=1,
            samples_per_gpu=2,
            **overrides))


def test_fp16_config_trains_fp16_weights_with_an_fp32_master(tmp_path):
    cfg = _tiny_topdown(tmp_path, fp16=dict(loss_scale=512.))
    torch.manual_seed(0)
    model = build_posenet(cfg.model)
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    masters = []
    optimizer_step = torch.optim.Adam.step

    def spy(self, *args, **kwargs):
        masters.append([p for g in self.param_groups for p in g['params']])
        return optimizer_step(self, *args, **kwargs)

    torch.optim.Adam.step = spy
    try:
        np.random.seed(0)
        train_model(model, build_dataset(cfg.data.train), cfg,
                    timestamp='fp16', meta=dict())
    finally:
        torch.optim.Adam.step = optimizer_step
    assert len(masters) == 2  # 4 samples, 2 per batch: both steps taken
    master = masters[-1]
    params = list(model.parameters())
    assert all(p.dtype == torch.half for p in params)
    assert all(p.dtype == torch.float for p in master)
    for fp16_param, fp32_param, key in zip(params, master, initial):
        # the model holds the rounded master weights, which moved
        assert torch.equal(fp16_param.data, fp32_param.data.half())
        assert not torch.equal(fp32_param.data, initial[key]), key
    log = (tmp_path / 'work' / 'fp16.log.json').read_text()
    assert '"loss_scale": 512.0' in log


def test_fp16_config_on_a_model_that_cannot_be_wrapped(tmp_path):
    # ToyPoseModel has no @auto_fp16 forward: its fp32 inputs would meet
    # fp16 weights.
    cfg = mmcv.Config(
        toy_config(tmp_path / 'work', total_epochs=1,
                   fp16=dict(loss_scale='dynamic')))
    model = build_posenet(cfg.model)
    with pytest.raises(TypeError, match='ToyPoseModel cannot be wrapped'):
        train_model(model, build_dataset(cfg.data.train), cfg)
    # refused before anything was converted
    assert all(p.dtype == torch.float for p in model.parameters())
