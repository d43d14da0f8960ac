import copy
from abc import ABCMeta, abstractmethod

import numpy as np
from torch.utils.data import Dataset

from mmpose.core.dataset_meta import get_dataset_meta
from mmpose.core.evaluation.coco_eval import (sort_and_unique,
                                              write_json_results)
from ...pipelines import Compose
from ..base.ann_info import bbox_xywh2cs, build_ann_info


class TopDownRecordsMixin:
    """Record handling of datasets whose ``self.db`` holds one dict per
    instance for a top-down pipeline: indexing (a deep copy with
    ``ann_info`` attached), the box -> center/scale conversion with 0.x's
    training jitter, metric-name checks and result writing.

    :class:`TopDownBaseDataset` and datasets outside the 2D keypoint-metadata
    family (e.g. :class:`InterHand3DDataset`) share it.
    """

    def _check_metrics(self, metric, allowed_metrics):
        """The requested metrics as a list; KeyError for one not allowed.

        Args:
            metric (str | list[str]): ``evaluate``'s ``metric``.
            allowed_metrics (Sequence[str]): Metrics this dataset computes.

        Returns:
            list[str]: The requested metrics.
        """
        metrics = metric if isinstance(metric, list) else [metric]
        for name in metrics:
            if name not in allowed_metrics:
                raise KeyError(f'metric {name} is not supported by '
                               f'{type(self).__name__}; supported: '
                               f'{", ".join(allowed_metrics)}')
        return metrics

    def _xywh2cs(self, x, y, w, h, padding=1.25):
        """Convert a box (x, y, w, h) to the center and scale used by the
        top-down affine transform (see :func:`bbox_xywh2cs`).

        During training the center is also shifted at random (probability
        0.3, up to 20% of the box size) as in MMPose 0.x.

        Args:
            x, y, w, h (float): Left, top, width and height of the box.
            padding (float): Scale enlargement factor. Default: 1.25.

        Returns:
            tuple: center (np.ndarray[2]) and scale (np.ndarray[2]), float32.
        """
        image_size = self.ann_info['image_size']
        center, scale = bbox_xywh2cs([x, y, w, h],
                                     image_size[0] / image_size[1], padding)
        if (not self.test_mode) and np.random.rand() < 0.3:
            center += 0.4 * (np.random.rand(2) - 0.5) * [w, h]
        return center, scale

    @staticmethod
    def _write_keypoint_results(keypoints, res_file):
        """Write results to a json file, atomically (see
        :func:`mmpose.core.evaluation.coco_eval.write_json_results`)."""
        write_json_results(keypoints, res_file)

    @staticmethod
    def _sort_and_unique_bboxes(kpts, key='bbox_id'):
        """Sort results by ``key`` and drop repeated ones (a distributed
        sampler pads the last batch by repeating samples).

        Args:
            kpts (list[dict] | dict[Any, list[dict]]): Results, or results
                grouped by image id (then each group is sorted, in place).
            key (str): The field that identifies a box. Default: 'bbox_id'.

        Returns:
            list[dict] | dict[Any, list[dict]]: The sorted unique results.
        """
        if isinstance(kpts, dict):
            for img_id, persons in kpts.items():
                kpts[img_id] = sort_and_unique(persons, key)
            return kpts
        return sort_and_unique(kpts, key)

    def __len__(self):
        """Get the size of the dataset."""
        return len(self.db)

    def __getitem__(self, idx):
        """Get the sample given index."""
        results = copy.deepcopy(self.db[idx])
        results['ann_info'] = self.ann_info
        return self.pipeline(results)


class TopDownBaseDataset(TopDownRecordsMixin, Dataset,
                         metaclass=ABCMeta):
    """Base class for top-down datasets.

    A subclass builds ``self.db`` (one dict per person instance) in
    :meth:`_get_db` and implements :meth:`evaluate`. ``__getitem__`` hands a
    deep copy of one entry, with ``ann_info`` attached, to the pipeline.

    A subclass sets the class attribute ``dataset_name`` to a name known to
    :func:`mmpose.core.dataset_meta.get_dataset_meta`; its keypoint metadata
    (flip pairs, body ids, joint weights, sigmas) then fills ``ann_info``
    (:func:`~mmpose.datasets.datasets.base.ann_info.build_ann_info`).

    The dataset layer: COCO-format files load through
    :class:`~mmpose.datasets.datasets.base.coco_format.CocoFormatMixin`;
    :class:`TopDownCocoStyleDataset` adds detection boxes and COCO mAP,
    :class:`~mmpose.datasets.datasets.base.keypoint_error_dataset.\
TopDownKeypointErrorDataset` PCK/PCKh/AUC/EPE/NME (hand, face, fashion,
    animal); metrics are functions of :mod:`mmpose.core.evaluation`.

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

    def __init_subclass__(cls, **kwargs):
        """Write the keypoint table into the subclass docstring (its
        ``{keypoint_table}``) from the metadata, where the names live."""
        super().__init_subclass__(**kwargs)
        doc = cls.__dict__.get('__doc__') or ''
        if '{keypoint_table}' in doc and cls.dataset_name is not None:
            names = get_dataset_meta(cls.dataset_name).keypoint_names
            cls.__doc__ = doc.replace(
                '{keypoint_table}', ',\n'.join(
                    f"        {i}: '{name}'" for i, name in enumerate(names)))

    def __init__(self, ann_file, img_prefix, data_cfg, pipeline,
                 test_mode=False):
        self.image_info = {}
        self.annotations_path = ann_file
        self.img_prefix = img_prefix
        self.pipeline = pipeline
        self.test_mode = test_mode

        self.meta = (None if self.dataset_name is None else
                     get_dataset_meta(self.dataset_name))
        self.ann_info = build_ann_info(data_cfg, self.meta)
        self.sigmas = None if self.meta is None else self.meta.sigmas

        self.db = []

        self.pipeline = Compose(self.pipeline)

    @abstractmethod
    def _get_db(self):
        """Load the dataset: a list of per-instance dicts."""

    @abstractmethod
    def evaluate(self, outputs, res_folder, metric, *args, **kwargs):
        """Evaluate keypoint results."""
