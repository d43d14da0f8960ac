"""Reading InterHand2.6M annotations (shared by the 2D and 3D datasets): a
COCO-style file of images and annotations (no categories, no keypoints), a
camera file and a file of world joint coordinates."""
import json
import os

import numpy as np
from xtcocotools.coco import COCO

from .coco_format import CocoFormatMixin

#: Keypoints per hand; a hand's root (its wrist) is its last keypoint.
HAND_JOINTS = 21


def _read_json(path, key):
    if not os.path.isfile(path):
        raise FileNotFoundError(f'{key} {path!r} not found')
    with open(path, 'r') as f:
        return json.load(f)


class InterHandFormatMixin(CocoFormatMixin):
    """Loading of InterHand2.6M files.

    An image names its ``capture``, ``camera`` and ``frame_idx``; the camera
    file holds per capture the ``campos``, ``camrot``, ``focal`` and
    ``princpt`` of each camera, and the joint file per capture and frame the
    ``world_coord`` of both hands' 42 joints (right hand 0-20, left hand
    21-41, each with its wrist last), in mm. The first annotation of an
    image gives ``joint_valid``, ``hand_type``, ``hand_type_valid`` and
    ``bbox``.

    A dataset using it sets ``camera_file``, ``joint_file`` and
    ``img_prefix`` before loading.
    """

    def _load_coco(self, ann_file, num_joints=None, require_annotations=True):
        """Index the images and annotations of ``ann_file`` (not COCO
        keypoints: no categories, joints in the joint file)."""
        _read_json(ann_file, 'annotation file (config key ann_file)')
        self.coco = COCO(ann_file)
        self.img_ids = self.coco.getImgIds()
        self.num_images = len(self.img_ids)
        self.id2name, self.name2id = self._get_mapping_id_name(self.coco.imgs)

    def _load_interhand_frames(self):
        """The camera and joints of every image, in ``img_ids`` order.

        A world joint X is seen by a camera at position T with rotation R at
        ``R (X - T)``, and in the image at ``x / z * focal + princpt``.

        Note:
            Shapes: N images.

        Returns:
            dict: ``anns`` (list[dict]: each image's first annotation),
            ``ann_ids`` (list[int]), ``images`` (list[dict]),
            ``joints_cam`` (np.ndarray[N, 42, 3]), ``joints_img``
            (np.ndarray[N, 42, 2]), ``joint_valid`` (np.ndarray[N, 42]),
            ``focal`` and ``princpt`` (np.ndarray[N, 2]), float32.
        """
        cameras = _read_json(self.camera_file,
                             'camera file (config key camera_file)')
        joints = _read_json(self.joint_file,
                            'joint file (config key joint_file)')
        images, anns, ann_ids, views = [], [], [], []
        for img_id in self.img_ids:
            ann_id = self.coco.getAnnIds(imgIds=img_id, iscrowd=False)[0]
            img = self.coco.imgs[img_id]
            camera = cameras[str(img['capture'])]
            images.append(img)
            anns.append(self.coco.anns[ann_id])
            ann_ids.append(ann_id)
            views.append({
                key: camera[key][img['camera']]
                for key in ('camrot', 'campos', 'focal', 'princpt')
            })
            views[-1]['world'] = joints[str(img['capture'])][str(
                img['frame_idx'])]['world_coord']

        def stack(key, *shape):
            return np.array([view[key] for view in views],
                            dtype=np.float32).reshape((len(views), ) + shape)

        rot, pos = stack('camrot', 3, 3), stack('campos', 3)
        focal, princpt = stack('focal', 2), stack('princpt', 2)
        world = stack('world', 2 * HAND_JOINTS, 3)
        joints_cam = (world - pos[:, None]) @ rot.transpose(0, 2, 1)
        joints_img = (joints_cam[..., :2] / joints_cam[..., 2:] *
                      focal[:, None] + princpt[:, None])
        joint_valid = np.array([ann['joint_valid'] for ann in anns],
                               dtype=np.float32).reshape(len(anns), -1)
        return dict(images=images, anns=anns, ann_ids=ann_ids,
                    joints_cam=joints_cam, joints_img=joints_img,
                    joint_valid=joint_valid, focal=focal, princpt=princpt)
