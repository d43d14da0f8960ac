"""Load pretrained weights from local files only.

mmcv's ``load_checkpoint`` downloads ``torchvision://``, ``open-mmlab://``,
``mmcls://`` and http(s) checkpoints on demand. mmpose never downloads at run
time: such names are mapped to the file mmcv would have downloaded into the
torch hub cache (``torch.hub.get_dir()/checkpoints``) and that file is loaded
when present. Otherwise a ``FileNotFoundError`` says which file to put where,
or to pass a local path instead.
"""
import glob
import logging
import os
import os.path as osp
from urllib.parse import urlparse

import numpy as np
import torch
from mmcv.runner import load_checkpoint as mmcv_load_checkpoint
from mmcv.runner.checkpoint import (get_deprecated_model_names,
                                    get_external_models, get_mmcls_models,
                                    get_torchvision_models)

from mmpose.utils import get_root_logger

_URL_PREFIXES = ('http://', 'https://')


def numpy_safe_globals():
    """NumPy names to allow in ``torch.load(weights_only=True)``.

    mmcv checkpoints keep NumPy scalars and arrays in their ``meta`` (e.g.
    ``hook_msgs['best_score']``); PyTorch >= 2.6 refuses them by default.
    Arrays and scalars of plain dtypes are data, not code, so they are
    allowed under both their NumPy 2 and NumPy 1 module names.
    """
    multiarray = np._core.multiarray
    allowed = [np.ndarray, np.dtype]
    for obj in (multiarray.scalar, multiarray._reconstruct):
        allowed.append(obj)
        allowed.append((obj, f'numpy.core.multiarray.{obj.__name__}'))
    allowed.extend(type(np.dtype(code)) for code in '?bBhHiIlLqQefdgFDG')
    return allowed


def hub_checkpoint_dir():
    """The folder mmcv/torch would download checkpoints into."""
    return osp.join(torch.hub.get_dir(), 'checkpoints')


def _model_url(pretrained):
    """Return ``(url, fallback_glob)`` for a remote checkpoint name.

    ``fallback_glob`` matches other releases of the same torchvision weights
    (torchvision renamed some files between versions, e.g.
    ``resnet50-19c8e357.pth`` and ``resnet50-0676ba61.pth``).
    """
    if pretrained.startswith('torchvision://'):
        name = pretrained[len('torchvision://'):]
        urls = get_torchvision_models()
        if name not in urls:
            raise KeyError(f'pretrained={pretrained!r}: "{name}" is not a '
                           'torchvision model name; known names include '
                           f'{", ".join(sorted(urls)[:8])}, ...')
        return urls[name], f'{name}-*.pth'
    for prefix in ('open-mmlab://', 'openmmlab://'):
        if pretrained.startswith(prefix):
            name = pretrained[len(prefix):]
            name = get_deprecated_model_names().get(name, name)
            urls = get_external_models()
            if name not in urls:
                raise KeyError(f'pretrained={pretrained!r}: "{name}" is not '
                               'an open-mmlab model name')
            return urls[name], None
    if pretrained.startswith('mmcls://'):
        name = pretrained[len('mmcls://'):]
        urls = get_mmcls_models()
        if name not in urls:
            raise KeyError(f'pretrained={pretrained!r}: "{name}" is not an '
                           'mmcls model name')
        return urls[name], None
    if pretrained.startswith(_URL_PREFIXES):
        return pretrained, None
    return None, None


