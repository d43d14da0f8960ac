from ...registry import DATASETS
from .face_base_dataset import FaceBaseDataset


@DATASETS.register_module()
class FaceCOFWDataset(FaceBaseDataset):
    """Face COFW dataset for top-down face keypoint localization.

    `Robust face landmark estimation under occlusion. ICCV'2013`.

    The landmark annotations follow the 29 points mark-up. The definition
    can be found in `http://www.vision.caltech.edu/xpburgos/ICCV13/`. The
    NME is normalised by the distance of the pupils (8, 9).

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.face`. Loading and
    NME: :class:`FaceBaseDataset`.
    """

    dataset_name = 'cofw'
    interocular_ids = (8, 9)
