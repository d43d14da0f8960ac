import numpy as np

from ...registry import DATASETS
from ..base.interhand_format import HAND_JOINTS, InterHandFormatMixin
from .hand_base_dataset import HandBaseDataset


@DATASETS.register_module()
class InterHand2DDataset(InterHandFormatMixin, HandBaseDataset):
    """InterHand2.6M 2D dataset for top-down hand pose estimation.

    `InterHand2.6M: A Dataset and Baseline for 3D Interacting Hand Pose
    Estimation from a Single RGB Image' Moon, Gyeongsik et al. ECCV'2020
    More details can be found in the `paper
    <https://arxiv.org/pdf/2008.09309.pdf>`__ .

    The dataset loads raw features and apply specified transforms
    to return a dict containing the image tensors and other information.

    InterHand2.6M keypoint indexes::

{keypoint_table}

    One sample per hand (right, then left, of each image) with more than 11
    valid keypoints, a hand whose wrist is not valid having none. Its
    keypoints are the world joints of the joint file seen through the
    image's camera; its ``bbox`` is the tightest box around its valid
    keypoints, padded by 1.5 for the center and scale. Evaluation as
    :class:`HandBaseDataset`: 'PCK' (0.2 of the box's longer side), 'AUC'
    (up to 30 px) and 'EPE'. Keypoint metadata:
    :mod:`mmpose.core.dataset_meta.interhand`; file reading:
    :class:`~mmpose.datasets.datasets.base.interhand_format.\\
InterHandFormatMixin`.

    Args:
        ann_file (str): Path to the annotation file: images (with their
            capture, camera and frame) and one annotation each.
        camera_file (str): Path to the camera file.
        joint_file (str): Path to the joint file (world coordinates).
        img_prefix (str): Path to a directory where images are held.
            Default: None.
        data_cfg (dict): config; pipeline (list[dict | callable]): a
            sequence of data transforms; test_mode (bool): store True when
            building test or validation dataset. Default: False.
    """

    dataset_name = 'interhand2d'
    bbox_padding = 1.5
    #: A hand with at most this many valid keypoints is not a sample.
    min_valid_keypoints = 11

    def __init__(self, ann_file, camera_file, joint_file, img_prefix,
                 data_cfg, pipeline, test_mode=False):
        self.camera_file = camera_file
        self.joint_file = joint_file
        super().__init__(
            ann_file, img_prefix, data_cfg, pipeline, test_mode=test_mode)

    def _get_db(self):
        """One record per hand with enough valid keypoints, ``bbox_id``
        numbered through the dataset.

        Adapted from 'https://github.com/facebookresearch/InterHand2.6M/'
        'blob/master/data/InterHand2.6M/dataset.py' as MMPose 0.x did.
        """
        frames = self._load_interhand_frames()
        num = len(frames['images'])
        # [image, hand (right, left), keypoint]
        joints = frames['joints_img'].reshape(num, 2, HAND_JOINTS, 2)
        valid = frames['joint_valid'].reshape(num, 2, HAND_JOINTS)
        # Without its root (the wrist, last) a hand has no valid keypoint.
        valid = valid * valid[..., -1:]
        image_index, hand = np.nonzero(
            valid.sum(axis=-1) > self.min_valid_keypoints)
        joints, valid = joints[image_index, hand], valid[image_index, hand]
        boxes = self._tight_boxes(joints, valid > 0, [
            (frames['images'][i]['width'], frames['images'][i]['height'])
            for i in image_index
        ])
        records = []
        for bbox_id, (i, bbox) in enumerate(zip(image_index, boxes)):
            joints_3d = np.zeros((HAND_JOINTS, 3), dtype=np.float32)
            joints_3d[:, :2] = joints[bbox_id]
            joints_3d_visible = np.zeros((HAND_JOINTS, 3), dtype=np.float32)
            joints_3d_visible[:, :2] = np.minimum(1, valid[bbox_id])[:, None]
            center, scale = self._xywh2cs(*bbox, padding=self.bbox_padding)
            records.append({
                'image_file': self._image_file(self.img_ids[i]),
                'center': center,
                'scale': scale,
                'rotation': 0,
                'joints_3d': joints_3d,
                'joints_3d_visible': joints_3d_visible,
                'dataset': self.dataset_name,
                'bbox': bbox,
                'bbox_score': 1,
                'bbox_id': bbox_id
            })
        return records

    @staticmethod
    def _tight_boxes(joints, visible, image_sizes):
        """The tightest box around each hand's visible keypoints, starting
        from (width, height, 0, 0) as 0.x does (so a box never starts right
        of the image or ends left of it).

        Note:
            Shapes: N hands, K keypoints.

        Args:
            joints (np.ndarray[N, K, 2]): Keypoints.
            visible (np.ndarray[N, K]): Which keypoints count (at least one
                per hand).
            image_sizes (list[tuple[int, int]]): (width, height) per hand.

        Returns:
            list[list[float]]: ``[x, y, w, h]`` per hand.
        """
        sizes = np.array(image_sizes, dtype=np.float32).reshape(-1, 2)
        visible = visible[..., None]
        top_left = np.minimum(
            sizes, np.where(visible, joints, np.inf).min(axis=1))
        bottom_right = np.maximum(
            0, np.where(visible, joints, -np.inf).max(axis=1))
        return np.concatenate([top_left, bottom_right - top_left],
                              axis=1).astype(np.float32).tolist()
