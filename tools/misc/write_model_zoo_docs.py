"""Write the model-zoo pages of the docs from the config files.

One page per top-level folder of ``configs/`` (``docs/model_zoo/<folder>.md``)
lists every config of that folder, grouped by the folders below it, with its
model type, backbone, head, dataset and input size as the config sets them;
``docs/model_zoo/index.md`` links the pages. Each page starts with a comment
naming this script: edit the configs (or this script) and run it again
rather than editing the pages.

Usage:
    python tools/misc/write_model_zoo_docs.py [--config-dir configs] \
        [--out-dir docs/model_zoo] [--check]

With ``--check`` nothing is written; the exit status is 1 when a page is
missing, stale or left over.
"""
import argparse
import os
import os.path as osp
import sys
from collections import defaultdict

from mmcv import Config

#: First line of every page: edits belong in the configs or in this script.
MARKER = ('<!-- Written by tools/misc/write_model_zoo_docs.py from configs/; '
          'do not edit by hand. -->')
#: Page titles of the known top-level folders (others use the folder name).
TITLES = {
    'animal': 'Animal keypoints',
    'body3d': '3D human pose (lifting)',
    'bottom_up': 'Bottom-up 2D human pose',
    'face': 'Face landmarks',
    'fashion': 'Fashion landmarks',
    'hand': 'Hand keypoints',
    'mesh': 'Human mesh recovery',
    'top_down': 'Top-down 2D human pose',
    'wholebody': 'Whole-body keypoints',
}
COLUMNS = ('config', 'model', 'backbone', 'head', 'dataset', 'input')
#: The data-preparation page of each top-level folder's datasets.
DATA_PAGES = {
    'animal': '2d_animal_keypoint',
    'body3d': '3d_body_keypoint',
    'bottom_up': '2d_body_keypoint',
    'face': '2d_face_keypoint',
    'fashion': '2d_fashion_landmark',
    'hand': '2d_hand_keypoint',
    'mesh': '3d_body_mesh',
    'top_down': '2d_body_keypoint',
    'wholebody': '2d_wholebody_keypoint',
}


def input_size(cfg):
    """The model input a config describes, as config names write it.

    Args:
        cfg (Config): A loaded config.

    Returns:
        str: ``'256x192'`` (height x width) for an image model, or
        ``'17 joints x 27 frames'`` for a lifting model; ``'-'`` when the
        config sets neither.
    """
    data_cfg = cfg.get('data_cfg', {})
    size = data_cfg.get('image_size')
    if size is None:
        if 'seq_len' in data_cfg and 'num_joints' in data_cfg:
            frames = data_cfg['seq_len']
            return (f"{data_cfg['num_joints']} joints x {frames} "
                    f"frame{'s' if frames != 1 else ''}")
        return '-'
    if isinstance(size, int):
        return f'{size}x{size}'
    return f'{size[1]}x{size[0]}'


def dataset_type(cfg):
    """The dataset a config tests on (else validates or trains on).

    Args:
        cfg (Config): A loaded config.

    Returns:
        str: The dataset type, looking through wrappers such as
        ``RepeatDataset``; ``'-'`` when the config has no data.
    """
    data = cfg.get('data') or {}
    split = data.get('test') or data.get('val') or data.get('train') or {}
    if isinstance(split, (list, tuple)):
        split = split[0] if split else {}
    while 'dataset' in split and 'type' in split['dataset']:
        split = split['dataset']
    return split.get('type', '-')


def describe(path, cfg):
    """One table row of a config.

    Args:
        path (str): The config path relative to the repository root.
        cfg (Config): The loaded config.

    Returns:
        dict: A value for each of :data:`COLUMNS`.
    """
    model = cfg.model
    backbone = model.get('backbone') or {}
    backbone_name = backbone.get('type', '-')
    if 'depth' in backbone:
        backbone_name += f"-{backbone['depth']}"
    head = model.get('keypoint_head') or model.get('mesh_head') or {}
    return {
        'config': path,
        'model': model.type,
        'backbone': backbone_name,
        'head': head.get('type', '-'),
        'dataset': dataset_type(cfg),
        'input': input_size(cfg),
    }


def collect(config_dir, load=Config.fromfile):
    """Describe every config under ``config_dir``.

    Args:
        config_dir (str): The configs folder, e.g. ``'configs'``.
        load (callable): Loads one config file (a path) into a
            :class:`mmcv.Config`. Default: ``Config.fromfile``.

    Returns:
        dict[str, dict[str, list[dict]]]: Rows by top-level folder, then by
        the folder below it (``'hrnet/coco'``), both sorted.
    """
    pages = defaultdict(lambda: defaultdict(list))
    for root, _, files in sorted(os.walk(config_dir)):
        for name in sorted(files):
            if not name.endswith('.py') or name.startswith('_'):
                continue
            file = osp.join(root, name)
            rel = osp.relpath(file, config_dir).replace(os.sep, '/')
            if '/' not in rel:
                continue
            folder, rest = rel.split('/', 1)
            group = rest.rsplit('/', 1)[0] if '/' in rest else '.'
            path = osp.join(config_dir, rel).replace(os.sep, '/')
            pages[folder][group].append(describe(path, load(file)))
    return {
        folder: dict(sorted(groups.items()))
        for folder, groups in sorted(pages.items())
    }


def _table(rows, link_prefix):
    lines = ['| ' + ' | '.join(COLUMNS) + ' |', '|' + ' --- |' * len(COLUMNS)]
    for row in rows:
        cells = [f"[`{row['config']}`]({link_prefix}{row['config']})"]
        cells += [row[column] for column in COLUMNS[1:]]
        lines.append('| ' + ' | '.join(cells) + ' |')
    return lines


