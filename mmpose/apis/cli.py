"""Helpers shared by ``tools/train.py`` and ``tools/test.py``.

They make the two classic silent failures of config-driven tools visible: a
mistyped ``--cfg-options`` key (mmcv would just add it; we add it too, as 0.14
did, but warn on a near miss of an existing key and refuse a missing parent)
and a checkpoint that does not fit the model (a non-strict load would leave
layers at their initial weights).
"""
import difflib
import os
import warnings

from mmcv import DictAction
from mmcv.runner.checkpoint import _load_checkpoint

# Keys read with ``cfg.get`` by the tools and ``train_model``: valid to set
# from the command line even where the config file leaves them out.
OPTIONAL_TOP_LEVEL_KEYS = frozenset([
    'cudnn_benchmark', 'find_unused_parameters', 'fp16', 'gpu_ids',
    'load_from', 'log_level', 'momentum_config', 'resume_from', 'runner',
    'seed', 'total_epochs', 'work_dir', 'workflow', 'evaluation',
    'checkpoint_config', 'dist_params', 'use_adversarial_train'
])
OPTIONAL_DATA_KEYS = frozenset(
    ['train_dataloader', 'val_dataloader', 'test_dataloader'])


def add_launch_arguments(parser):
    """Add ``--cfg-options``, ``--launcher`` and ``--local_rank``."""
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        default={},
        help='override some settings in the used config, the key-value pair '
        'in xxx=yyy format will be merged into config file. For example, '
        "'--cfg-options model.backbone.depth=18 model.backbone.with_cp=True'."
        ' A new key is added (as mmcv merges it); a new key next to a '
        'similar existing one warns, and one whose parent section does not '
        'exist is an error.')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def parse_launch_args(parser, args=None):
    """Parse ``args``; a ``--local_rank`` from an old launcher reaches the
    LOCAL_RANK variable that torchrun would set."""
    args = parser.parse_args(args)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def _all_key_paths(node, prefix=''):
    """Every dotted key path of a nested dict/list config."""
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, (list, tuple)):
        items = ((str(i), v) for i, v in enumerate(node))
    else:
        return []
    paths = []
    for key, value in items:
        path = f'{prefix}{key}'
        paths.append(path)
        paths.extend(_all_key_paths(value, path + '.'))
    return paths


# How similar (difflib ratio) a new key must be to an existing sibling to be
# reported as a likely typo: 'deph'/'depth' (0.89) is, 'frozen_stages'/
# 'num_stages' (0.70) is not.
NEAR_MISS_CUTOFF = 0.82


def check_cfg_option_keys(cfg, options):
    """Check ``--cfg-options`` keys the way 0.14 users can rely on.

    As mmcv's ``merge_from_dict`` (what 0.14's tools did), a key the config
    does not have yet is added to an existing dict, e.g.
    ``model.backbone.frozen_stages=1`` or
    ``checkpoint_config.max_keep_ckpts=1``. Typo help stays where a typo is
    likely:

    - a new key that is a near miss of an existing sibling
      (``model.backbone.deph`` beside ``depth``) is still added, with a
      warning naming the sibling;
    - a key whose parent does not exist (``optimzer.lr``) or a list index out
      of range (``data.train.pipeline.5.p``) is an error naming the closest
      existing keys, except under the known optional places
      (``OPTIONAL_TOP_LEVEL_KEYS``, ``data.*_dataloader``), which are
      created;
    - a key below a scalar or None is left to mmcv's merge, which rejects it
      with its own message.

    Args:
        cfg (mmcv.Config): The loaded config.
        options (dict): ``--cfg-options`` as ``{'a.b.c': value}``.

    Raises:
        KeyError: naming the key whose parent is missing and the closest
            existing keys.
    """
    root = cfg._cfg_dict.to_dict() if hasattr(cfg, '_cfg_dict') else dict(cfg)
    for full_key in options:
        parts = full_key.split('.')
        if parts[0] in OPTIONAL_TOP_LEVEL_KEYS and parts[0] not in root:
            continue
        if (len(parts) >= 2 and parts[0] == 'data'
                and parts[1] in OPTIONAL_DATA_KEYS):
            continue
        node = root
        for depth, part in enumerate(parts):
            if isinstance(node, dict) and part in node:
                node = node[part]
                continue
            if (isinstance(node, list) and part.isdigit()
                    and int(part) < len(node)):
                node = node[int(part)]
                continue
            if not isinstance(node, (dict, list)):
                # Below a scalar or None: mmcv's merge explains that one.
                break
            prefix = '.'.join(parts[:depth])
            if isinstance(node, dict) and depth == len(parts) - 1:
                _warn_near_miss(full_key, prefix, part, node)
                break
            _raise_missing_parent(root, full_key, prefix, part)


