"""The docs checker itself (docs_quotes.py): each kind of broken quote is
reported, placeholders and run outputs are not."""
from docs_quotes import REPO, DocsChecker, heading_anchors, shell_commands

CONFIG_PATHS = {
    'data/coco', 'data/coco/annotations/person_keypoints_val2017.json',
    'data/coco/val2017', 'data/mpii/images', 'models/smpl',
    'models/smpl/smpl_mean_params.npz'
}


def problems_of(text):
    page = REPO / 'docs' / 'page_under_test.md'
    return DocsChecker(CONFIG_PATHS).check_page(page, text)


def test_good_quotes_pass():
    text = '\n'.join([
        '# Title', '', '## InterHand2.6M (2D)', '',
        'See [the architecture](architecture.md#codecs-corecodecs), '
        '[this section](#interhand26m-2d) and [mmcv](https://x.org/a.md).',
        'Run `python tools/train.py configs/top_down/resnet/coco/'
        'res50_coco_256x192.py --work-dir work_dirs/x --seed 0` or '
        '`make test`; read `tools/mat2json.py`, `data/coco/val2017/1.jpg`,'
        ' `models/backbones/hrnet.py`, `codecs/base.py` and '
        '`work_dirs/anything/latest.pth`.',
        'Placeholders: `python tools/<name>.py --anything`, `data/<x>/y`,'
        ' `${CONFIG}`.', '', '```bash',
        'python tools/test.py ${CONFIG} ${CKPT} \\', '    --eval mAP  # eval',
        'PYTHONPATH=. python tools/train.py cfg.py --gpus 1 && make demo',
        '```', '', '```text', 'data', '├── coco', '│   ├── annotations',
        '│   │   └── person_keypoints_val2017.json', '│   └── val2017',
        '│       ├── 000000000139.jpg', '│       └── ...', '└── mpii',
        '    └── images', '```', '', '```python',
        "cfg = 'configs/top_down/resnet/coco/res50_coco_256x192.py'", '```'
    ])
    problems, tree = problems_of(text)
    assert problems == []
    assert tree == {
        'data/coco', 'data/coco/annotations',
        'data/coco/annotations/person_keypoints_val2017.json',
        'data/coco/val2017', 'data/coco/val2017/000000000139.jpg', 'data/mpii',
        'data/mpii/images'
    }


def test_each_broken_quote_is_reported():
    text = '\n'.join([
        '# Title', '', '[gone](no_such_page.md) [bad anchor](#nowhere)',
        '`python tools/train.py cfg.py --no-such-flag`',
        '`python tools/no_such_tool.py`', '`make no-such-target`',
        '`configs/top_down/no_such.py`', '`data/cocoo/annotations/a.json`',
        '`data/mpii/annotations/x.json`', '`codecs/no_such_codec.py`', '',
        '```bash', 'bash tools/no_such.sh', '```', '', '```text', 'data',
        '└── mpii', '    └── annotation', '        └── x.json', '```',
        '```python', "open('tools/missing.py')", '```'
    ])
    problems, _ = problems_of(text)
    expected = [
        'link no_such_page.md does not exist', 'no heading #nowhere',
        'tools/train.py has no option --no-such-flag',
        'tools/no_such_tool.py does not exist',
        'make no-such-target: no such target',
        'configs/top_down/no_such.py does not exist',
        'data/cocoo/annotations/a.json is not a path the configs use',
        'data/mpii/annotations/x.json is not a path the configs use',
        'tools/no_such.sh does not exist',
        'tree entry data/mpii/annotation/x.json is not a path',
        'tools/missing.py does not exist',
        'codecs/no_such_codec.py is in no codecs/ folder of mmpose/'
    ]
    for message in expected:
        assert any(message in p for p in problems), (message, problems)
    assert all(p.startswith('docs/page_under_test.md: ') for p in problems)


def test_shell_commands_and_anchors():
    assert shell_commands(
        '$ make test && python a.py --x 1 \\\n  --y # c\n'
        '# only a comment') == [['make', 'test'],
                                ['python', 'a.py', '--x', '1', '--y']]
    assert heading_anchors(
        '# A `b` C\n```\n# not a heading\n```\n'
        '## InterHand2.6M (2D)\n') == {'a-b-c', 'interhand26m-2d'}


def test_sub_command_options_count():
    import argparse

    from docs_quotes import _all_options
    parser = argparse.ArgumentParser()
    parser.add_argument('--top')
    sub = parser.add_subparsers().add_parser('plot_curve')
    sub.add_argument('--keys')
    assert {'--top', '--keys', '-h', '--help'} == _all_options(parser)
