import numpy as np
import pytest
import torch

from mmpose.models import build_posenet
from mmpose.utils import ArgumentError

K, D = 3, 4


def _model_cfg(**kwargs):
    cfg = dict(
        type='MultiTask',
        backbone=dict(type='ResNet', depth=18),
        heads=[
            dict(
                type='HeatMap3DHead',
                in_channels=512,
                out_channels=K * D,
                depth_size=D,
                num_deconv_layers=1,
                num_deconv_filters=(8, ),
                num_deconv_kernels=(4, ),
                loss_keypoint=dict(type='JointsMSELoss',
                                   use_target_weight=True)),
            dict(
                type='Heatmap1DHead',
                in_channels=512,
                heatmap_size=8,
                hidden_dims=(16, ),
                loss_value=dict(type='L1Loss')),
            dict(
                type='MultilabelClassificationHead',
                in_channels=512,
                num_labels=2,
                hidden_dims=(16, ),
                loss_classification=dict(
                    type='BCELoss', use_target_weight=True)),
        ],
        necks=[dict(type='GlobalAveragePooling')],
        head2neck={1: 0, 2: 0},
        pretrained=None)
    cfg.update(kwargs)
    return cfg


def _batch(n=2):
    torch.manual_seed(0)
    img = torch.rand(n, 3, 32, 32)
    # 32x32 image -> 1x1 features -> 2x2 heatmaps after one deconv.
    target = [torch.rand(n, K, D, 2, 2), torch.rand(n, 1) * 8,
              torch.randint(0, 2, (n, 2)).float()]
    target_weight = [torch.ones(n, K, 1), torch.ones(n, 1), torch.ones(n, 2)]
    metas = [
        dict(image_file=f'{i}.jpg', center=[16., 16.], scale=[0.16, 0.16],
             rotation=0, bbox_score=1, bbox_id=i) for i in range(n)
    ]
    return img, target, target_weight, metas


def test_structure_and_head2neck():
    model = build_posenet(_model_cfg())
    assert model.head2neck == {0: -1, 1: 0, 2: 0}
    assert len(model.necks) == 2
    assert isinstance(model.necks[-1], torch.nn.Identity)
    keys = model.state_dict().keys()
    assert 'heads.0.final_layer.weight' in keys
    assert 'heads.1.fc.0.weight' in keys and 'heads.2.fc.2.bias' in keys
    with pytest.raises(ArgumentError, match='head2neck'):
        build_posenet(_model_cfg(head2neck=None))
    with pytest.raises(ArgumentError, match='neck 1'):
        build_posenet(_model_cfg(head2neck={1: 1}))


def test_train_losses_are_the_heads_losses():
    model = build_posenet(_model_cfg())
    model.eval()  # fixed BN statistics: the same features twice
    img, target, target_weight, metas = _batch()
    losses = model(img, target, target_weight, metas, return_loss=True)
    assert set(losses) == {
        'heatmap_loss', 'acc_pose', 'value_loss', 'classification_loss',
        'acc_classification'
    }
    features = model.backbone(img)
    pooled = features.mean(dim=(2, 3))
    depth = model.heads[1](pooled)
    expected = (depth - target[1]).abs().mean()
    assert losses['value_loss'].item() == pytest.approx(expected.item())
    heatmaps = model.heads[0](features)
    expected = ((heatmaps - target[0])**2).mean()
    assert losses['heatmap_loss'].item() == pytest.approx(
        expected.item(), rel=1e-5)

    out = model.train_step(
        dict(img=img, target=target, target_weight=target_weight,
             img_metas=metas), None)
    assert out['num_samples'] == 2
    expected = sum(losses[k].item() for k in losses if 'loss' in k)
    assert out['loss'].item() == pytest.approx(expected, rel=1e-5)
    with pytest.raises(ArgumentError, match='per head'):
        model(img, target[:2], target_weight[:2], metas)


def test_forward_test_merges_decoded_results():
    model = build_posenet(_model_cfg())
    model.eval()
    img, _, _, metas = _batch()
    with torch.no_grad():
        results = model(img, img_metas=metas, return_loss=False)
    assert results['preds'].shape == (2, K, 4)
    assert results['values'].shape == (2, 1)
    assert results['labels'].shape == (2, 2)
    assert results['bbox_ids'] == [0, 1]
    assert results['image_paths'] == ['0.jpg', '1.jpg']
    # Depth bins and soft-argmax depth lie inside their ranges.
    assert np.isin(results['preds'][..., 2], np.arange(D)).all()
    assert ((results['values'] >= 0) & (results['values'] <= 7)).all()
    dummy = model.forward_dummy(img)
    assert [tuple(o.shape) for o in dummy] == [(2, K, D, 2, 2), (2, 1),
                                                (2, 2)]
    with pytest.raises(ArgumentError, match='bbox_id'):
        model(img, img_metas=[dict(image_file='a')] * 2, return_loss=False)
