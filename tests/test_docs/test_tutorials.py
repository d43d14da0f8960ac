"""The code blocks of docs/tutorials/1_new_dataset.md, 2_new_model.md and
3_new_pipeline.md marked ``<!-- test: NAME -->`` run as written.

A tutorial's blocks run in page order in one namespace; the classes they
register are removed again afterwards. Metadata modules (the ``meta`` block
of the dataset tutorial) are written into a temporary folder that is added
to ``mmpose.core.dataset_meta``'s package path, so they are found the way a
new module of that folder is.
"""
import re
import sys
import tempfile

import pytest

import mmpose.core.dataset_meta as dataset_meta
from docs_quotes import REPO
from state_guard import all_registries

TUTORIALS = REPO / 'docs' / 'tutorials'


def marked_blocks(page):
    """The marked python blocks of a page.

    Args:
        page (Path): A markdown page.

    Returns:
        list[tuple[str, str]]: (name, code) in page order.
    """
    return re.findall(r'<!-- test: ([\w-]+) -->\n```python\n(.*?)\n```',
                      page.read_text(), re.S)


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """Run blocks in ``tmp_path`` (also as the temp folder) and remove the
    classes they register afterwards."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, 'tempdir', str(tmp_path))
    before = [(r, set(r.module_dict)) for r in all_registries()]
    modules = set(sys.modules)
    yield tmp_path
    for registry, names in before:
        for name in set(registry.module_dict) - names:
            if registry.module_dict[name].__module__.startswith('tutorial'):
                del registry.module_dict[name]
    for name in set(sys.modules) - modules:
        if name.startswith(('tutorial', dataset_meta.__name__ + '.')):
            del sys.modules[name]


def run_blocks(blocks, namespace):
    for name, code in blocks:
        exec(compile(code, f'<tutorial block {name}>', 'exec'), namespace)


def install_meta_module(code, folder, monkeypatch):
    """Make ``code`` a module of ``mmpose.core.dataset_meta`` (as a new file
    in that folder would be) and rebuild the lookup."""
    meta_dir = folder / 'dataset_meta_extra'
    meta_dir.mkdir()
    (meta_dir / 'tutorial_meta.py').write_text(code)
    monkeypatch.setattr(dataset_meta, '__path__',
                        list(dataset_meta.__path__) + [str(meta_dir)])
    monkeypatch.setattr(dataset_meta, '_LOOKUP', dataset_meta._build_lookup())


def test_every_tutorial_has_marked_blocks():
    for name in ('1_new_dataset.md', '2_new_model.md', '3_new_pipeline.md'):
        assert marked_blocks(TUTORIALS / name), name


def test_new_dataset_tutorial(sandbox, monkeypatch, capsys):
    blocks = dict(marked_blocks(TUTORIALS / '1_new_dataset.md'))
    assert list(blocks) == ['meta', 'dataset', 'usage']
    install_meta_module(blocks['meta'], sandbox, monkeypatch)
    meta = dataset_meta.get_dataset_meta('Face5Dataset')
    assert meta.dataset_name == 'face5' and meta.num_keypoints == 5
    assert meta.flip_index == [1, 0, 2, 4, 3]
    namespace = {'__name__': 'tutorial_dataset'}
    run_blocks([('dataset', blocks['dataset']), ('usage', blocks['usage'])],
               namespace)
    # the block's own asserts ran; check the values it printed by hand:
    # two faces, and an NME of 0 for perfect predictions
    out = capsys.readouterr().out
    assert "2 (3, 96, 96) (5, 24, 24)" in out
    assert namespace['results']['NME'] == 0
    # the class's interocular_ids normalise by the eye distance: face 1 has
    # its eyes 40 px apart, so moving its nose 4 px gives an error of 0.1
    # on one of ten keypoints
    outputs = namespace['outputs']
    outputs[0]['preds'][0, 2, 0] += 4
    results = namespace['dataset'].evaluate(outputs, str(sandbox), 'NME')
    assert results['NME'] == pytest.approx(0.01)


def test_new_model_tutorial(sandbox, capsys):
    blocks = marked_blocks(TUTORIALS / '2_new_model.md')
    assert [name
            for name, _ in blocks] == ['backbone', 'head', 'loss', 'usage']
    namespace = {'__name__': 'tutorial_model'}
    run_blocks(blocks, namespace)
    assert "['acc_pose', 'mse_loss']" in capsys.readouterr().out
    torch = namespace['torch']
    # the backbone halves the size per stage and freezes what it is told
    backbone = namespace['TinyNet'](stage_channels=(8, 8, 8), frozen_stages=2)
    backbone.train()
    assert backbone(torch.rand(1, 3, 32, 24)).shape == (1, 8, 4, 3)
    assert not any(p.requires_grad for p in backbone.stages[:2].parameters())
    assert all(p.requires_grad for p in backbone.stages[2].parameters())
    with pytest.raises(AssertionError):
        namespace['TinyNet'](stage_channels=(8, ), frozen_stages=2)
    # the loss: |1 - 0| on half the keypoints, weights 1 and 0
    loss = namespace['JointsL1Loss'](use_target_weight=True)
    output = torch.ones(1, 2, 2, 2)
    value = loss(output, torch.zeros(1, 2, 2, 2), torch.tensor([[[1.], [0.]]]))
    assert value.item() == pytest.approx(0.5)


def test_new_pipeline_tutorial(sandbox, capsys):
    blocks = marked_blocks(TUTORIALS / '3_new_pipeline.md')
    assert [name for name, _ in blocks] == ['step', 'usage']
    namespace = {'__name__': 'tutorial_pipeline'}
    run_blocks(blocks, namespace)
    assert '(3, 64, 48)' in capsys.readouterr().out
    # the crop's centre is the saved red (200, 0, 0): grey 0.299 * 200
    # = 59.8 -> 60 in every channel (JPEG may move it a little), over 255
    img = namespace['img'].numpy()
    assert img[:, 32, 24] == pytest.approx([60 / 255] * 3, abs=3 / 255)
    # by hand: (10, 20, 30) -> 2.99 + 11.74 + 3.42 = 18.15 -> 18
    step = namespace['RandomGrayscale'](prob=1.0)
    pixel = namespace['np'].array([[[10, 20, 30]]], dtype='uint8')
    results = {'img': pixel}
    assert step(results)['img'].tolist() == [[[18, 18, 18]]]
    assert pixel.tolist() == [[[10, 20, 30]]]  # the input array is intact
    assert namespace['RandomGrayscale'](prob=0.0)({
        'img': pixel
    })['img'] is pixel
    with pytest.raises(ValueError):
        namespace['RandomGrayscale'](prob=1.5)
