"""tools/misc/write_model_zoo_docs.py: the committed model-zoo pages are
what the configs give, and the table rows say what a config sets."""
import os

from docs_quotes import REPO
from tools.misc.write_model_zoo_docs import (MARKER, check_model_zoo_docs,
                                             main, write_model_zoo_docs)

TINY_CONFIG = """
model = dict(
    type='TopDown',
    backbone=dict(type='ResNet', depth=18),
    keypoint_head=dict(type='TopDownSimpleHead', in_channels=512,
                       out_channels=17))
data_cfg = dict(image_size=[96, 128], heatmap_size=[24, 32], num_joints=17)
data = dict(test=dict(type='TopDownCocoDataset', ann_file='a.json'))
"""
LIFTER_CONFIG = """
model = dict(type='PoseLifter', backbone=dict(type='TCN', in_channels=34),
             keypoint_head=dict(type='TemporalRegressionHead'))
data_cfg = dict(num_joints=17, seq_len=27)
data = dict(test=dict(type='Body3DH36MDataset'))
"""


def test_dataset_type_of_wrapped_and_partial_configs():
    from mmcv import Config

    from tools.misc.write_model_zoo_docs import dataset_type
    repeat = dict(
        type='RepeatDataset', times=2, dataset=dict(type='TopDownMpiiDataset'))
    assert dataset_type(Config(dict(data=dict(train=repeat)))) == \
        'TopDownMpiiDataset'
    assert dataset_type(
        Config(
            dict(data=dict(val=dict(type='A'), train=dict(type='B'))))) == 'A'
    assert dataset_type(Config(dict(model=dict(type='TopDown')))) == '-'


def test_committed_pages_are_up_to_date(model_zoo_pages):
    folder = REPO / 'docs' / 'model_zoo'
    committed = {file.name: file.read_text() for file in folder.glob('*.md')}
    assert sorted(committed) == sorted(model_zoo_pages)
    stale = [
        name for name, text in model_zoo_pages.items()
        if committed[name] != text
    ]
    assert not stale, (f'{stale} differ from what the configs give: run '
                       'python tools/misc/write_model_zoo_docs.py')


def test_every_config_has_a_row(model_zoo_pages, zoo_configs):
    text = ''.join(model_zoo_pages.values())
    missing = [path for path in zoo_configs if f'[`{path}`]' not in text]
    assert not missing
    # one page per top-level folder, plus the index
    folders = {path.split('/')[1] for path in zoo_configs}
    assert set(model_zoo_pages) == {f'{f}.md' for f in folders} | {'index.md'}


def _write_tiny_configs(tmp_path):
    (tmp_path / 'configs' / 'top_down' / 'resnet' / 'coco').mkdir(parents=True)
    (tmp_path / 'configs' / 'body3d' / 'tcn').mkdir(parents=True)
    (tmp_path / 'configs' / 'top_down' / 'resnet' / 'coco' /
     'res18_coco_128x96.py').write_text(TINY_CONFIG)
    (tmp_path / 'configs' / 'body3d' / 'tcn' /
     'tcn_h36m.py').write_text(LIFTER_CONFIG)


def test_rows_of_hand_written_configs(tmp_path, monkeypatch):
    _write_tiny_configs(tmp_path)
    monkeypatch.chdir(tmp_path)
    written = write_model_zoo_docs('configs', 'out')
    assert sorted(os.path.basename(p) for p in written) == [
        'body3d.md', 'index.md', 'top_down.md'
    ]
    top_down = (tmp_path / 'out' / 'top_down.md').read_text()
    assert top_down.startswith(MARKER + '\n')
    row = ('| [`configs/top_down/resnet/coco/res18_coco_128x96.py`]'
           '(../../configs/top_down/resnet/coco/res18_coco_128x96.py) | '
           'TopDown | ResNet-18 | TopDownSimpleHead | TopDownCocoDataset | '
           '128x96 |')
    assert row in top_down.splitlines()
    assert '## top_down/resnet/coco' in top_down
    body3d = (tmp_path / 'out' / 'body3d.md').read_text()
    assert ('| PoseLifter | TCN | TemporalRegressionHead | Body3DH36MDataset '
            '| 17 joints x 27 frames |') in body3d
    index = (tmp_path / 'out' / 'index.md').read_text()
    assert '(2 in all)' in index
    assert '| [Top-down 2D human pose](top_down.md) | 1 | `resnet/coco` |' \
        in index.splitlines()


def test_check_and_left_over_pages(tmp_path, monkeypatch, capsys):
    _write_tiny_configs(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(['--out-dir', 'out', '--check']) == 1
    assert 'out/index.md is missing' in capsys.readouterr().out
    assert main(['--out-dir', 'out']) == 0
    assert check_model_zoo_docs('configs', 'out') == []
    # a page of a removed folder goes; a hand-written page stays
    (tmp_path / 'out' / 'mesh.md').write_text(MARKER + '\n# old\n')
    (tmp_path / 'out' / 'notes.md').write_text('# mine\n')
    (tmp_path / 'out' / 'top_down.md').write_text(MARKER + '\n# edited\n')
    problems = check_model_zoo_docs('configs', 'out')
    assert sorted(problems) == [
        os.path.join('out', 'mesh.md') + ' is left over',
        os.path.join('out', 'top_down.md') + ' is stale'
    ]
    main(['--out-dir', 'out'])
    assert sorted(p.name for p in (tmp_path / 'out').iterdir()) == [
        'body3d.md', 'index.md', 'notes.md', 'top_down.md'
    ]