def _warn_near_miss(full_key, prefix, part, siblings):
    # Case differences count as typos too ('Lr' for 'lr').
    lowered = {key.lower(): key for key in siblings if isinstance(key, str)}
    close = difflib.get_close_matches(
        part.lower(), list(lowered), n=1, cutoff=NEAR_MISS_CUTOFF)
    if close:
        where = f'{prefix}.' if prefix else ''
        warnings.warn(
            f'--cfg-options adds the new key "{full_key}" beside the '
            f'existing "{where}{lowered[close[0]]}": is it a typo?',
            stacklevel=3)


def _raise_missing_parent(root, full_key, prefix, part):
    all_paths = _all_key_paths(root)
    siblings = [
        p for p in all_paths
        if p.startswith(prefix) and p.count('.') == full_key.count('.')
    ]
    close = difflib.get_close_matches(
        full_key, siblings or all_paths, n=3, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(full_key, all_paths, n=3, cutoff=0.6)
    hint = f' Did you mean: {", ".join(close)}?' if close else ''
    where = f'"{prefix}"' if prefix else 'the top level'
    raise KeyError(
        f'--cfg-options key "{full_key}" does not exist in the config '
        f'("{part}" is not a key of {where}; new keys are added only to '
        f'existing sections, so set a new section in the config file).'
        f'{hint}')


def merge_cfg_options(cfg, options):
    """Check ``options`` with :func:`check_cfg_option_keys`, then merge."""
    if options:
        check_cfg_option_keys(cfg, options)
        cfg.merge_from_dict(options)
    return cfg


def _strip_prefix(state_dict, prefix='module.'):
    if all(key.startswith(prefix) for key in state_dict):
        return {key[len(prefix):]: value for key, value in state_dict.items()}
    return state_dict


def load_checkpoint_strict(model, filename, map_location='cpu', max_keys=20):
    """Load a checkpoint whose parameters must match ``model`` exactly.

    Args:
        model (nn.Module): The model to fill.
        filename (str): Checkpoint path (or URL understood by mmcv).
        map_location (str): Where to load the tensors. Default: 'cpu'.
        max_keys (int): How many keys of each kind the error lists.

    Returns:
        dict: The loaded checkpoint.

    Raises:
        RuntimeError: listing the missing, unexpected and mis-shaped keys.
    """
    checkpoint = _load_checkpoint(filename, map_location)
    if not isinstance(checkpoint, dict):
        raise RuntimeError(f'no state_dict found in checkpoint {filename}')
    state_dict = _strip_prefix(checkpoint.get('state_dict', checkpoint))
    own = model.state_dict()
    missing = [k for k in own if k not in state_dict]
    unexpected = [k for k in state_dict if k not in own]
    mis_shaped = [
        f'{k}: checkpoint {tuple(state_dict[k].shape)} vs model '
        f'{tuple(own[k].shape)}' for k in own
        if k in state_dict and hasattr(state_dict[k], 'shape')
        and tuple(state_dict[k].shape) != tuple(own[k].shape)
    ]
    if missing or unexpected or mis_shaped:
        lines = [
            f'checkpoint {filename} does not match the model '
            f'{type(model).__name__} built from the config:'
        ]
        for title, keys in (('missing keys', missing), ('unexpected keys',
                                                        unexpected),
                            ('shape mismatches', mis_shaped)):
            if keys:
                shown = ', '.join(keys[:max_keys])
                more = (f' ... and {len(keys) - max_keys} more'
                        if len(keys) > max_keys else '')
                lines.append(f'  {len(keys)} {title}: {shown}{more}')
        lines.append('  (is it the checkpoint of this config?)')
        raise RuntimeError('\n'.join(lines))
    model.load_state_dict(state_dict, strict=True)
    return checkpoint
