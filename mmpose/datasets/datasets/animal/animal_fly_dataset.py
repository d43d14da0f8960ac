from ...registry import DATASETS
from .animal_base_dataset import AnimalBaseDataset


@DATASETS.register_module()
class AnimalFlyDataset(AnimalBaseDataset):
    """AnimalFlyDataset for animal pose estimation.

    `Fast animal pose estimation using deep neural networks'
    Nature methods'2019. More details can be found in the `paper
    <https://www.biorxiv.org/content/
    biorxiv/early/2018/05/25/331181.full.pdf>`__ .

    Vinegar Fly keypoint indexes::

{keypoint_table}

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.animal`. Loading and
    metrics: :class:`AnimalBaseDataset`.
    """

    dataset_name = 'fly'
