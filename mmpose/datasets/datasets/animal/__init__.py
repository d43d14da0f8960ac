from .animal_atrw_dataset import AnimalATRWDataset
from .animal_base_dataset import AnimalBaseDataset
from .animal_fly_dataset import AnimalFlyDataset
from .animal_horse10_dataset import AnimalHorse10Dataset
from .animal_locust_dataset import AnimalLocustDataset
from .animal_macaque_dataset import AnimalMacaqueDataset
from .animal_pose_dataset import AnimalPoseDataset
from .animal_zebra_dataset import AnimalZebraDataset

__all__ = [
    'AnimalBaseDataset', 'AnimalFlyDataset', 'AnimalHorse10Dataset',
    'AnimalLocustDataset', 'AnimalMacaqueDataset', 'AnimalPoseDataset',
    'AnimalZebraDataset'
]
__all__ += ['AnimalATRWDataset']
