from .mse_loss import CombinedTargetMSELoss, JointsMSELoss, JointsOHKMMSELoss
from .regression_loss import (BCELoss, L1Loss, MPJPELoss, MSELoss,
                              SmoothL1Loss, WingLoss)

__all__ = [
    'JointsMSELoss', 'JointsOHKMMSELoss', 'CombinedTargetMSELoss',
    'SmoothL1Loss', 'WingLoss', 'MPJPELoss', 'L1Loss', 'MSELoss', 'BCELoss'
]
