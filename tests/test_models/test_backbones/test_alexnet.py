import torch
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
