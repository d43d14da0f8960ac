import os
import pickle

import numpy as np
import pytest
import torch
import torch.nn as nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.models import build_backbone
from mmpose.models.backbones import ResNet, ResNetV1d
from mmpose.models.backbones.resnet import (BasicBlock, Bottleneck, ResLayer,
                                            get_expansion)
from mmpose.models.backbones.utils import (InvertedResidual, SELayer,
                                           channel_shuffle, get_state_dict,
                                           load_checkpoint, load_pretrained,
                                           make_divisible, resolve_pretrained)


def _all_frozen(module):
    return (not module.training
            and all(not p.requires_grad for p in module.parameters()))


def _num_params(module):
    return sum(p.numel() for p in module.parameters())


def test_get_expansion():
    assert get_expansion(BasicBlock) == 1
    assert get_expansion(Bottleneck) == 4
    assert get_expansion(Bottleneck, 2) == 2
    with pytest.raises(TypeError):
        get_expansion(nn.Conv2d)
    with pytest.raises(TypeError):
        get_expansion(Bottleneck, '3')


def test_basic_block():
    with pytest.raises(AssertionError):
        BasicBlock(64, 64, expansion=2)
    block = BasicBlock(64, 64)
    assert block.conv1.kernel_size == (3, 3)
    assert block.norm2 is block.bn2
    x = torch.randn(1, 64, 8, 8)
    assert block(x).shape == (1, 64, 8, 8)

    downsample = nn.Sequential(
        nn.Conv2d(64, 128, 1, stride=2, bias=False), nn.BatchNorm2d(128))
    block = BasicBlock(64, 128, stride=2, downsample=downsample, with_cp=True)
    x.requires_grad_(True)
    out = block(x)
    assert out.shape == (1, 128, 4, 4)
    out.sum().backward()
    assert x.grad is not None


def test_bottleneck():
    with pytest.raises(AssertionError):
        Bottleneck(64, 64, style='tensorflow')
    block = Bottleneck(64, 64, stride=2, style='pytorch')
    assert block.conv1.stride == (1, 1) and block.conv2.stride == (2, 2)
    block = Bottleneck(64, 64, stride=2, style='caffe')
    assert block.conv1.stride == (2, 2) and block.conv2.stride == (1, 1)
    block = Bottleneck(64, 64)
    assert block.mid_channels == 16
    assert block(torch.randn(1, 64, 8, 8)).shape == (1, 64, 8, 8)

    # ResNeXt block: conv2 width groups * width_per_group * mid / base
    block = Bottleneck(64, 256, groups=32, width_per_group=4)
    assert block.conv2.groups == 32
    assert block.conv2.in_channels == 32 * 4 * 64 // 64
    # SE block: SELayer after norm3
    block = Bottleneck(64, 64, se_ratio=16)
    assert isinstance(block.se_layer, SELayer)
    assert block.se_layer.conv1.conv.out_channels == 4
    assert block(torch.randn(1, 64, 8, 8)).shape == (1, 64, 8, 8)


def test_res_layer():
    layer = ResLayer(Bottleneck, 3, 64, 256)
    assert len(layer) == 3
    assert layer[0].downsample[0].out_channels == 256
    assert layer[1].downsample is None and layer[0].in_channels == 64

    layer = ResLayer(Bottleneck, 2, 64, 256, stride=2, avg_down=True)
    assert isinstance(layer[0].downsample[0], nn.AvgPool2d)
    assert layer[0].downsample[1].stride == (1, 1)
    assert layer(torch.randn(1, 64, 8, 8)).shape == (1, 256, 4, 4)

    layer = ResLayer(BasicBlock, 3, 64, 128, stride=2, downsample_first=False)
    assert layer[2].downsample is not None and layer[2].stride == 2
    assert layer[0].out_channels == 64


def test_resnet_invalid_args():
    with pytest.raises(KeyError, match=r'18, 34, 50, 101, 152'):
        ResNet(20)
    with pytest.raises(AssertionError):
        ResNet(50, num_stages=5)
    with pytest.raises(AssertionError):
        ResNet(50, num_stages=2, strides=(1, 2, 2, 2))
    with pytest.raises(AssertionError):
        ResNet(50, out_indices=(4, ))
    with pytest.raises(AssertionError):
        ResNet(50, style='tf')
    with pytest.raises(TypeError):
        ResNet(18).init_weights(pretrained=0)


@pytest.mark.parametrize('depth,params', [(18, 11176512), (34, 21284672),
                                          (50, 23508032)])
def test_resnet_param_counts(depth, params):
    # torchvision resnet parameter counts without the fc layer
    assert _num_params(ResNet(depth)) == params


