"""Dataset names MMPose renamed before 0.14; they warn and keep working.

MMPose 0.14 raised ImportError for these names; here each is a thin
subclass of its new class that warns once per construction, so old configs
still build (``type='TopDownOneHand10KDataset'``).
"""
import warnings

from .datasets.datasets.hand import (FreiHandDataset, OneHand10KDataset,
                                     PanopticDataset)
from .datasets.registry import DATASETS


class _DeprecatedDatasetMixin:
    """Warn that the class name is deprecated, then build the new class."""

    def __init__(self, *args, **kwargs):
        new = type(self).__mro__[2].__name__
        warnings.warn(
            f'{type(self).__name__} is deprecated and will be removed; '
            f'use {new} (the same dataset) instead', DeprecationWarning)
        super().__init__(*args, **kwargs)


@DATASETS.register_module()
class TopDownOneHand10KDataset(_DeprecatedDatasetMixin, OneHand10KDataset):
    """Deprecated TopDownOneHand10KDataset: use :class:`OneHand10KDataset`.
    """


@DATASETS.register_module()
class TopDownFreiHandDataset(_DeprecatedDatasetMixin, FreiHandDataset):
    """Deprecated TopDownFreiHandDataset: use :class:`FreiHandDataset`."""


@DATASETS.register_module()
class TopDownPanopticDataset(_DeprecatedDatasetMixin, PanopticDataset):
    """Deprecated TopDownPanopticDataset: use :class:`PanopticDataset`."""
