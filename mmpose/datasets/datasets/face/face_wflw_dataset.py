from ...registry import DATASETS
from .face_base_dataset import FaceBaseDataset


@DATASETS.register_module()
class FaceWFLWDataset(FaceBaseDataset):
    """Face WFLW dataset for top-down face keypoint localization.

    `Look at Boundary: A Boundary-Aware Face Alignment Algorithm.
    CVPR'2018`.

    The landmark annotations follow the 98 points mark-up. The definition
    can be found in `https://wywu.github.io/projects/LAB/WFLW.html`. The
    NME is normalised by the distance of the outer eye corners (60, 72).

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.face`. Loading and
    NME: :class:`FaceBaseDataset`.
    """

    dataset_name = 'wflw'
    interocular_ids = (60, 72)
