import copy
from abc import ABCMeta

import numpy as np
from torch.utils.data import Dataset

from ...pipelines import Compose
from ...registry import DATASETS


@DATASETS.register_module()
class MoshDataset(Dataset, metaclass=ABCMeta):
    """Mosh Dataset for the adversarial training in 3D human mesh estimation
    task.

    The dataset return a dict containing real-world SMPL parameters: each
    sample's ``mosh_theta`` (np.ndarray[85], float32) is 3 zeros (the camera
    slot of a predicted theta), the 72 pose and the 10 shape parameters.

    Args:
        ann_file (str): Path to the annotation file (``.npz`` with ``pose``
            [N, 72] and ``shape`` [N, 10]).
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or
            validation dataset. Default: False.
    """

    def __init__(self, ann_file, pipeline, test_mode=False):
        self.annotations_path = ann_file
        self.test_mode = test_mode
        self.db = self._get_db(ann_file)
        self.pipeline = Compose(pipeline)

    @staticmethod
    def _get_db(ann_file):
        """Load dataset: one ``dict(pose, beta)`` (float32) per sample."""
        with np.load(ann_file) as data:
            poses = data['pose'].astype(np.float32)
            betas = data['shape'].astype(np.float32)
        return [dict(pose=pose, beta=beta) for pose, beta in zip(poses, betas)]

    def __len__(self):
        """Get the size of the dataset."""
        return len(self.db)

    def __getitem__(self, idx):
        """Get the sample given index."""
        item = self.db[idx]
        mosh_theta = np.concatenate(
            (np.zeros(3, dtype=np.float32), item['pose'], item['beta']))
        return self.pipeline({'mosh_theta': mosh_theta})
