import torch
import torch.nn.functional as F
from backbone_checks import assert_init_from_checkpoint

from mmpose.models import build_backbone
from mmpose.models.backbones import AlexNet


def test_alexnet(tmp_path):
    model = AlexNet()
    model.init_weights()
    model.eval()
    assert not hasattr(model, 'classifier')
    assert model(torch.rand(1, 3, 224, 224)).shape == (1, 256, 6, 6)
    # 256x192 model-zoo input
    assert model(torch.rand(1, 3, 256, 192)).shape == (1, 256, 7, 5)

    model = build_backbone(dict(type='AlexNet', num_classes=5)).eval()
    assert model(torch.rand(2, 3, 224, 224)).shape == (2, 5)

    assert_init_from_checkpoint(AlexNet, tmp_path)


def test_alexnet_values():
    # 0.14's AlexNet written out with torch.nn.functional and the model's
    # own (seeded) weights: five convs, ReLUs and three 3x3/2 max pools.
    torch.manual_seed(0)
    model = AlexNet().eval()
    convs = [m for m in model.features if isinstance(m, torch.nn.Conv2d)]
    x = torch.rand(1, 3, 95, 95)

    def conv(y, i, **kwargs):
        return F.relu(F.conv2d(y, convs[i].weight, convs[i].bias, **kwargs))

    y = F.max_pool2d(conv(x, 0, stride=4, padding=2), 3, 2)
    y = F.max_pool2d(conv(y, 1, padding=2), 3, 2)
    y = conv(conv(conv(y, 2, padding=1), 3, padding=1), 4, padding=1)
    expected = F.max_pool2d(y, 3, 2)
    with torch.no_grad():
        out = model(x)
    assert out.shape == (1, 256, 2, 2)
    torch.testing.assert_close(out, expected)
