import pytest
import torch
from backbone_checks import (all_frozen, assert_init_from_checkpoint,
                             assert_with_cp_matches, norms_in_eval)

from mmpose.models import build_backbone
from mmpose.models.backbones import SEResNet
from mmpose.models.backbones.seresnet import SEBottleneck
from mmpose.models.backbones.utils import SELayer


def test_se_bottleneck():
    block = SEBottleneck(64, 256, se_ratio=16)
    assert isinstance(block.se_layer, SELayer)
    assert block.se_layer.conv1.conv.weight.shape == (16, 256, 1, 1)
    assert block.se_layer.conv2.conv.weight.shape == (256, 16, 1, 1)
    assert block.conv2.groups == 1

    downsample = torch.nn.Conv2d(64, 256, 1)
    block = SEBottleneck(64, 256, se_ratio=8, downsample=downsample).eval()
    x = torch.randn(1, 64, 8, 8)
    out = block(x)
    assert out.shape == (1, 256, 8, 8)
    # out = relu(SE(residual) + identity)
    residual = block.norm3(
        block.conv3(
            block.relu(
                block.norm2(
                    block.conv2(block.relu(block.norm1(block.conv1(x))))))))
    expected = torch.relu(block.se_layer(residual) + downsample(x))
    torch.testing.assert_close(out, expected)


def test_seresnet_errors():
    with pytest.raises(KeyError, match=r'34.*\[50, 101, 152\]'):
        SEResNet(depth=34)


def test_seresnet_forward():
    model = SEResNet(depth=50, se_ratio=16, out_indices=(0, 1, 2, 3))
    model.init_weights()
    model.eval()
    outs = model(torch.rand(1, 3, 32, 32))
    assert [tuple(o.shape) for o in outs] == [(1, 256, 8, 8), (1, 512, 4, 4),
                                              (1, 1024, 2, 2), (1, 2048, 1, 1)]
    assert all(isinstance(m, SEBottleneck) for m in model.layer3)
    model = build_backbone(dict(type='SEResNet', depth=50, se_ratio=8))
    assert model.layer4[0].se_layer.conv1.conv.out_channels == 2048 // 8


def test_seresnet_frozen_norm_eval_cp(tmp_path):
    model = SEResNet(depth=50, frozen_stages=2, norm_eval=True)
    model.train()
    assert all_frozen(model.layer2)
    assert all(p.requires_grad for p in model.layer3.parameters())
    assert norms_in_eval(model)

    small = dict(
        depth=50,
        num_stages=1,
        strides=(1, ),
        dilations=(1, ),
        out_indices=(0, ),
        base_channels=16,
        stem_channels=16)
    assert_with_cp_matches(lambda with_cp: SEResNet(with_cp=with_cp, **small),
                           torch.randn(2, 3, 16, 16))
    assert_init_from_checkpoint(lambda: SEResNet(**small), tmp_path)
