"""tools/benchmark_inference.py's video mode: the top-down demo loop timed
apart from the network's forward passes."""
import importlib.util
import time

import mmcv
import pytest
import torch
from mmcv import Config
from torch import nn

from demo_fixtures import REPO


def _tool():
    spec = importlib.util.spec_from_file_location(
        'benchmark_inference', REPO / 'tools' / 'benchmark_inference.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Sleep(nn.Module):

    def __init__(self, seconds):
        super().__init__()
        self.seconds = seconds

    def forward(self, x):
        time.sleep(self.seconds)
        return x


class _Head(nn.Module):

    def __init__(self):
        super().__init__()
        self.final_layer = _Sleep(0.01)

    def forward(self, x):
        return self.final_layer(x)

    def inference_model(self, x):
        # As mmpose's heads: forward called directly, not through __call__.
        return self.forward(x)


class _ToyTopDown(nn.Module):
    """Two network passes (as flip test), each followed by a slow
    'decoding' step that is not part of the network."""

    def __init__(self):
        super().__init__()
        self.backbone = _Sleep(0.01)
        self.keypoint_head = _Head()

    def forward(self, x):
        for _ in range(2):
            self.keypoint_head.inference_model(self.backbone(x))
            time.sleep(0.2)
        return x


def test_network_timer_counts_only_the_passes():
    tool = _tool()
    model = _ToyTopDown()
    timer = tool.NetworkTimer(model)
    model(torch.zeros(3, 1))
    seconds = timer.take()
    # 2 passes of 10 + 10 ms; a decoding step counted would add 200 ms.
    assert 0.04 <= seconds < 0.2
    assert timer.batch_sizes == [3, 3]
    assert timer.take() == 0
    timer.remove()
    model(torch.zeros(2, 1))
    assert timer.take() == 0 and timer.batch_sizes == [3, 3]


def test_benchmark_video_on_a_generated_clip(tmp_path, pose_files, capsys):
    tool = _tool()
    video, det_file = tool.synthetic_clip(str(tmp_path), size=(96, 128),
                                          persons=2, frames=4)
    out_video = str(tmp_path / 'vis.mp4')
    result = tool.benchmark_video(
        Config.fromfile(pose_files[0]), video, det_file, pose_files[1],
        iters=3, warmup=1, device='cpu', out_video=out_video)
    assert result['frames'] == 3 and result['persons'] == 2
    # All persons of a frame in one batch, one pass (no flip test).
    assert result['batch_sizes'] == [2, 2, 2]
    parts = ('read', 'inference', 'draw', 'write')
    assert result['outside'] == pytest.approx(
        sum(result[name] for name in parts))
    assert result['total'] == pytest.approx(result['outside'] +
                                            result['forward'])
    assert all(result[name] > 0 for name in parts + ('forward', ))
    assert result['outside_share'] == pytest.approx(result['outside'] /
                                                    result['total'])
    assert len(mmcv.VideoReader(out_video)) == 4


def test_benchmark_video_command_line(pose_files, capsys):
    result = _tool().main([
        pose_files[0], '--checkpoint', pose_files[1], '--device', 'cpu',
        '--video', 'synthetic', '--video-size', '64', '96', '--persons', '1',
        '--iters', '2', '--warmup', '1'
    ])
    out = capsys.readouterr().out
    assert '2 frames, 1.0 persons a frame; network batch sizes [1]' in out
    assert f'{100 * result["outside_share"]:.1f}% of the time' in out
