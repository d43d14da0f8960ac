"""Write the model-zoo config files from their resolved settings.

The resolved settings of every MMPose 0.14 model-zoo config live in
``shared/model-zoo/configs.json`` (path -> config dict). This script writes
each one as a plain Python config under ``configs/<path>``, in the familiar
MMPose layout: runtime and schedule first, then the model, the data settings
and the pipelines, with ``data`` referring to ``data_cfg``, the pipelines and
``data_root`` by name where the values are the same. Each file starts with a
comment naming this script, so edits go here (or into the settings) rather
than into the generated file.

Usage:
    python tools/misc/write_zoo_configs.py ../shared/model-zoo/configs.json \
        [--out configs] [--prefix top_down/resnet/coco/]
"""
import argparse
import json
import keyword
import os

ORDER = [
    'log_level', 'load_from', 'resume_from', 'dist_params', 'workflow',
    'checkpoint_config', 'evaluation', 'optimizer', 'optimizer_config',
    'lr_config', 'total_epochs', 'log_config', 'fp16', 'target_type',
    'channel_cfg', 'img_res', 'use_adversarial_train', 'model', 'data_cfg',
    'train_pipeline', 'train_adv_pipeline', 'val_pipeline', 'test_pipeline',
    'data_root', 'data'
]
WIDTH = 79
# First line of every written file: edits belong in the script or the settings.
HEADER = '# Written by tools/misc/write_zoo_configs.py from model-zoo settings.'


class Ref:
    """A name written as is (a reference to an earlier variable)."""

    def __init__(self, text):
        self.text = text


def is_name(key):
    return (isinstance(key, str) and key.isidentifier()
            and not keyword.iskeyword(key))


def flat(value):
    """One-line source of ``value``."""
    if isinstance(value, Ref):
        return value.text
    if isinstance(value, dict):
        if all(is_name(k) for k in value):
            return 'dict(' + ', '.join(f'{k}={flat(v)}'
                                       for k, v in value.items()) + ')'
        return '{' + ', '.join(f'{k!r}: {flat(v)}'
                               for k, v in value.items()) + '}'
    if isinstance(value, list):
        return '[' + ', '.join(flat(v) for v in value) + ']'
    if isinstance(value, tuple):
        inner = ', '.join(flat(v) for v in value)
        return f'({inner},)' if len(value) == 1 else f'({inner})'
    return repr(value)


def render(value, base, col):
    """Source of ``value``: ``base`` is the indent of its first line and
    ``col`` the column it starts at; wrapped at WIDTH."""
    one_line = flat(value)
    if col + len(one_line) <= WIDTH or not isinstance(
            value, (dict, list, tuple)):
        return one_line
    pad = ' ' * (base + 4)
    if isinstance(value, dict):
        if all(is_name(k) for k in value):
            items = [
                f'{pad}{k}=' + render(v, base + 4, base + 5 + len(k))
                for k, v in value.items()
            ]
            return 'dict(\n' + ',\n'.join(items) + ')'
        items = [
            f'{pad}{k!r}: ' + render(v, base + 4, base + 6 + len(repr(k)))
            for k, v in value.items()
        ]
        return '{\n' + ',\n'.join(items) + '\n' + ' ' * base + '}'
    open_, close = ('[', ']') if isinstance(value, list) else ('(', ')')
    if all(not isinstance(v, (dict, list, tuple)) for v in value):
        # pack scalars several to a line
        lines, cur = [], ''
        for v in value:
            piece = flat(v) + ','
            if cur and len(pad) + len(cur) + 1 + len(piece) > WIDTH:
                lines.append(pad + cur)
                cur = piece
            else:
                cur = f'{cur} {piece}' if cur else piece
        lines.append(pad + cur)
        return open_ + '\n' + '\n'.join(lines) + '\n' + ' ' * base + close
    items = [pad + render(v, base + 4, base + 4) for v in value]
    return open_ + '\n' + ',\n'.join(items) + ',\n' + ' ' * base + close


def type_first(value):
    """Put ``type`` first in every dict, as MMPose configs read."""
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda kv: kv[0] != 'type')
        return {k: type_first(v) for k, v in items}
    if isinstance(value, list):
        return [type_first(v) for v in value]
    return value


def with_references(cfg):
    """Replace repeated values inside ``data`` by the top-level names."""
    cfg = type_first(json.loads(json.dumps(cfg)))
    if 'workflow' in cfg:
        cfg['workflow'] = [tuple(w) for w in cfg['workflow']]
    data = cfg.get('data', {})
    data_root = cfg.get('data_root')
    for split in ('train', 'val', 'test'):
        sub = data.get(split)
        if not isinstance(sub, dict):
            continue
        if sub.get('data_cfg') == cfg.get('data_cfg'):
            sub['data_cfg'] = Ref('data_cfg')
        for name in ('train_pipeline', 'val_pipeline', 'test_pipeline'):
            if sub.get('pipeline') == cfg.get(name) and (
                    name.startswith(split) or split == 'test'
                    and name == 'val_pipeline'):
                sub['pipeline'] = Ref(name)
                break
        for key in ('ann_file', 'img_prefix'):
            val = sub.get(key)
            if data_root and isinstance(val, str) and val.startswith(
                    data_root + '/'):
                sub[key] = Ref(
                    "f'{data_root}" + val[len(data_root):] + "'")
    if cfg.get('test_pipeline') == cfg.get('val_pipeline'):
        cfg['test_pipeline'] = Ref('val_pipeline')
    return cfg


def config_source(cfg):
    cfg = with_references(cfg)
    keys = [k for k in ORDER if k in cfg] + sorted(
        k for k in cfg if k not in ORDER)
    lines = [HEADER]
    for key in keys:
        lines.append(f'{key} = ' + render(cfg[key], 0, len(key) + 3))
    return '\n'.join(lines) + '\n'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('zoo', help='path of configs.json')
    parser.add_argument('--out', default='configs')
    parser.add_argument('--prefix', default='', help='only these paths')
    args = parser.parse_args()
    with open(args.zoo) as f:
        configs = json.load(f)['configs']
    written = 0
    for path, cfg in sorted(configs.items()):
        if not path.startswith(args.prefix):
            continue
        dst = os.path.join(args.out, path)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, 'w') as f:
            f.write(config_source(cfg))
        written += 1
    print(f'wrote {written} configs under {args.out}')


if __name__ == '__main__':
    main()
