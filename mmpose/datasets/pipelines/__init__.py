from mmpose.core.post_processing import (affine_transform, fliplr_joints,
                                         fliplr_regression,
                                         get_affine_transform, get_warp_matrix,
                                         warp_affine_joints)
from .bottom_up_transform import (BottomUpGenerateHeatmapTarget,
                                  BottomUpGeneratePAFTarget,
                                  BottomUpGenerateTarget, BottomUpGetImgSize,
                                  BottomUpRandomAffine, BottomUpRandomFlip,
                                  BottomUpResizeAlign, HeatmapGenerator,
                                  JointsEncoder, PAFGenerator)
from .hand_transform import HandGenerateRelDepthTarget, HandRandomFlip
from .loading import LoadImageFromFile
from .pose3d_transform import (CameraProjection, Generate3DHeatmapTarget,
                               GetRootCenteredPose, NormalizeJointCoordinate,
                               PoseSequenceToTensor, RelativeJointRandomFlip)
from .shared_transform import (Albumentation, Collect, Compose,
                               MultitaskGatherTarget, NormalizeTensor,
                               PhotometricDistortion, RenameKeys, ToTensor)
from .top_down_target import (TopDownGenerateTarget,
                              TopDownGenerateTargetRegression)
from .top_down_transform import (TopDownAffine, TopDownGetRandomScaleRotation,
                                 TopDownHalfBodyTransform, TopDownRandomFlip,
                                 TopDownRandomTranslation)

__all__ = [
    'Compose', 'LoadImageFromFile', 'ToTensor', 'NormalizeTensor', 'Collect',
    'RenameKeys', 'PhotometricDistortion', 'Albumentation',
    'MultitaskGatherTarget', 'TopDownRandomFlip', 'TopDownHalfBodyTransform',
    'TopDownGetRandomScaleRotation', 'TopDownRandomTranslation',
    'TopDownAffine'
]
__all__ += ['TopDownGenerateTarget', 'TopDownGenerateTargetRegression']
# 0.14's star imports re-exported these geometric helpers from here
__all__ += [
    'affine_transform', 'fliplr_joints', 'fliplr_regression',
    'get_affine_transform', 'get_warp_matrix', 'warp_affine_joints'
]
__all__ += [
    'BottomUpGenerateHeatmapTarget', 'BottomUpGeneratePAFTarget',
    'BottomUpGenerateTarget', 'BottomUpGetImgSize', 'BottomUpRandomAffine',
    'BottomUpRandomFlip', 'BottomUpResizeAlign', 'HeatmapGenerator',
    'JointsEncoder', 'PAFGenerator'
]
__all__ += [
    'GetRootCenteredPose', 'NormalizeJointCoordinate',
    'RelativeJointRandomFlip', 'PoseSequenceToTensor', 'CameraProjection',
    'Generate3DHeatmapTarget'
]
__all__ += ['HandRandomFlip', 'HandGenerateRelDepthTarget']
from .mesh_transform import (IUVToTensor, LoadIUVFromFile,  # noqa: E402
                             MeshAffine, MeshGetRandomScaleRotation,
                             MeshRandomChannelNoise, MeshRandomFlip)

__all__ += [
    'LoadIUVFromFile', 'IUVToTensor', 'MeshAffine', 'MeshRandomFlip',
    'MeshRandomChannelNoise', 'MeshGetRandomScaleRotation'
]
