from ...registry import DATASETS
from .animal_base_dataset import AnimalBaseDataset


@DATASETS.register_module()
class AnimalZebraDataset(AnimalBaseDataset):
    """AnimalZebraDataset for animal pose estimation.

    Grevy's zebras of `DeepPoseKit' (Elife'2019, the `paper
    <https://elifesciences.org/articles/47994>`__ of
    :class:`AnimalLocustDataset` too).

    Grevy's Zebra keypoint indexes::

{keypoint_table}

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.animal`. Loading and
    metrics: :class:`AnimalBaseDataset`.
    """

    dataset_name = 'zebra'
