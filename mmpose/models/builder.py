from torch import nn

from .registry import BACKBONES, HEADS, LOSSES, NECKS, POSENETS


def build(cfg, registry, default_args=None):
    """Build a module from a config dict, or an ``nn.Sequential`` from a list.

    Args:
        cfg (dict | list[dict]): The config of the module(s).
        registry (:obj:`Registry`): The registry to look the type up in.
        default_args (dict, optional): Default arguments. Default: None.

    Returns:
        nn.Module: The built module.
    """
    if isinstance(cfg, list):
        return nn.Sequential(
            *[registry.build(cfg_, default_args=default_args) for cfg_ in cfg])
    return registry.build(cfg, default_args=default_args)


def build_backbone(cfg):
    """Build backbone."""
    return build(cfg, BACKBONES)


def build_neck(cfg):
    """Build neck."""
    return build(cfg, NECKS)


def build_head(cfg):
    """Build head."""
    return build(cfg, HEADS)


def build_loss(cfg):
    """Build loss."""
    return build(cfg, LOSSES)


def build_posenet(cfg):
    """Build posenet."""
    return build(cfg, POSENETS)

