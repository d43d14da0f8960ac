import numpy as np
import pytest
import torch

from mmpose.models import build_head
from mmpose.utils import ArgumentError


def _head(**kwargs):
    cfg = dict(
        type='MultilabelClassificationHead',
        in_channels=6,
        num_labels=2,
        hidden_dims=(5, 4),
        loss_classification=dict(type='BCELoss', use_target_weight=True))
    cfg.update(kwargs)
    return build_head(cfg)


def test_layers_keep_0_14_keys():
    head = _head()
    # 0.14's keys: Linear layers at 0, 2, 4 with ReLUs between them.
    shapes = [(5, 6), (4, 5), (2, 4)]
    expected = {}
    for i, shape in zip((0, 2, 4), shapes):
        expected[f'fc.{i}.weight'] = shape
        expected[f'fc.{i}.bias'] = shape[:1]
    got = head.state_dict()
    assert {k: tuple(v.shape) for k, v in got.items()} == expected
    head.init_weights()
    out = head(torch.rand(3, 6))
    assert out.shape == (3, 2) and ((out > 0) & (out < 1)).all()


def test_loss():
    head = _head()
    output = torch.tensor([[0.8, 0.4], [0.1, 0.5]])
    target = torch.tensor([[1., 0.], [0., 1.]])
    weight = torch.tensor([[1., 1.], [1., 0.]])
    loss = head.get_loss(output, target, weight)['classification_loss']
    # Weighted BCE, mean over all N * L entries.
    expected = -(np.log(0.8) + np.log(0.6) + np.log(0.9)) / 4
    assert loss.item() == pytest.approx(expected, rel=1e-5)
    # One weight per sample (InterHand's hand_type_valid) covers both labels.
    per_sample = head.get_loss(output, target, torch.tensor([1., 0.]))
    expected = -(np.log(0.8) + np.log(0.6)) / 4
    assert per_sample['classification_loss'].item() == pytest.approx(
        expected, rel=1e-5)
    with pytest.raises(ArgumentError):
        head.get_loss(output, target[:, 0], weight)


def test_accuracy():
    head = _head()
    output = torch.tensor([[0.8, 0.4], [0.1, 0.6], [0.9, 0.9], [0.2, 0.2]])
    target = torch.tensor([[1., 0.], [0., 0.], [1., 1.], [0., 0.]])
    weight = torch.tensor([[1., 1.], [1., 1.], [1., 1.], [1., 0.]])
    # Sample 3 lacks a label and is ignored; samples 0 and 2 are right on
    # both labels, sample 1 wrong on the second.
    acc = head.get_accuracy(output, target, weight)['acc_classification']
    assert acc.item() == pytest.approx(2 / 3)
    # Per-sample weights: samples 1 (wrong), 2 and 3 (right) count.
    per_sample = head.get_accuracy(output, target, torch.tensor([0, 1, 1, 1]))
    assert per_sample['acc_classification'].item() == pytest.approx(2 / 3)
    none = head.get_accuracy(output, target, torch.zeros(4, 2))
    assert none['acc_classification'].item() == 0


def test_flip_and_decode():
    head = _head()
    x = torch.rand(2, 6)
    plain = head.inference_model(x)
    flipped = head.inference_model(x, flip_pairs=[[0, 1]])
    np.testing.assert_allclose(flipped, plain[:, ::-1])
    result = head.decode([dict(image_file='a.jpg')] * 2, plain)
    assert result['labels'] is plain and result['bbox_ids'] is None
    assert result['image_paths'] == ['a.jpg', 'a.jpg']
