import numpy as np

from ...registry import DATASETS
from .face_base_dataset import FaceBaseDataset


@DATASETS.register_module()
class FaceAFLWDataset(FaceBaseDataset):
    """Face AFLW dataset for top-down face keypoint localization.

    `Annotated Facial Landmarks in the Wild: A Large-scale,
    Real-world Database for Facial Landmark Localization.
    In Proc. First IEEE International Workshop on Benchmarking
    Facial Image Analysis Technologies, 2011`.

    The landmark annotations follow the 19 points mark-up. The definition
    can be found in `https://www.tugraz.at/institute/icg/research`
    `/team-bischof/lrs/downloads/aflw/`. The NME is normalised by each
    annotation's ``box_size``, which the records keep.

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.face`. Loading and
    NME: :class:`FaceBaseDataset`.
    """

    dataset_name = 'aflw'
    extra_keys = ('box_size', )

    def _get_normalize_factor(self, gts):
        """Each sample's ``box_size`` in both columns
        (np.ndarray[N, 2])."""
        box_sizes = np.array([item['box_size'] for item in self.db])
        return np.tile(box_sizes.reshape(-1, 1), [1, 2])
