import numpy as np
import pytest
import torch

from mmpose.models import build_head
from mmpose.utils import ArgumentError


def _head(**kwargs):
    cfg = dict(
        type='Heatmap1DHead',
        in_channels=6,
        heatmap_size=4,
        hidden_dims=(5, ),
        loss_value=dict(type='L1Loss'))
    cfg.update(kwargs)
    return build_head(cfg)


def test_layers_keep_0_14_keys():
    head = _head()
    assert {k: tuple(v.shape)
            for k, v in head.state_dict().items()} == {
                'fc.0.weight': (5, 6),
                'fc.0.bias': (5, ),
                'fc.2.weight': (4, 5),
                'fc.2.bias': (4, )
            }
    assert isinstance(head.fc[1], torch.nn.ReLU) and len(head.fc) == 3
    head.init_weights()


def test_soft_argmax():
    head = _head()
    logits = torch.log(torch.tensor([[0.1, 0.2, 0.3, 0.4], [1., 0., 0.,
                                                            0.]]))
    # Expected bin: 0*0.1 + 1*0.2 + 2*0.3 + 3*0.4 = 2.0; one-hot bin 0: 0.
    np.testing.assert_allclose(
        head.soft_argmax_1d(logits).numpy(), [2.0, 0.0], atol=1e-6)


def test_forward_loss_and_flip():
    head = _head()
    x = torch.rand(3, 6)
    out = head(x)
    assert out.shape == (3, 1)
    assert ((out >= 0) & (out <= 3)).all()
    target = out.detach() + torch.tensor([[1.], [0.], [-2.]])
    weight = torch.ones(3, 1)
    loss = head.get_loss(out, target, weight)['value_loss']
    assert loss.item() == pytest.approx((1 + 0 + 2) / 3, rel=1e-5)
    # A per-sample weight [N] is a column, not broadcast to [N, N].
    loss = head.get_loss(out, target, weight[:, 0])['value_loss']
    assert loss.item() == pytest.approx((1 + 0 + 2) / 3, rel=1e-5)
    with pytest.raises(ArgumentError):
        head.get_loss(out, target[:, 0], weight)
    plain = head.inference_model(x)
    np.testing.assert_allclose(plain, out.detach().numpy())
    # A mirrored image swaps the hands: the relative depth is negated
    # around the middle of the 4 bins.
    np.testing.assert_allclose(head.inference_model(x, [[0, 1]]), 4 - plain)


def test_decode():
    head = _head()
    values = np.array([[1.5], [2.0]])
    metas = [dict(image_file='a.jpg', bbox_id=3),
             dict(image_file='b.jpg', bbox_id=4)]
    result = head.decode(metas, values)
    assert result['values'] is values
    assert result['image_paths'] == ['a.jpg', 'b.jpg']
    assert result['bbox_ids'] == [3, 4]
    assert head.decode([dict(image_file='a.jpg')], values[:1])['bbox_ids'] \
        is None


def test_inference_only_head_has_no_loss():
    head = _head(loss_value=None)
    with pytest.raises(RuntimeError, match='loss'):
        head.get_loss(torch.zeros(1, 1), torch.zeros(1, 1), torch.ones(1, 1))