def resolve_pretrained(pretrained):
    """Map a ``pretrained`` value to a local checkpoint file.

    Args:
        pretrained (str): A local path, ``torchvision://NAME``,
            ``open-mmlab://NAME``, ``mmcls://NAME`` or an http(s) URL.

    Returns:
        str: Path of an existing local checkpoint file.

    Raises:
        FileNotFoundError: When the file is not available locally. Nothing is
            ever downloaded.
    """
    if not isinstance(pretrained, str):
        raise TypeError('pretrained must be a str (path or model name), '
                        f'but got {type(pretrained).__name__}')
    url, fallback = _model_url(pretrained)
    if url is None:
        path = osp.expanduser(pretrained)
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'pretrained checkpoint "{pretrained}" is not a file')
        return path
    if not url.startswith(_URL_PREFIXES):
        # Some open-mmlab names map to files relative to MMCV_HOME.
        mmcv_home = os.getenv(
            'MMCV_HOME',
            osp.join(os.getenv('XDG_CACHE_HOME', '~/.cache'), 'mmcv'))
        local = osp.join(osp.expanduser(mmcv_home), url)
        if osp.isfile(local):
            return local
        raise FileNotFoundError(
            f'pretrained="{pretrained}" refers to the local file "{local}", '
            'which does not exist; pass a local checkpoint path instead.')
    cache_dir = hub_checkpoint_dir()
    expected = osp.join(cache_dir, osp.basename(urlparse(url).path))
    if osp.isfile(expected):
        return expected
    if fallback is not None:
        candidates = sorted(glob.glob(osp.join(cache_dir, fallback)))
        if candidates:
            return candidates[-1]
    raise FileNotFoundError(
        f'pretrained="{pretrained}" refers to {url}, and mmpose does not '
        f'download weights. Put the file at "{expected}" (the torch hub '
        'cache, see $TORCH_HOME) or pass a local checkpoint path as '
        '`pretrained` (or set `pretrained=None` in the model config).')


def load_pretrained(module,
                    pretrained,
                    strict=False,
                    logger=None,
                    map_location='cpu'):
    """Load pretrained weights into ``module`` without downloading.

    Missing and unexpected keys are logged by mmcv's ``load_state_dict``
    (as a warning when ``strict=False``, as an error otherwise).

    Args:
        module (nn.Module): Module to load the weights into.
        pretrained (str): A local path, ``torchvision://NAME``,
            ``open-mmlab://NAME``, ``mmcls://NAME`` or an http(s) URL whose
            file is in the torch hub cache.
        strict (bool): Whether the keys must match exactly. Default: False.
        logger (logging.Logger, optional): Logger for key mismatches.
            Default: None, meaning the mmpose root logger.
        map_location (str): Where to map the loaded tensors. Default: 'cpu'.

    Returns:
        dict: The loaded checkpoint.
    """
    path = resolve_pretrained(pretrained)
    if logger is None:
        logger = get_root_logger()
    elif not isinstance(logger, logging.Logger):
        raise TypeError('logger must be a logging.Logger or None')
    with torch.serialization.safe_globals(numpy_safe_globals()):
        return mmcv_load_checkpoint(
            module,
            path,
            map_location=map_location,
            strict=strict,
            logger=logger)


def get_state_dict(filename, map_location='cpu'):
    """Read the state dict of a checkpoint without loading it into a model.

    Args:
        filename (str): Local path or model name accepted by
            :func:`resolve_pretrained`.
        map_location (str): Same as :func:`torch.load`. Default: 'cpu'.

    Returns:
        OrderedDict: The state dict, with a ``module.`` prefix (from
            DataParallel) removed.
    """
    path = resolve_pretrained(filename)
    with torch.serialization.safe_globals(numpy_safe_globals()):
        checkpoint = torch.load(path, map_location=map_location)
    if not isinstance(checkpoint, dict):
        raise RuntimeError(f'No state_dict found in checkpoint file {path}')
    state_dict = checkpoint.get('state_dict', checkpoint)
    return type(state_dict)(
        (k[len('module.'):] if k.startswith('module.') else k, v)
        for k, v in state_dict.items())


def load_checkpoint(model,
                    filename,
                    map_location='cpu',
                    strict=False,
                    logger=None):
    """Load a checkpoint into ``model`` (0.x ``backbones.utils`` helper).

    Same as :func:`load_pretrained`, kept under the 0.x name.
    """
    return load_pretrained(
        model,
        filename,
        strict=strict,
        logger=logger,
        map_location=map_location)


__all__ = [
    'hub_checkpoint_dir', 'numpy_safe_globals', 'resolve_pretrained',
    'load_pretrained', 'get_state_dict', 'load_checkpoint'
]
