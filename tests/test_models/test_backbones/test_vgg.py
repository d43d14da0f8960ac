import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from backbone_checks import all_frozen, assert_init_from_checkpoint
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.models import build_backbone
from mmpose.models.backbones import VGG


def test_vgg_args():
    with pytest.raises(KeyError, match=r'depth 18.*\[11, 13, 16, 19\]'):
        VGG(18)
    with pytest.raises(AssertionError, match='num_stages'):
        VGG(11, num_stages=6, dilations=(1, ) * 6)
    with pytest.raises(AssertionError, match='dilations'):
        VGG(11, num_stages=4)
    with pytest.raises(AssertionError, match='out_indices'):
        VGG(11, num_stages=3, dilations=(1, 1, 1), out_indices=(4, ))


@pytest.mark.parametrize('depth,num_convs', [(11, 8), (13, 10), (16, 13),
                                             (19, 16)])
def test_vgg_depths(depth, num_convs):
    model = VGG(depth)
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) == num_convs
    assert all(conv.bias is not None for conv in convs)


def test_vgg_forward():
    model = VGG(11, out_indices=(0, 1, 2, 3, 4))
    model.init_weights()
    model.eval()
    outs = model(torch.rand(1, 3, 64, 64))
    assert [tuple(o.shape) for o in outs] == [(1, 64, 32, 32),
                                              (1, 128, 16, 16), (1, 256, 8, 8),
                                              (1, 512, 4, 4), (1, 512, 2, 2)]
    # default out_indices without classifier: the last stage
    assert VGG(11).eval()(torch.rand(1, 3, 32, 32)).shape == (1, 512, 1, 1)
    # no last pool, ceil_mode and fewer stages
    model = VGG(11, with_last_pool=False).eval()
    assert len(model.features) == 12
    assert model(torch.rand(1, 3, 32, 32)).shape == (1, 512, 2, 2)
    model = VGG(
        11,
        num_stages=3,
        dilations=(1, 1, 2),
        out_indices=(2, ),
        ceil_mode=True).eval()
    assert model(torch.rand(1, 3, 30, 30)).shape == (1, 256, 4, 4)


def test_vgg_classifier():
    model = VGG(11, num_classes=10)
    model.init_weights()
    model.eval()
    assert model(torch.rand(1, 3, 224, 224)).shape == (1, 10)
    model = VGG(11, num_classes=10, out_indices=(4, 5)).eval()
    feat, score = model(torch.rand(1, 3, 224, 224))
    assert feat.shape == (1, 512, 7, 7) and score.shape == (1, 10)


def test_vgg_bn_frozen_norm_eval(tmp_path):
    cfg = dict(type='VGG', depth=11, norm_cfg=dict(type='BN'))
    model = build_backbone(dict(cfg, frozen_stages=2, norm_eval=True))
    model.init_weights()
    model.train()
    for j in range(*model.range_sub_modules[1]):
        assert all_frozen(model.features[j])
    first_unfrozen = model.features[model.range_sub_modules[2][0]]
    assert all(p.requires_grad for p in first_unfrozen.parameters())
    assert all(not m.training for m in model.modules()
               if isinstance(m, _BatchNorm))
    assert model.training

    assert_init_from_checkpoint(
        lambda: build_backbone(
            dict(cfg, num_stages=2, dilations=(1, 1), out_indices=(1, ))),
        tmp_path)


def test_vgg_values():
    # VGG-11's first two stages written out with torch.nn.functional and the
    # model's own (seeded) weights: 3x3 convs (dilated in stage 2) with ReLU,
    # then a 2x2/2 max pool per stage; the optional BN in eval mode at its
    # initial statistics only divides by sqrt(1 + eps).
    torch.manual_seed(0)
    for norm_cfg, bn_scale in [(None, 1.), (dict(type='BN'), (1 + 1e-5)**-.5)]:
        model = VGG(
            11,
            num_stages=2,
            dilations=(1, 2),
            out_indices=(0, 1),
            norm_cfg=norm_cfg).eval()
        convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
        assert len(convs) == 2
        x = torch.rand(1, 3, 12, 12)

        def stage(y, conv, dilation):
            y = F.conv2d(y, conv.weight, conv.bias, padding=dilation,
                         dilation=dilation)
            return F.max_pool2d(F.relu(y * bn_scale), 2, 2)

        first = stage(x, convs[0], 1)
        second = stage(first, convs[1], 2)
        with torch.no_grad():
            outs = model(x)
        torch.testing.assert_close(outs[0], first)
        torch.testing.assert_close(outs[1], second)
