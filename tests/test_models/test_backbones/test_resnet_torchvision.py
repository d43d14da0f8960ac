"""ResNet computes what torchvision's ResNet computes with the same weights.

MMPose 0.14 loads ``torchvision://resnet{18,50}`` checkpoints into its ResNet
unchanged, so the two share state_dict keys (torchvision's adds ``fc``). Both
get the same random weights and BatchNorm statistics (so no block is an
identity by accident) and must give the same features after every stage.
"""
import pytest
import torch
import torchvision

from mmpose.models.backbones import ResNet


def _randomise(model, seed):
    """Random weights and BN statistics, drawn in state_dict order."""
    g = torch.Generator().manual_seed(seed)
    state = {}
    for key, value in model.state_dict().items():
        if not torch.is_floating_point(value):
            state[key] = value
        elif key.endswith('running_var'):
            state[key] = torch.rand(value.shape, generator=g) + 0.5
        elif value.dim() <= 1:
            # BN weight around 1, biases and running means around 0.
            base = 1. if key.endswith('weight') else 0.
            state[key] = base + 0.2 * torch.randn(value.shape, generator=g)
        else:
            fan_in = value[0].numel()
            state[key] = torch.randn(value.shape, generator=g) / fan_in**0.5
    model.load_state_dict(state)


def _torchvision_stages(net, x):
    x = net.maxpool(net.relu(net.bn1(net.conv1(x))))
    outs = []
    for layer in (net.layer1, net.layer2, net.layer3, net.layer4):
        x = layer(x)
        outs.append(x)
    return outs


@pytest.mark.parametrize('depth', [18, 50])
def test_resnet_matches_torchvision(depth):
    reference = getattr(torchvision.models, f'resnet{depth}')(weights=None)
    _randomise(reference, seed=depth)
    reference.eval()
    weights = {
        k: v
        for k, v in reference.state_dict().items() if not k.startswith('fc.')
    }

    model = ResNet(depth, out_indices=(0, 1, 2, 3))
    # strict: the same keys and shapes as torchvision's checkpoint
    model.load_state_dict(weights, strict=True)
    model.eval()

    x = torch.randn(2, 3, 64, 96, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = _torchvision_stages(reference, x)
        got = model(x)
    assert len(got) == 4
    for stage, (a, b) in enumerate(zip(got, expected)):
        assert a.shape == b.shape, stage
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5,
                                   msg=f'stage {stage}')
    # The features are far from trivial (ReLUs and BN do change them).
    assert (expected[-1] == 0).float().mean() > 0.1
    assert expected[-1].abs().max() > 1e-2
