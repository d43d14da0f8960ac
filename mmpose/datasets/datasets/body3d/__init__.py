from .body3d_base_dataset import Body3DBaseDataset
from .body3d_h36m_dataset import Body3DH36MDataset

__all__ = ['Body3DBaseDataset', 'Body3DH36MDataset']
