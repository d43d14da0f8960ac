"""Test loops of ``mmpose.apis``.

They are implemented in :mod:`mmpose.core.evaluation.eval_loops`, next to the
evaluation hooks that also run them during training (``core`` never imports
``apis``); this module is their 0.14 import path.
"""
from mmpose.core.evaluation.eval_loops import (collect_results_cpu,
                                               collect_results_gpu,
                                               multi_gpu_test, single_gpu_test)

__all__ = [
    'single_gpu_test', 'multi_gpu_test', 'collect_results_cpu',
    'collect_results_gpu'
]
