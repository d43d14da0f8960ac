import pytest
import torch
from backbone_checks import assert_init_from_checkpoint, norms_in_eval

from mmpose.models import build_backbone
from mmpose.models.backbones import SEResNeXt
from mmpose.models.backbones.seresnet import SEBottleneck as SEResNetBlock
from mmpose.models.backbones.seresnext import SEBottleneck


def test_seresnext_bottleneck():
    block = SEBottleneck(64, 256, groups=32, width_per_group=4, se_ratio=16)
    assert isinstance(block, SEResNetBlock)
    assert block.conv2.weight.shape == (128, 4, 3, 3)
    assert block.se_layer.conv1.conv.out_channels == 16
    block = SEBottleneck(64, 64, expansion=1, groups=4, width_per_group=4)
    assert block(torch.randn(1, 64, 4, 4)).shape == (1, 64, 4, 4)


def test_seresnext(tmp_path):
    with pytest.raises(KeyError, match=r'depth 18'):
        SEResNeXt(depth=18)
    model = SEResNeXt(depth=50, out_indices=(0, 1, 2, 3))
    model.init_weights()
    model.eval()
    outs = model(torch.rand(1, 3, 32, 32))
    assert [tuple(o.shape) for o in outs] == [(1, 256, 8, 8), (1, 512, 4, 4),
                                              (1, 1024, 2, 2), (1, 2048, 1, 1)]
    # groups, width and se_ratio all reach the blocks
    model = build_backbone(
        dict(
            type='SEResNeXt',
            depth=50,
            groups=8,
            width_per_group=8,
            se_ratio=8,
            frozen_stages=0,
            norm_eval=True))
    block = model.layer1[0]
    assert block.conv2.weight.shape == (64, 8, 3, 3)
    assert block.se_layer.conv1.conv.out_channels == 256 // 8
    model.train()
    assert not any(p.requires_grad for p in model.conv1.parameters())
    assert norms_in_eval(model)

    small = dict(
        depth=50,
        groups=4,
        num_stages=1,
        strides=(1, ),
        dilations=(1, ),
        out_indices=(0, ))
    assert_init_from_checkpoint(lambda: SEResNeXt(**small), tmp_path)
