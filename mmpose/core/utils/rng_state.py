"""Random number generator states that travel in checkpoints.

Resuming a run reproduces the uninterrupted run only if the random streams
continue where they were: the training loader's shuffle (drawn from torch's
generator when an epoch starts) and the augmentation in the pipelines (NumPy
and ``random``). The states are stored as plain lists and tensors so that
``torch.load(weights_only=True)`` accepts them.
"""
import random

import numpy as np
import torch


def get_rng_state():
    """Capture the torch, NumPy and Python generators of this process.

    Returns:
        dict: ``torch`` (ByteTensor), ``numpy`` (list: the fields of
        ``np.random.get_state()``, the key array as a list of ints) and
        ``python`` (``random.getstate()`` as nested lists).
    """
    name, keys, pos, has_gauss, cached = np.random.get_state()
    version, internal, gauss_next = random.getstate()
    return dict(
        torch=torch.get_rng_state(),
        numpy=[name, keys.tolist(), int(pos), int(has_gauss), float(cached)],
        python=[version, list(internal), gauss_next])


def set_rng_state(state):
    """Restore generators captured by :func:`get_rng_state`.

    Args:
        state (dict): As returned by :func:`get_rng_state` (possibly after a
            round trip through a checkpoint).
    """
    torch.set_rng_state(state['torch'].cpu())
    name, keys, pos, has_gauss, cached = state['numpy']
    np.random.set_state(
        (name, np.asarray(keys, dtype=np.uint32), pos, has_gauss, cached))
    version, internal, gauss_next = state['python']
    random.setstate((version, tuple(internal), gauss_next))
