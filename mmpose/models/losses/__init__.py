from .classfication_loss import BCELoss
from .mse_loss import CombinedTargetMSELoss, JointsMSELoss, JointsOHKMMSELoss
from .multi_loss_factory import AELoss, HeatmapLoss, MultiLossFactory
from .regression_loss import (L1Loss, MPJPELoss, MSELoss, SmoothL1Loss,
                              WingLoss)

__all__ = [
    'JointsMSELoss', 'JointsOHKMMSELoss', 'CombinedTargetMSELoss',
    'SmoothL1Loss', 'WingLoss', 'MPJPELoss', 'L1Loss', 'MSELoss', 'BCELoss'
]
__all__ += ['HeatmapLoss', 'AELoss', 'MultiLossFactory']
from .mesh_loss import GANLoss, MeshLoss  # noqa: E402

__all__ += ['MeshLoss', 'GANLoss']
