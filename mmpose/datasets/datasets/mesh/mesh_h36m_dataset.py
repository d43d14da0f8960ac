import json
import os
from collections import OrderedDict

import numpy as np

from mmpose.core.evaluation.mesh_eval import mesh_joint_errors
from mmpose.utils import check
from ...registry import DATASETS
from .mesh_base_dataset import MeshBaseDataset

#: The 14 LSP joints of the mesh layout evaluated on Human3.6M, with H36M's
#: head (18) for LSP's head top (13), which H36M does not label (the
#: H36M-to-LSP14 mapping of SPIN's Human3.6M protocol).
EVAL_JOINT_IDS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 18)
#: The right and left hip (in EVAL_JOINT_IDS): their mean is the pelvis.
PELVIS_IDS = (2, 3)


@DATASETS.register_module()
class MeshH36MDataset(MeshBaseDataset):
    """Human3.6M Dataset for 3D human mesh estimation. It inherits all
    function from MeshBaseDataset and has its own evaluate fuction.

    The dataset loads raw features and apply specified transforms
    to return a dict containing the image tensors and other information.

    Args:
        ann_file (str): Path to the annotation file (``.npz``, the format of
            :class:`MeshBaseDataset`).
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config (see :class:`MeshBaseDataset`)
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or
            validation dataset. Default: False.
    """

    allowed_metrics = ('joint_error', )

    def evaluate(self, outputs, res_folder, metric='joint_error', logger=None):
        """Evaluate 3D keypoint results.

        The predictions are written to ``${res_folder}/result_keypoints.json``
        (a list of ``{'keypoints': [[x, y, z], ...], 'image': path}``).
        'joint_error' reports ``MPJPE`` and ``MPJPE-PA`` (after Procrustes
        alignment) in millimetres, from joints in metres, on the 14 joints
        of :data:`EVAL_JOINT_IDS` centred on the pelvis, averaged over the
        samples.

        Note:
            batch_size: N
            num_keypoints: K

        Args:
            outputs (list[dict]): One dict per batch, in dataset order, as
                ``ParametricMesh.forward_test`` returns them: ``keypoints_3d``
                (np.ndarray[N, K, 3]) and ``image_path`` (list[str]).
            res_folder (str | None): Path of directory to save the results;
                None writes nothing.
            metric (str | list[str]): 'joint_error'. Default: 'joint_error'.
            logger: Unused, as in 0.14.

        Returns:
            OrderedDict: ``MPJPE`` and ``MPJPE-PA``.
        """
        metrics = metric if isinstance(metric, list) else [metric]
        for name in metrics:
            if name not in self.allowed_metrics:
                raise KeyError(f'metric {name} is not supported by '
                               f'{type(self).__name__}; supported: '
                               f'{", ".join(self.allowed_metrics)}')
        kpts = [
            dict(keypoints=keypoints.tolist(), image=image_path)
            for out in outputs for keypoints, image_path in zip(
                np.asarray(out['keypoints_3d']), out['image_path'])
        ]
        if res_folder is not None:
            self._write_keypoint_results(
                kpts, os.path.join(res_folder, 'result_keypoints.json'))
        return OrderedDict(self._report_metric(kpts))

    @staticmethod
    def _write_keypoint_results(keypoints, res_file):
        """Write results into a json file."""
        with open(res_file, 'w') as f:
            json.dump(keypoints, f, sort_keys=True, indent=4)

    def _report_metric(self, preds):
        """Keypoint evaluation: ``[('MPJPE', mm), ('MPJPE-PA', mm)]``."""
        check(
            len(preds) == len(self.db),
            f'got {len(preds)} predictions for the {len(self.db)} samples of '
            f'{self.ann_file}')
        pred = np.array([p['keypoints'] for p in preds], dtype=np.float64)
        gt = np.stack([item['joints_3d'] for item in self.db])
        visible = np.stack([item['joints_3d_visible'] for item in self.db])
        mpjpe, mpjpe_pa = mesh_joint_errors(pred, gt, visible, EVAL_JOINT_IDS,
                                            PELVIS_IDS)
        return [('MPJPE', float(mpjpe.mean()) * 1000),
                ('MPJPE-PA', float(mpjpe_pa.mean()) * 1000)]

    @staticmethod
    def evaluate_kernel(pred_joints_3d, joints_3d, joints_3d_visible):
        """Evaluate one example.

        Note:
            num_keypoints: K

        Args:
            pred_joints_3d (np.ndarray[K, 3]): Predicted joints (metres).
            joints_3d (np.ndarray[K, 3]): Ground-truth joints (metres).
            joints_3d_visible (np.ndarray[K, 1]): Ground-truth visibility.

        Returns:
            tuple[float, float]: ``(error, error_pa)`` in metres.
        """
        error, error_pa = mesh_joint_errors(
            np.asarray(pred_joints_3d)[None],
            np.asarray(joints_3d)[None],
            np.asarray(joints_3d_visible)[None], EVAL_JOINT_IDS, PELVIS_IDS)
        return float(error[0]), float(error_pa[0])
