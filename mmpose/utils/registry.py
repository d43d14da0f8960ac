"""Registry helpers shared by every mmpose registry.

mmcv's ``build_from_cfg`` answers an unknown ``type`` with a bare ``KeyError``;
``build_from_cfg_with_hint`` keeps mmcv's behaviour and adds the registry name
and the closest registered names, so a config typo is found at a glance.
"""
import difflib

from mmcv.utils import Registry, build_from_cfg


def close_names(name, registry, n=3):
    """Return up to ``n`` registered names that look like ``name``."""
    candidates = list(registry.module_dict.keys())
    close = difflib.get_close_matches(name, candidates, n=n, cutoff=0.5)
    if not close:
        lowered = name.lower()
        close = [c for c in candidates if lowered in c.lower()][:n]
    return close


def build_from_cfg_with_hint(cfg, registry, default_args=None):
    """``mmcv.build_from_cfg`` with a helpful error for unknown types.

    Args:
        cfg (dict): Config dict; ``cfg['type']`` names the class.
        registry (:obj:`mmcv.Registry`): Registry to look the type up in.
        default_args (dict, optional): Default arguments for the class.

    Returns:
        object: The built object.
    """
    if not isinstance(cfg, dict):
        raise TypeError(f'a {registry.name} config must be a dict, '
                        f'but got {type(cfg).__name__}: {cfg!r}')
    if 'type' not in cfg and (default_args is None
                              or 'type' not in default_args):
        raise KeyError(f'the {registry.name} config {dict(cfg)!r} has no '
                       '"type" key naming the class to build')
    obj_type = cfg.get('type', None if default_args is None else
                       default_args.get('type'))
    if isinstance(obj_type, str) and registry.get(obj_type) is None:
        hint = close_names(obj_type, registry)
        hint_text = (f' Did you mean: {", ".join(hint)}?' if hint else
                     f' Registered: {", ".join(sorted(registry.module_dict))}.')
        raise KeyError(f'"{obj_type}" is not registered in the '
                       f'{registry.name} registry.{hint_text}')
    return build_from_cfg(cfg, registry, default_args)


def make_registry(name):
    """Create an mmcv ``Registry`` whose builder explains unknown types."""
    return Registry(name, build_func=build_from_cfg_with_hint)