def test_resnet_forward_shapes():
    model = ResNet(18, out_indices=(0, 1, 2, 3))
    model.init_weights()
    model.eval()
    outs = model(torch.randn(1, 3, 32, 32))
    assert [tuple(o.shape) for o in outs] == [(1, 64, 8, 8), (1, 128, 4, 4),
                                              (1, 256, 2, 2), (1, 512, 1, 1)]
    model = ResNet(50, out_indices=(1, 3)).eval()
    outs = model(torch.randn(1, 3, 32, 32))
    assert [tuple(o.shape) for o in outs] == [(1, 512, 4, 4), (1, 2048, 1, 1)]
    assert model.feat_dim == 2048
    # a single out index returns a tensor, not a tuple
    out = ResNet(
        18, num_stages=2, strides=(1, 2), dilations=(1, 1), out_indices=(1, ))(
            torch.randn(1, 3, 32, 32))
    assert isinstance(out, torch.Tensor) and out.shape == (1, 128, 4, 4)


def test_resnet_stem_and_args():
    model = ResNet(
        50,
        in_channels=1,
        stem_channels=32,
        base_channels=16,
        expansion=2,
        dilations=(1, 1, 2, 2),
        strides=(1, 2, 1, 1))
    assert model.conv1.in_channels == 1 and model.conv1.out_channels == 32
    assert model.layer1[0].out_channels == 32
    assert model.layer4[0].conv2.dilation == (2, 2)
    assert model(torch.randn(1, 1, 64, 64)).shape == (1, 256, 8, 8)

    model = ResNetV1d(depth=50)
    assert model.deep_stem and model.avg_down
    assert [m.conv.out_channels for m in model.stem] == [32, 32, 64]
    assert isinstance(model.layer2[0].downsample[0], nn.AvgPool2d)
    assert not hasattr(model, 'conv1')
    assert model(torch.randn(1, 3, 64, 64)).shape == (1, 2048, 2, 2)

    model = ResNet(
        18, conv_cfg=dict(type='Conv'), norm_cfg=dict(type='GN', num_groups=8))
    assert isinstance(model.layer1[0].norm1, nn.GroupNorm)
    model.init_weights()


def test_resnet_frozen_and_norm_eval():
    model = ResNet(50, frozen_stages=2, norm_eval=True)
    model.init_weights()
    model.train()
    assert _all_frozen(model.conv1) and _all_frozen(model.norm1)
    assert _all_frozen(model.layer1) and _all_frozen(model.layer2)
    assert all(p.requires_grad for p in model.layer3.parameters())
    assert model.layer3.training
    assert all(not m.training for m in model.modules()
               if isinstance(m, _BatchNorm))

    model = ResNetV1d(depth=50, frozen_stages=0)
    model.train()
    assert _all_frozen(model.stem)
    assert all(p.requires_grad for p in model.layer1.parameters())
    assert model.layer1[0].bn1.training


def test_resnet_zero_init_residual():
    model = ResNet(50)
    model.init_weights()
    for m in model.modules():
        if isinstance(m, Bottleneck):
            assert torch.all(m.norm3.weight == 0)
    # zero-initialised residuals make each block an identity + relu
    model = ResNet(18, zero_init_residual=True)
    model.init_weights()
    assert all(
        torch.all(m.norm2.weight == 0) for m in model.modules()
        if isinstance(m, BasicBlock))
    model = ResNet(18, zero_init_residual=False)
    model.init_weights()
    assert all(
        torch.all(m.norm2.weight == 1) for m in model.modules()
        if isinstance(m, BasicBlock))


def test_resnet_with_cp_backward():
    model = ResNet(
        18,
        num_stages=2,
        strides=(1, 2),
        dilations=(1, 1),
        out_indices=(1, ),
        with_cp=True)
    model.train()
    x = torch.randn(2, 3, 16, 16, requires_grad=True)
    model(x).sum().backward()
    assert model.conv1.weight.grad is not None


def test_build_backbone():
    model = build_backbone(dict(type='ResNet', depth=18))
    assert isinstance(model, ResNet)
    with pytest.raises(KeyError, match='ResNet'):
        build_backbone(dict(type='ResNett', depth=18))


def test_init_weights_from_local_checkpoint(tmp_path):
    src = ResNet(18)
    src.init_weights()
    for p in src.parameters():
        nn.init.normal_(p)
    state = src.state_dict()
    # torchvision checkpoints carry an extra fc layer: loaded non-strictly
    state['fc.weight'] = torch.zeros(10, 512)
    path = tmp_path / 'res18.pth'
    torch.save(state, path)

    dst = ResNet(18)
    dst.init_weights(pretrained=str(path))
    assert torch.equal(dst.layer4[1].conv2.weight, src.layer4[1].conv2.weight)

    with pytest.raises(FileNotFoundError, match='missing.pth'):
        ResNet(18).init_weights(pretrained=str(tmp_path / 'missing.pth'))


