"""Keypoint metadata as data: one module per dataset family.

``get_dataset_meta('TopDownCocoDataset')`` (a config ``type`` name) or
``get_dataset_meta('coco')`` (a ``dataset_name``) returns that family's
:class:`DatasetMeta`. To add a family, write ``<family>.py`` in this folder
with its ``DatasetMeta`` records and a ``DATASET_TYPES`` dict (config type
name -> record); every module here that has ``DATASET_TYPES`` is read.
"""
import copy
import importlib
import pkgutil

from .meta import DatasetMeta


def _family_modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f'{__name__}.{info.name}')
        if hasattr(module, 'DATASET_TYPES'):
            yield module


def _build_lookup():
    lookup = {}
    for module in _family_modules():
        for type_name, meta in module.DATASET_TYPES.items():
            for name in (type_name, meta.dataset_name):
                if lookup.get(name, meta) is not meta:
                    raise ValueError(f'dataset name {name!r} is described '
                                     f'twice (in {module.__name__})')
                lookup[name] = meta
    return lookup


_LOOKUP = _build_lookup()


def known_dataset_names():
    """list[str]: Every name :func:`get_dataset_meta` accepts, sorted."""
    return sorted(_LOOKUP)


def get_dataset_meta(name):
    """Look up the keypoint metadata of a dataset.

    Args:
        name (str): A dataset type name as used in configs and by
            ``inference_top_down_pose_model(dataset=...)``, e.g.
            ``'TopDownCocoDataset'``, or a short dataset name such as
            ``'coco'``.

    Returns:
        DatasetMeta: A copy of the record; changing it changes nothing
        shared.
    """
    try:
        meta = _LOOKUP[name]
    except (KeyError, TypeError):
        raise KeyError(f'no dataset metadata for {name!r}; known names: '
                       f'{", ".join(known_dataset_names())}') from None
    return copy.deepcopy(meta)


__all__ = ['DatasetMeta', 'get_dataset_meta', 'known_dataset_names']
