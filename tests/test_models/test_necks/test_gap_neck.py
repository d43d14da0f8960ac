import pytest
import torch

from mmpose.models import build_neck
from mmpose.models.necks import GlobalAveragePooling


def test_global_average_pooling():
    neck = build_neck(dict(type='GlobalAveragePooling'))
    assert isinstance(neck, GlobalAveragePooling)
    neck.init_weights()

    x = torch.rand(1, 3, 4, 5)
    out = neck(x)
    # batch size 1 is kept (view, not squeeze)
    assert out.shape == (1, 3)
    torch.testing.assert_close(out, x.mean(dim=(2, 3)))

    xs = (torch.rand(2, 3, 4, 4), torch.rand(2, 6, 2, 2))
    outs = neck(xs)
    assert isinstance(outs, tuple)
    assert [tuple(o.shape) for o in outs] == [(2, 3), (2, 6)]
    outs = neck(list(xs))
    assert isinstance(outs, list)
    torch.testing.assert_close(outs[1], xs[1].mean(dim=(2, 3)))

    with pytest.raises(TypeError, match='GlobalAveragePooling'):
        neck({'x': x})