def render_page(folder, groups, config_dir):
    """The markdown of one top-level folder's page.

    Args:
        folder (str): The top-level folder, e.g. ``'top_down'``.
        groups (dict[str, list[dict]]): Rows by sub-folder.
        config_dir (str): The configs folder as quoted in the page.

    Returns:
        str: The page.
    """
    count = sum(len(rows) for rows in groups.values())
    data_page = (f'../data_preparation/{DATA_PAGES[folder]}.md'
                 if folder in DATA_PAGES else '../data_preparation.md')
    lines = [
        MARKER, '', f'# {TITLES.get(folder, folder)}', '',
        f'{count} config{"s" if count != 1 else ""} in '
        f'`{config_dir}/{folder}/`. The input is the model input size, '
        'height x width as in the config names. Train one with '
        '`python tools/train.py <config>`; the data layout the configs '
        f'expect is in [data preparation]({data_page}).'
    ]
    for group, rows in groups.items():
        title = folder if group == '.' else f'{folder}/{group}'
        lines += ['', f'## {title}', '']
        lines += _table(rows, '../../')
    return '\n'.join(lines) + '\n'


def render_index(pages, config_dir):
    """The markdown of ``index.md``.

    Args:
        pages (dict): As :func:`collect` returns it.
        config_dir (str): The configs folder as quoted in the page.

    Returns:
        str: The page.
    """
    total = sum(
        len(rows) for groups in pages.values() for rows in groups.values())
    lines = [
        MARKER, '', '# Model zoo', '',
        f'Every config under `{config_dir}/` ({total} in all), one page per '
        'folder of it. Each config holds the whole recipe: model, data '
        'pipelines and paths, schedule and runtime.', '',
        '| page | configs | sub-folders |', '| --- | --- | --- |'
    ]
    for folder, groups in pages.items():
        count = sum(len(rows) for rows in groups.values())
        subs = ', '.join(f'`{group}`' for group in groups)
        lines.append(f'| [{TITLES.get(folder, folder)}]({folder}.md) | '
                     f'{count} | {subs} |')
    return '\n'.join(lines) + '\n'


def render_all(config_dir='configs', load=Config.fromfile):
    """Every page, by file name.

    Args:
        config_dir (str): The configs folder. Default: ``'configs'``.
        load (callable): Loads one config file, as in :func:`collect`.

    Returns:
        dict[str, str]: ``'index.md'`` and ``'<folder>.md'`` -> markdown.
    """
    pages = collect(config_dir, load)
    out = {'index.md': render_index(pages, config_dir)}
    for folder, groups in pages.items():
        out[f'{folder}.md'] = render_page(folder, groups, config_dir)
    return out


def _generated_pages(out_dir):
    """Names of the pages in ``out_dir`` that this script wrote."""
    if not osp.isdir(out_dir):
        return []
    names = []
    for name in sorted(os.listdir(out_dir)):
        if name.endswith('.md'):
            with open(osp.join(out_dir, name), encoding='utf-8') as f:
                if f.readline().rstrip('\n') == MARKER:
                    names.append(name)
    return names


def write_model_zoo_docs(config_dir='configs',
                         out_dir='docs/model_zoo',
                         load=Config.fromfile):
    """Write the pages into ``out_dir`` and remove generated pages whose
    folder is gone.

    Args:
        config_dir (str): The configs folder. Default: ``'configs'``.
        out_dir (str): Where the pages go. Default: ``'docs/model_zoo'``.
        load (callable): Loads one config file, as in :func:`collect`.

    Returns:
        list[str]: The paths written.
    """
    pages = render_all(config_dir, load)
    os.makedirs(out_dir, exist_ok=True)
    for name in _generated_pages(out_dir):
        if name not in pages:
            os.remove(osp.join(out_dir, name))
    written = []
    for name, text in pages.items():
        path = osp.join(out_dir, name)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
        written.append(path)
    return written


def check_model_zoo_docs(config_dir='configs', out_dir='docs/model_zoo'):
    """Compare the pages in ``out_dir`` with what the configs give.

    Args:
        config_dir (str): The configs folder. Default: ``'configs'``.
        out_dir (str): Where the pages are. Default: ``'docs/model_zoo'``.

    Returns:
        list[str]: One line per missing, stale or left-over page; empty when
        the pages are up to date.
    """
    pages = render_all(config_dir)
    problems = [
        f'{osp.join(out_dir, name)} is left over'
        for name in _generated_pages(out_dir) if name not in pages
    ]
    for name, text in pages.items():
        path = osp.join(out_dir, name)
        if not osp.isfile(path):
            problems.append(f'{path} is missing')
            continue
        with open(path, encoding='utf-8') as f:
            if f.read() != text:
                problems.append(f'{path} is stale')
    return problems


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Write the model-zoo pages of the docs from configs/.')
    parser.add_argument(
        '--config-dir', default='configs', help='the configs folder')
    parser.add_argument(
        '--out-dir', default='docs/model_zoo', help='where the pages go')
    parser.add_argument(
        '--check',
        action='store_true',
        help='write nothing; exit 1 when a page is missing or stale')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not osp.isdir(args.config_dir):
        raise FileNotFoundError(
            f'--config-dir {args.config_dir} is not a folder')
    if args.check:
        problems = check_model_zoo_docs(args.config_dir, args.out_dir)
        for line in problems:
            print(line)
        if problems:
            print('run python tools/misc/write_model_zoo_docs.py to update')
        return 1 if problems else 0
    written = write_model_zoo_docs(args.config_dir, args.out_dir)
    print(f'wrote {len(written)} pages to {args.out_dir}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
