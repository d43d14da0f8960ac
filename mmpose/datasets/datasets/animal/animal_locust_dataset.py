from ...registry import DATASETS
from .animal_base_dataset import AnimalBaseDataset


@DATASETS.register_module()
class AnimalLocustDataset(AnimalBaseDataset):
    """AnimalLocustDataset for animal pose estimation.

    `DeepPoseKit, a software toolkit for fast and robust animal
    pose estimation using deep learning' Elife'2019.
    More details can be found in the `paper
    <https://elifesciences.org/articles/47994>`__ .

    Desert Locust keypoint indexes::

{keypoint_table}

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.animal`. Loading and
    metrics: :class:`AnimalBaseDataset`.
    """

    dataset_name = 'locust'
