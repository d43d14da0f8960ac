import pytest
import torch

from mmpose.models.backbones import ShuffleNetV2
from mmpose.models.backbones.shufflenet_v2 import InvertedResidual


def test_shufflenetv2_inverted_residual():
    with pytest.raises(AssertionError, match='in_channels must be equal'):
        InvertedResidual(24, 32, stride=1)
    block = InvertedResidual(24, 48, stride=2)
    assert not hasattr(InvertedResidual(48, 48, stride=1), 'branch1')
    x = torch.randn(2, 24, 8, 8)
    assert block(x).shape == (2, 48, 4, 4)

    # stride 1 keeps half of the channels untouched, then shuffles
    block = InvertedResidual(8, 8, stride=1).eval()
    x = torch.randn(1, 8, 4, 4)
    out = block(x)
    torch.testing.assert_close(out[:, 0::2], x[:, :4])


@pytest.mark.parametrize('widen_factor,channels', [
    (0.5, (48, 96, 192, 1024)),
    (1.0, (116, 232, 464, 1024)),
    (1.5, (176, 352, 704, 1024)),
    (2.0, (244, 488, 976, 2048)),
])
def test_shufflenetv2_widen_factor(widen_factor, channels):
    model = ShuffleNetV2(
        widen_factor=widen_factor, out_indices=(0, 1, 2, 3)).eval()
    outs = model(torch.rand(1, 3, 64, 64))
    assert [tuple(o.shape) for o in outs] == [(1, channels[0], 8, 8),
                                              (1, channels[1], 4, 4),
                                              (1, channels[2], 2, 2),
                                              (1, channels[3], 2, 2)]


def test_shufflenetv2_args():
    with pytest.raises(ValueError, match=r'widen_factor.*0\.75'):
        ShuffleNetV2(widen_factor=0.75)
    model = ShuffleNetV2()
    model.init_weights()
    model.eval()
    assert model(torch.rand(1, 3, 32, 32)).shape == (1, 1024, 1, 1)
    assert model.conv1.conv.weight.std().item() < 0.02
