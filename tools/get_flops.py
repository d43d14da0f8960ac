"""Moved: MMPose 0.14's path is ``tools/analysis/get_flops.py``.

This forwarder keeps ``python tools/get_flops.py CONFIG`` (and imports of its
functions) working, with a warning naming the new path.
"""
import importlib.util
import warnings
from pathlib import Path

_NEW_PATH = Path(__file__).resolve().parent / 'analysis' / 'get_flops.py'
warnings.warn(
    'tools/get_flops.py has moved to tools/analysis/get_flops.py (its '
    'MMPose 0.14 path); this forwarder will be removed',
    FutureWarning,
    stacklevel=2)
_spec = importlib.util.spec_from_file_location('_mmpose_get_flops',
                                               _NEW_PATH)
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)
get_flops = _module.get_flops
input_shape_from = _module.input_shape_from
parse_args = _module.parse_args
main = _module.main

if __name__ == '__main__':
    main()
