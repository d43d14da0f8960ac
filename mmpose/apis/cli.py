"""Helpers shared by ``tools/train.py`` and ``tools/test.py``.

They make the two classic silent failures of config-driven tools visible: a
mistyped ``--cfg-options`` key (mmcv would just add it; we add it too, as 0.14
did, but warn on a near miss of an existing key and refuse a missing parent)
and a checkpoint that does not fit the model (a non-strict load would leave
layers at their initial weights).
"""
import contextlib
import difflib
import io
import os
import os.path as osp
import pickle
import tempfile
import warnings
import zipfile

from mmcv import DictAction
from mmcv.runner.checkpoint import _load_checkpoint

from mmpose.models.backbones.utils.pretrained import resolve_pretrained
from mmpose.utils import ArgumentError, check

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


# The first bytes of a zip archive, which torch.save has written since 1.6.
_ZIP_MAGIC = b'PK\x03\x04'


def check_checkpoint_file(filename):
    """Fail early, naming the file, on a checkpoint that cannot be read.

    A missing, empty or truncated file otherwise surfaces as ``EOFError``
    with no message or as a miniz error from deep inside ``torch.load``.
    Remote names (``http(s)://``, ``torchvision://``, ``open-mmlab://``,
    ``mmcls://``) are never downloaded: they name the file of the local
    torch hub cache, and a missing one is an error saying where to put it.

    Args:
        filename (str): Checkpoint path or remote name.

    Returns:
        str: The local file to load (``filename`` itself for a path).

    Raises:
        FileNotFoundError: The file does not exist (for a remote name: is
            not in the local cache).
        RuntimeError: The file is empty, or a zip archive (what
            ``torch.save`` writes) without its end, i.e. truncated.
    """
    if not isinstance(filename, (str, os.PathLike)):
        return filename
    if '://' in str(filename):
        filename = resolve_pretrained(str(filename))
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint file {filename} does not exist')
    size = osp.getsize(filename)
    if size == 0:
        raise RuntimeError(
            f'checkpoint file {filename} is empty (0 bytes): it was not '
            'written completely; use another checkpoint or save it again')
    with open(filename, 'rb') as f:
        head = f.read(len(_ZIP_MAGIC))
    if head == _ZIP_MAGIC and not zipfile.is_zipfile(filename):
        raise RuntimeError(
            f'checkpoint file {filename} is truncated ({size} bytes, the end '
            'of its zip archive is missing): it was not written or copied '
            'completely; use another checkpoint or save it again')
    return filename


def read_checkpoint(filename, map_location='cpu'):
    """``torch.load`` a checkpoint with errors that name the file.

    Args:
        filename (str): Checkpoint path or remote name found in the
            local cache (see :func:`check_checkpoint_file`).
        map_location (str): Where to load the tensors. Default: 'cpu'.

    Returns:
        dict: The loaded checkpoint.

    Raises:
        FileNotFoundError | RuntimeError: See :func:`check_checkpoint_file`;
            a file ``torch.load`` cannot read (e.g. a truncated legacy
            pickle) is a RuntimeError naming it.
    """
    filename = check_checkpoint_file(filename)
    try:
        return _load_checkpoint(filename, map_location)
    except (EOFError, RuntimeError, ValueError, zipfile.BadZipFile,
            pickle.UnpicklingError) as exc:
        if '://' in str(filename):
            raise
        raise RuntimeError(f'checkpoint file {filename} cannot be read, it '
                           f'is corrupt or truncated: {exc!r}') from exc


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
    checkpoint = read_checkpoint(filename, map_location)
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


# What ``mmcv.dump`` writes for ``--out``, as 0.14's tools/test.py used it.
OUT_FORMATS = ('.pkl', '.pickle', '.json')


def check_out_path(out):
    """Check ``--out`` before a test run: a known format, a writable folder.

    The folder is created if missing, as the results would need it.

    Args:
        out (str | None): The ``--out`` argument; None checks nothing.

    Raises:
        ArgumentError: Unknown extension, or a folder that cannot be created
            or written.
    """
    if out is None:
        return
    ext = osp.splitext(out)[1].lower()
    check(ext in OUT_FORMATS,
          f'--out must end with one of {", ".join(OUT_FORMATS)}; got {out}')
    folder = osp.dirname(osp.abspath(out))
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise ArgumentError(f'--out {out}: its folder {folder} cannot be '
                            f'created or written ({exc.strerror})') from exc


# Every metric name an ``evaluate`` of mmpose's datasets accepts: candidates
# for datasets that do not list theirs in ``allowed_metrics``.
KNOWN_METRICS = ('mAP', 'PCK', 'PCKh', 'tPCK', 'AUC', 'EPE', 'NME', 'mpjpe',
                 'p-mpjpe', 'n-mpjpe')


def _rejects_metric(dataset, metric, eval_kwargs):
    """Whether ``dataset.evaluate`` refuses ``metric`` by name.

    ``evaluate`` is called on no outputs in a scratch folder: the datasets
    check the metric names first and raise KeyError/ValueError saying
    "not supported"; whatever else happens on no outputs is not about the
    name.
    """
    with tempfile.TemporaryDirectory() as scratch, \
            contextlib.redirect_stdout(io.StringIO()), \
            warnings.catch_warnings():
        warnings.simplefilter('ignore')
        try:
            dataset.evaluate([], scratch, metric=metric, **eval_kwargs)
        except (KeyError, ValueError) as exc:
            return 'support' in str(exc).lower()
        except Exception:  # noqa: B902 (any other failure: name accepted)
            return False
    return False


def allowed_metrics_of(dataset, eval_kwargs=None):
    """The metric names ``dataset.evaluate`` accepts.

    Args:
        dataset (Dataset): A test dataset.
        eval_kwargs (dict, optional): Other ``evaluate`` keyword arguments.

    Returns:
        tuple[str]: Its ``allowed_metrics`` (or ``ALLOWED_METRICS``) where
        the class lists them, else those of :data:`KNOWN_METRICS` its
        ``evaluate`` does not refuse.
    """
    for attr in ('allowed_metrics', 'ALLOWED_METRICS'):
        listed = getattr(dataset, attr, None)
        if listed:
            return tuple(listed)
    eval_kwargs = dict(eval_kwargs or {})
    return tuple(name for name in KNOWN_METRICS
                 if not _rejects_metric(dataset, name, eval_kwargs))


def check_eval_metrics(dataset, metric, eval_kwargs=None):
    """Check evaluation metric names before inference runs.

    Args:
        dataset (Dataset): The test dataset.
        metric (str | list[str] | None): ``--eval`` (or the config's
            ``evaluation.metric``); None checks nothing.
        eval_kwargs (dict, optional): Other ``evaluate`` keyword arguments.

    Raises:
        KeyError: As 0.14's ``evaluate`` for an unsupported metric, here
            before the model is built, naming the allowed names.
    """
    if not metric or not hasattr(dataset, 'evaluate'):
        return
    names = [metric] if isinstance(metric, str) else list(metric)
    eval_kwargs = dict(eval_kwargs or {})
    allowed = allowed_metrics_of(dataset, eval_kwargs)
    # A name outside the list may still be one a subclass's evaluate adds.
    unknown = [
        name for name in names if name not in allowed
        and _rejects_metric(dataset, name, eval_kwargs)
    ]
    if unknown:
        allowed_text = ', '.join(allowed) if allowed else (
            'none of ' + ', '.join(KNOWN_METRICS))
        raise KeyError(
            f'--eval: {type(dataset).__name__} does not support the metric(s) '
            f'{", ".join(unknown)}; allowed: {allowed_text}')
