import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _load(rel_path):
    spec = importlib.util.spec_from_file_location(
        Path(rel_path).stem, REPO / rel_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write_log(path):
    lines = [dict(env_info='x', seed=0)]
    for epoch in (1, 2):
        for it, t in zip((10, 20), (5.0, 0.5 * epoch)):
            lines.append(
                dict(mode='train', epoch=epoch, iter=it, lr=0.1,
                     time=t, loss=1.0 / (epoch * it)))
        lines.append(dict(mode='val', epoch=epoch, iter=20, AP=0.3 * epoch))
    path.write_text('\n'.join(json.dumps(r) for r in lines) + '\n')


def test_cal_train_time_skips_first_iter(tmp_path, capsys):
    tool = _load('tools/analysis/analyze_logs.py')
    log = tmp_path / 'run.log.json'
    _write_log(log)
    (result, ) = tool.main(['cal_train_time', str(log)])
    # epoch 1 keeps 0.5 s, epoch 2 keeps 1.0 s (the 5 s first iters dropped)
    assert result['slowest'] == (2, 1.0) and result['fastest'] == (1, 0.5)
    assert result['mean'] == pytest.approx(0.75)
    (with_outliers, ) = tool.main(
        ['cal_train_time', str(log), '--include-outliers'])
    assert with_outliers['mean'] == pytest.approx((2.75 + 3.0) / 2)
    assert 'average iter time' in capsys.readouterr().out


def test_plot_curve_writes_png(tmp_path):
    tool = _load('tools/analysis/analyze_logs.py')
    log = tmp_path / 'run.log.json'
    _write_log(log)
    out = tmp_path / 'curve.png'
    tool.main(['plot_curve', str(log), '--keys', 'loss', 'AP', '--out',
               str(out)])
    assert out.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    with pytest.raises(KeyError, match='acc_pose'):
        tool.main(['plot_curve', str(log), '--keys', 'acc_pose', '--out',
                   str(out)])


def test_load_json_logs_errors(tmp_path):
    tool = _load('tools/analysis/analyze_logs.py')
    with pytest.raises(FileNotFoundError, match='missing.log.json'):
        tool.load_json_logs([str(tmp_path / 'missing.log.json')])
    bad = tmp_path / 'bad.log.json'
    bad.write_text('{"epoch": 1}\nnot json\n')
    with pytest.raises(ValueError, match='bad.log.json:2'):
        tool.load_json_logs([str(bad)])


def test_print_config(tmp_path):
    import subprocess
    cfg = tmp_path / 'cfg.py'
    cfg.write_text('model = dict(type="TopDown", depth=18)\n')
    out = subprocess.run([
        sys.executable,
        str(REPO / 'tools/analysis/print_config.py'),
        str(cfg), '--cfg-options', 'model.depth=50'
    ], capture_output=True, text=True, check=True).stdout
    assert "depth=50" in out and "type='TopDown'" in out
