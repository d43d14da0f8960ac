import copy
import json
import os
import tempfile
from abc import ABCMeta, abstractmethod

import numpy as np
from torch.utils.data import Dataset

from mmpose.core.dataset_meta import get_dataset_meta
from ...pipelines import Compose


class TopDownBaseDataset(Dataset, metaclass=ABCMeta):
    """Base class for top-down datasets.

    A subclass builds ``self.db`` (one dict per person instance) in
    :meth:`_get_db` and implements :meth:`evaluate`. ``__getitem__`` hands a
    deep copy of one entry, with ``ann_info`` attached, to the pipeline.

    A subclass sets the class attribute ``dataset_name`` to a name known to
    :func:`mmpose.core.dataset_meta.get_dataset_meta`; its keypoint metadata
    (flip pairs, body ids, joint weights, sigmas) then fills ``ann_info``.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
            Default: None.
        data_cfg (dict): config
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    #: Name of the dataset's metadata (see :mod:`mmpose.core.dataset_meta`).
    dataset_name = None

    def __init__(self,
                 ann_file,
                 img_prefix,
                 data_cfg,
                 pipeline,
                 test_mode=False):

        self.image_info = {}
        self.ann_info = {}

        self.annotations_path = ann_file
        self.img_prefix = img_prefix
        self.pipeline = pipeline
        self.test_mode = test_mode

        self.ann_info['image_size'] = np.array(data_cfg['image_size'])
        self.ann_info['heatmap_size'] = np.array(data_cfg['heatmap_size'])
        self.ann_info['num_joints'] = data_cfg['num_joints']

        self.ann_info['inference_channel'] = data_cfg['inference_channel']
        self.ann_info['num_output_channels'] = data_cfg['num_output_channels']
        self.ann_info['dataset_channel'] = data_cfg['dataset_channel']

        self.ann_info['use_different_joint_weights'] = data_cfg.get(
            'use_different_joint_weights', False)
        self.ann_info['flip_pairs'] = []
        self.ann_info['upper_body_ids'] = []
        self.ann_info['lower_body_ids'] = []
        self.ann_info['joint_weights'] = np.ones(
            (self.ann_info['num_joints'], 1), dtype=np.float32)
        self.sigmas = None

        self.meta = None
        if self.dataset_name is not None:
            self._load_dataset_meta(get_dataset_meta(self.dataset_name))

        self.db = []

        self.pipeline = Compose(self.pipeline)

    def _load_dataset_meta(self, meta):
        """Copy the dataset's keypoint metadata into ``ann_info``.

        Args:
            meta (DatasetMeta): Metadata of this dataset.
        """
        num_joints = self.ann_info['num_joints']
        if meta.num_keypoints != num_joints:
            raise ValueError(
                f'data_cfg num_joints={num_joints} does not match the '
                f'{meta.num_keypoints} keypoints of {type(self).__name__} '
                f'({meta.dataset_name})')
        self.meta = meta
        self.ann_info.update(meta.ann_info())
        self.sigmas = meta.sigmas

    @abstractmethod
    def _get_db(self):
        """Load the dataset: a list of per-instance dicts."""

    @abstractmethod
    def evaluate(self, outputs, res_folder, metric, *args, **kwargs):
        """Evaluate keypoint results."""

    def _xywh2cs(self, x, y, w, h, padding=1.25):
        """Convert a box (x, y, w, h) to the center and scale used by the
        top-down affine transform.

        The box is grown to the aspect ratio of ``image_size`` and then by
        ``padding`` for context. Scale is in units of 200 pixels (0.x's
        "pixel std").

        Args:
            x, y, w, h (float): Left, top, width and height of the box.
            padding (float): Scale enlargement factor. Default: 1.25.

        Returns:
            tuple: center (np.ndarray[2]) and scale (np.ndarray[2]), float32.
        """
        aspect_ratio = (self.ann_info['image_size'][0] /
                        self.ann_info['image_size'][1])
        center = np.array([x + w * 0.5, y + h * 0.5], dtype=np.float32)
        if w > aspect_ratio * h:
            h = w * 1.0 / aspect_ratio
        elif w < aspect_ratio * h:
            w = h * aspect_ratio
        scale = np.array([w / 200.0, h / 200.0], dtype=np.float32)
        scale = scale * padding
        return center, scale

    @staticmethod
    def _write_keypoint_results(keypoints, res_file):
        """Write results to a json file, atomically.

        The file is written beside ``res_file`` and moved into place, so a
        reader (or an interrupted run) never sees half a file. The folder is
        created if needed.

        Args:
            keypoints (list): JSON-serialisable results.
            res_file (str): Path of the json file to write.
        """
        folder = os.path.dirname(os.path.abspath(res_file))
        os.makedirs(folder, exist_ok=True)
        fd, tmp_path = tempfile.mkstemp(
            dir=folder, prefix='.' + os.path.basename(res_file), suffix='.tmp')
        try:
            with os.fdopen(fd, 'w') as f:
                json.dump(keypoints, f, sort_keys=True, indent=4)
            os.replace(tmp_path, res_file)
        except BaseException:
            if os.path.exists(tmp_path):
                os.remove(tmp_path)
            raise

    @staticmethod
    def _sort_and_unique_bboxes(kpts, key='bbox_id'):
        """Sort each image's results by ``key`` and drop repeated ones.

        A distributed sampler pads the last batch by repeating samples, so
        the same ``bbox_id`` can come back twice.

        Args:
            kpts (dict[Any, list[dict]]): Results grouped by image id.
            key (str): The field that identifies a box. Default: 'bbox_id'.

        Returns:
            dict[Any, list[dict]]: ``kpts``, changed in place.
        """
        for img_id, persons in kpts.items():
            persons = sorted(persons, key=lambda x: x[key])
            kpts[img_id] = [
                person for i, person in enumerate(persons)
                if i == 0 or person[key] != persons[i - 1][key]
            ]
        return kpts

    def __len__(self):
        """Get the size of the dataset."""
        return len(self.db)

    def __getitem__(self, idx):
        """Get the sample given index."""
        results = copy.deepcopy(self.db[idx])
        results['ann_info'] = self.ann_info
        return self.pipeline(results)
