from .freihand_dataset import FreiHandDataset
from .hand_base_dataset import HandBaseDataset
from .onehand10k_dataset import OneHand10KDataset
from .panoptic_dataset import PanopticDataset
from .rhd2d_dataset import Rhd2DDataset

__all__ = [
    'HandBaseDataset', 'OneHand10KDataset', 'FreiHandDataset',
    'PanopticDataset', 'Rhd2DDataset'
]
from .interhand3d_dataset import InterHand3DDataset  # noqa: E402

__all__ += ['InterHand3DDataset']
from .interhand2d_dataset import InterHand2DDataset  # noqa: E402

__all__ += ['InterHand2DDataset']
