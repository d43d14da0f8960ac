from .animal import AnimalATRWDataset
from .animal import (AnimalFlyDataset, AnimalHorse10Dataset,
                     AnimalLocustDataset, AnimalMacaqueDataset,
                     AnimalPoseDataset, AnimalZebraDataset)
from .body3d import Body3DBaseDataset, Body3DH36MDataset
from .bottom_up import (BottomUpAicDataset, BottomUpBaseDataset,
                        BottomUpCocoDataset, BottomUpCrowdPoseDataset,
                        BottomUpMhpDataset)
from .fashion import DeepFashionDataset
from .face import (Face300WDataset, FaceAFLWDataset, FaceCOFWDataset,
                   FaceWFLWDataset)
from .hand import (FreiHandDataset, OneHand10KDataset, PanopticDataset,
                   Rhd2DDataset)
from .top_down import (TopDownAicDataset, TopDownBaseDataset,
                       TopDownCocoDataset, TopDownCocoStyleDataset,
                       TopDownCrowdPoseDataset, TopDownJhmdbDataset,
                       TopDownMhpDataset, TopDownMpiiDataset,
                       TopDownMpiiTrbDataset, TopDownOCHumanDataset,
                       TopDownPoseTrack18Dataset)
# after the new classes: the deprecated names subclass them
from ...deprecated import (TopDownFreiHandDataset,  # isort:skip
                           TopDownOneHand10KDataset, TopDownPanopticDataset)

__all__ = [
    'TopDownBaseDataset', 'TopDownCocoStyleDataset', 'TopDownCocoDataset',
    'TopDownAicDataset', 'TopDownCrowdPoseDataset', 'TopDownMhpDataset',
    'TopDownMpiiDataset', 'TopDownOCHumanDataset', 'OneHand10KDataset',
    'FreiHandDataset', 'PanopticDataset', 'Rhd2DDataset', 'Face300WDataset',
    'FaceAFLWDataset', 'FaceCOFWDataset', 'FaceWFLWDataset',
    'TopDownOneHand10KDataset', 'TopDownFreiHandDataset',
    'TopDownPanopticDataset', 'AnimalFlyDataset', 'AnimalHorse10Dataset',
    'AnimalLocustDataset', 'AnimalMacaqueDataset', 'AnimalPoseDataset',
    'AnimalZebraDataset', 'DeepFashionDataset', 'TopDownJhmdbDataset',
    'TopDownPoseTrack18Dataset', 'TopDownMpiiTrbDataset'
]
__all__ += [
    'BottomUpBaseDataset', 'BottomUpCocoDataset', 'BottomUpCrowdPoseDataset',
    'BottomUpAicDataset', 'BottomUpMhpDataset'
]
__all__ += ['Body3DBaseDataset', 'Body3DH36MDataset']
__all__ += ['AnimalATRWDataset']
from .hand import InterHand3DDataset  # noqa: E402

__all__ += ['InterHand3DDataset']
from .mesh import (MeshAdversarialDataset, MeshBaseDataset,  # noqa: E402
                   MeshH36MDataset, MeshMixDataset, MoshDataset)

__all__ += [
    'MeshBaseDataset', 'MeshH36MDataset', 'MoshDataset', 'MeshMixDataset',
    'MeshAdversarialDataset'
]
from .hand import InterHand2DDataset  # noqa: E402
from .top_down import TopDownCocoWholeBodyDataset  # noqa: E402

__all__ += ['InterHand2DDataset', 'TopDownCocoWholeBodyDataset']
