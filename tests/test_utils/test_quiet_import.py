import subprocess
import sys


def test_importing_the_api_prints_nothing():
    # No CUDA_HOME notice from torch, no mmcv 2.0 banner, no warnings of
    # our own: a user's script that imports mmpose stays quiet.
    result = subprocess.run(
        [sys.executable, '-c', 'import mmpose.apis, mmpose.datasets'],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout == '' and result.stderr == '', result.stderr
