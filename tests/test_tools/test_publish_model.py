"""tools/publish_model.py: 0.14's ``NAME-<sha8>_<YYYYMMDD>.pth`` files."""
import datetime
import hashlib
import re
from pathlib import Path

import pytest
import torch

from tools import publish_model as tool


def _today():
    return datetime.date.today().strftime('%Y%m%d')


def _training_checkpoint(path):
    torch.save(
        dict(
            state_dict=dict(w=torch.arange(4.)),
            optimizer=dict(state=dict(big=torch.zeros(1000))),
            meta=dict(epoch=3, mmpose_version='0.14.0'),
            message_hub='kept'), path)


@pytest.mark.parametrize('out_name', ['res50_coco.pth', 'res50_coco'])
def test_publish_name_hash_and_date(tmp_path, out_name):
    src = tmp_path / 'latest.pth'
    _training_checkpoint(src)
    before = _today()
    published = Path(
        tool.process_checkpoint(str(src), str(tmp_path / out_name)))
    after = _today()
    match = re.fullmatch(r'res50_coco-([0-9a-f]{8})_(\d{8})\.pth',
                         published.name)
    assert match, published.name
    assert match.group(1) == hashlib.sha256(
        published.read_bytes()).hexdigest()[:8]
    # A run across midnight may take either date.
    assert match.group(2) in {before, after}
    assert published.parent == tmp_path
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ['latest.pth', published.name])


def test_publish_drops_only_the_optimizer(tmp_path):
    src = tmp_path / 'epoch_3.pth'
    _training_checkpoint(src)
    published = tool.process_checkpoint(str(src), str(tmp_path / 'm.pth'))
    loaded = torch.load(published, weights_only=False)
    assert set(loaded) == {'state_dict', 'meta', 'message_hub'}
    assert torch.equal(loaded['state_dict']['w'], torch.tensor([0., 1, 2, 3]))
    assert loaded['meta'] == dict(epoch=3, mmpose_version='0.14.0')
    # the input is left as it was
    assert 'optimizer' in torch.load(src, weights_only=False)


def test_publish_cli_prints_the_path(tmp_path, capsys):
    src = tmp_path / 'latest.pth'
    _training_checkpoint(src)
    tool.main([str(src), str(tmp_path / 'cli.pth')])
    printed = Path(capsys.readouterr().out.strip())
    assert printed.is_file()
    assert re.fullmatch(r'cli-[0-9a-f]{8}_\d{8}\.pth', printed.name)


def test_publish_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        tool.process_checkpoint(str(tmp_path / 'nope.pth'), 'x.pth')
    bad = tmp_path / 'tensor.pth'
    torch.save(torch.zeros(2), bad)
    with pytest.raises(TypeError, match='tensor.pth'):
        tool.process_checkpoint(str(bad), str(tmp_path / 'x.pth'))
    assert not list(tmp_path.glob('x*'))