def test_pretrained_never_downloads(tmp_path, monkeypatch):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path))
    torch.hub.set_dir(str(tmp_path / 'hub'))
    try:
        with pytest.raises(FileNotFoundError) as err:
            resolve_pretrained('torchvision://resnet18')
        msg = str(err.value)
        assert os.path.join(str(tmp_path), 'hub', 'checkpoints') in msg
        assert 'resnet18-' in msg and 'local' in msg
        with pytest.raises(FileNotFoundError, match='x-1234.pth'):
            resolve_pretrained('https://example.com/models/x-1234.pth')
        with pytest.raises(FileNotFoundError, match='resnet50_caffe-'):
            resolve_pretrained('open-mmlab://resnet50_caffe')
        with pytest.raises(KeyError, match='no_such_name'):
            resolve_pretrained('open-mmlab://no_such_name')
        with pytest.raises(KeyError, match='not_a_model'):
            resolve_pretrained('torchvision://not_a_model')

        # a file in the hub cache is found and loaded
        ckpt_dir = tmp_path / 'hub' / 'checkpoints'
        ckpt_dir.mkdir(parents=True)
        src = nn.Conv2d(3, 4, 1)
        torch.save({'state_dict': src.state_dict()}, ckpt_dir / 'x-1234.pth')
        dst = nn.Conv2d(3, 4, 1)
        load_pretrained(dst, 'https://example.com/models/x-1234.pth')
        assert torch.equal(dst.weight, src.weight)
        # other releases of the same torchvision weights are accepted
        torch.save(src.state_dict(), ckpt_dir / 'resnet18-00000000.pth')
        assert resolve_pretrained('torchvision://resnet18').endswith(
            'resnet18-00000000.pth')
    finally:
        torch.hub.set_dir(os.path.join(torch.hub._get_torch_home(), 'hub'))


def test_shared_blocks():
    assert make_divisible(30, 8) == 32
    assert make_divisible(10, 8) == 16  # 8 would lose more than 10%
    assert make_divisible(3, 8, min_value=4) == 4

    x = torch.arange(6.).view(1, 6, 1, 1)
    assert channel_shuffle(x, 2).flatten().tolist() == [0, 3, 1, 4, 2, 5]

    se = SELayer(16, ratio=4)
    assert se(torch.randn(2, 16, 4, 4)).shape == (2, 16, 4, 4)
    with pytest.raises(AssertionError):
        SELayer(16, act_cfg=(dict(type='ReLU'), ))

    block = InvertedResidual(16, 16, 32, se_cfg=dict(channels=32, ratio=4))
    assert block.with_res_shortcut and block.depthwise_conv.conv.groups == 32
    assert block(torch.randn(1, 16, 8, 8)).shape == (1, 16, 8, 8)
    block = InvertedResidual(
        16, 24, 16, stride=2, with_expand_conv=False, with_cp=True)
    x = torch.randn(1, 16, 8, 8, requires_grad=True)
    out = block(x)
    assert out.shape == (1, 24, 4, 4)
    out.sum().backward()


def test_checkpoint_with_numpy_meta(tmp_path):
    # mmcv checkpoints keep NumPy values in meta; they must still load
    # while arbitrary pickled objects stay refused.
    src = nn.Conv2d(2, 3, 1)
    path = tmp_path / 'epoch_1.pth'
    torch.save(
        dict(
            state_dict={
                f'module.{k}': v
                for k, v in src.state_dict().items()
            },
            meta=dict(
                hook_msgs=dict(best_score=np.float64(0.7)), arr=np.arange(3))),
        path)
    dst = nn.Conv2d(2, 3, 1)
    ckpt = load_checkpoint(dst, str(path))
    assert torch.equal(dst.weight, src.weight)
    assert ckpt['meta']['hook_msgs']['best_score'] == 0.7
    assert list(get_state_dict(str(path))) == ['weight', 'bias']

    torch.save(
        dict(state_dict=src.state_dict(), meta=_Unsafe()),
        tmp_path / 'unsafe.pth')
    with pytest.raises(pickle.UnpicklingError):
        load_pretrained(dst, str(tmp_path / 'unsafe.pth'))


class _Unsafe:

    def __reduce__(self):
        return (os.getcwd, ())
