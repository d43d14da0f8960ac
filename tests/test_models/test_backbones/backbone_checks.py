"""Behaviour checks shared by the backbone tests.

pytest puts this folder on ``sys.path`` for the test modules beside it, so
they use ``from backbone_checks import ...``.
"""
import torch
from torch.nn.modules.batchnorm import _BatchNorm


def flatten_outputs(outputs):
    """Flatten nested lists/tuples of tensors into a flat list."""
    if isinstance(outputs, torch.Tensor):
        return [outputs]
    flat = []
    for item in outputs:
        flat.extend(flatten_outputs(item))
    return flat


def output_shapes(outputs):
    """Shapes of (nested) outputs, nesting kept, as tuples of ints."""
    if isinstance(outputs, torch.Tensor):
        return tuple(outputs.shape)
    return [output_shapes(item) for item in outputs]


def all_frozen(module):
    """Whether ``module`` is in eval mode with no trainable parameter."""
    return (not module.training
            and all(not p.requires_grad for p in module.parameters()))


def norms_in_eval(module):
    """Whether every BN-like layer of ``module`` is in eval mode."""
    norms = [m for m in module.modules() if isinstance(m, _BatchNorm)]
    assert norms, 'the module has no BN layer to check'
    return all(not m.training for m in norms)


def assert_init_from_checkpoint(build, tmp_path):
    """``init_weights(path)`` loads every tensor of a saved checkpoint.

    Args:
        build (callable): Returns a freshly built backbone.
        tmp_path (pathlib.Path): Folder to write the checkpoint into.
    """
    torch.manual_seed(1)
    source = build()
    with torch.no_grad():
        for param in source.parameters():
            param.uniform_(-1, 1)
    path = tmp_path / 'backbone.pth'
    torch.save({'state_dict': source.state_dict()}, str(path))

    target = build()
    target.init_weights(pretrained=str(path))
    loaded = target.state_dict()
    for name, value in source.state_dict().items():
        assert torch.equal(loaded[name], value), name


def assert_with_cp_matches(build, inputs):
    """``with_cp=True`` gives the same outputs and gradients as without.

    Args:
        build (callable): ``build(with_cp=bool)`` returns a backbone.
        inputs (torch.Tensor): A small input batch.
    """
    torch.manual_seed(0)
    plain = build(with_cp=False)
    checkpointed = build(with_cp=True)
    checkpointed.load_state_dict(plain.state_dict())
    plain.train()
    checkpointed.train()

    results = []
    for model in (plain, checkpointed):
        x = inputs.clone().requires_grad_(True)
        outs = flatten_outputs(model(x))
        sum(out.square().mean() for out in outs).backward()
        grads = {
            name: p.grad.clone()
            for name, p in model.named_parameters() if p.grad is not None
        }
        results.append((outs, x.grad.clone(), grads))

    (outs_a, xgrad_a, grads_a), (outs_b, xgrad_b, grads_b) = results
    assert len(outs_a) == len(outs_b)
    for a, b in zip(outs_a, outs_b):
        torch.testing.assert_close(a, b)
    torch.testing.assert_close(xgrad_a, xgrad_b)
    assert grads_a.keys() == grads_b.keys() and grads_a
    for name in grads_a:
        torch.testing.assert_close(grads_a[name], grads_b[name])


def assert_resnet_style_freezing(build):
    """``frozen_stages=1`` freezes the stem and layer1 of a ResNet-style
    backbone; ``norm_eval`` keeps every BN in eval mode.

    Args:
        build (callable): ``build(**kwargs)`` returns a backbone with
            ``conv1``/``norm1``/``layer1``/``layer2``.
    """
    model = build(frozen_stages=1, norm_eval=True)
    model.train()
    assert all_frozen(model.layer1)
    assert not model.conv1.weight.requires_grad and not model.norm1.training
    assert model.layer2.training
    assert all(p.requires_grad for p in model.layer2.parameters())
    assert norms_in_eval(model)

    model = build()
    model.train()
    assert not norms_in_eval(model)
