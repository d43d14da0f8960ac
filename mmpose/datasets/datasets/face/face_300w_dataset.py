from ...registry import DATASETS
from .face_base_dataset import FaceBaseDataset


@DATASETS.register_module()
class Face300WDataset(FaceBaseDataset):
    """Face300W dataset for top-down face keypoint localization.

    `300 faces In-the-wild challenge: Database and results.
    Image and Vision Computing (IMAVIS) 2019.

    The landmark annotations follow the 68 points mark-up. The definition
    can be found in `https://ibug.doc.ic.ac.uk/resources/300-W/`. The NME
    is normalised by the distance of the outer eye corners (36, 45).

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.face`. Loading and
    NME: :class:`FaceBaseDataset`.
    """

    dataset_name = '300w'
    interocular_ids = (36, 45)
