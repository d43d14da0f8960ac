import pytest
import torch
from backbone_checks import (all_frozen, assert_init_from_checkpoint,
                             assert_with_cp_matches, norms_in_eval)

from mmpose.models import build_backbone
from mmpose.models.backbones import ResNeSt
from mmpose.models.backbones.resnest import (Bottleneck, RSoftmax,
                                             SplitAttentionConv2d)


def test_rsoftmax():
    x = torch.randn(2, 8, 1, 1)
    out = RSoftmax(radix=2, groups=2)(x)
    assert out.shape == (2, 8)
    # weights of the radix splits of each channel sum to 1
    split = out.view(2, 2, 2, 2)  # [N, radix, groups, channels per group]
    torch.testing.assert_close(split.sum(dim=1), torch.ones(2, 2, 2))
    torch.testing.assert_close(
        RSoftmax(radix=1, groups=1)(x), torch.sigmoid(x))


def test_split_attention_conv2d():
    conv = SplitAttentionConv2d(
        16, 16, kernel_size=3, padding=1, radix=2, reduction_factor=4)
    assert conv.conv.weight.shape == (32, 8, 3, 3)
    # inter channels are at least 32
    assert conv.fc1.weight.shape == (32, 16, 1, 1)
    assert conv.norm0.num_features == 32 and conv.norm1.num_features == 32
    x = torch.randn(2, 16, 8, 8)
    assert conv(x).shape == (2, 16, 8, 8)
    conv = SplitAttentionConv2d(16, 16, 3, stride=2, padding=1, radix=1)
    assert conv(x).shape == (2, 16, 4, 4)


def test_resnest_bottleneck():
    block = Bottleneck(
        64,
        256,
        radix=2,
        reduction_factor=4,
        stride=2,
        downsample=torch.nn.Conv2d(64, 256, 1, stride=2))
    assert not hasattr(block, 'bn2')
    assert isinstance(block.conv2, SplitAttentionConv2d)
    # the stride moves to an average pool after the split attention
    assert block.conv2.conv.stride == (1, 1)
    assert block.avd_layer.stride == 2
    assert block(torch.randn(2, 64, 8, 8)).shape == (2, 256, 4, 4)

    block = Bottleneck(64, 256, avg_down_stride=False, stride=2)
    assert not hasattr(block, 'avd_layer')
    assert block.conv2.conv.stride == (2, 2)


def test_resnest_backbone(tmp_path):
    with pytest.raises(KeyError, match=r'depth 18.*\[50, 101, 152, 200\]'):
        ResNeSt(depth=18)

    model = ResNeSt(
        depth=50, radix=2, reduction_factor=4, out_indices=(0, 1, 2, 3))
    model.init_weights()
    model.eval()
    outs = model(torch.rand(1, 3, 32, 32))
    assert [tuple(o.shape) for o in outs] == [(1, 256, 8, 8), (1, 512, 4, 4),
                                              (1, 1024, 2, 2), (1, 2048, 1, 1)]
    # the deep (ResNetV1d) stem
    assert len(model.stem) == 3

    model = build_backbone(
        dict(
            type='ResNeSt',
            depth=50,
            groups=2,
            frozen_stages=1,
            norm_eval=True))
    model.train()
    assert all_frozen(model.stem) and all_frozen(model.layer1)
    assert norms_in_eval(model)
    assert model.layer1[0].conv2.conv.groups == 4

    small = dict(
        depth=50,
        num_stages=2,
        strides=(1, 2),
        dilations=(1, 1),
        out_indices=(1, ),
        stem_channels=16,
        base_channels=16)
    assert_with_cp_matches(lambda with_cp: ResNeSt(with_cp=with_cp, **small),
                           torch.randn(2, 3, 16, 16))
    assert_init_from_checkpoint(lambda: ResNeSt(**small), tmp_path)
