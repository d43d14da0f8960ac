from .face_300w_dataset import Face300WDataset
from .face_aflw_dataset import FaceAFLWDataset
from .face_base_dataset import FaceBaseDataset
from .face_cofw_dataset import FaceCOFWDataset
from .face_wflw_dataset import FaceWFLWDataset

__all__ = [
    'FaceBaseDataset', 'Face300WDataset', 'FaceAFLWDataset',
    'FaceCOFWDataset', 'FaceWFLWDataset'
]
