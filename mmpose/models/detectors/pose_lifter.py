import mmcv
import numpy as np
from mmcv.runner import auto_fp16
from mmcv.visualization.image import imshow

from mmpose.core.visualization import imshow_keypoints
from mmpose.utils import check
from ..registry import POSENETS
from .base import BasePose


@POSENETS.register_module()
class PoseLifter(BasePose):
    """Pose lifter that lifts 2D pose to 3D pose.

    Args:
        backbone (dict): Config for the backbone of pose model.
        neck (dict | None): Config for the neck of pose model.
        keypoint_head (dict | None): Config for the head of pose model.
        train_cfg (dict | None): Config for keypoint head during training.
        test_cfg (dict | None): Config for keypoint head during testing.
        pretrained (str | None): Path to pretrained weights.
    """

    def __init__(self,
                 backbone,
                 neck=None,
                 keypoint_head=None,
                 train_cfg=None,
                 test_cfg=None,
                 pretrained=None):
        super().__init__()
        self.train_cfg = train_cfg
        self.test_cfg = test_cfg
        self._build_components(
            backbone,
            neck,
            keypoint_head,
            head_cfgs=dict(train_cfg=train_cfg, test_cfg=test_cfg))
        self.init_weights(pretrained=pretrained)

    @auto_fp16(apply_to=('input', ))
    def forward(self,
                input,
                target=None,
                target_weight=None,
                metas=None,
                return_loss=True,
                **kwargs):
        """Calls either forward_train or forward_test depending on whether
        return_loss=True.

        Note:
            batch_size: N
            num_input_keypoints: Ki
            input_keypoint_dim: Ci
            input_sequence_len: Ti
            num_output_keypoints: Ko
            output_keypoint_dim: Co

        Args:
            input (torch.Tensor[N, Ki * Ci, Ti]): Input keypoint coordinates
                (as ``PoseSequenceToTensor`` lays them out).
            target (torch.Tensor[N, Ko, Co]): Output keypoint coordinates.
                Defaults to None.
            target_weight (torch.Tensor[N, Ko, 1]): Weights across different
                joint types. Defaults to None.
            metas (list(dict)): Information about data augmentation.
            return_loss (bool): Option to return loss. `return loss=True`
                for training, `return loss=False` for validation & test.

        Returns:
            dict: The losses and accuracies when ``return_loss`` is true;
                otherwise the predicted poses (``preds``,
                ``target_image_paths``).
        """
        if return_loss:
            return self.forward_train(input, target, target_weight, metas,
                                      **kwargs)
        return self.forward_test(input, metas, **kwargs)

    def _lift(self, input):
        """Backbone, neck and the keypoint head's forward on ``input``."""
        output = self.backbone(input)
        if self.with_neck:
            output = self.neck(output)
        if self.with_keypoint:
            output = self.keypoint_head(output)
        return output

    def forward_train(self, input, target, target_weight, metas, **kwargs):
        """Defines the computation performed at every call when training."""
        check(
            input.size(0) == len(metas),
            f'got {input.size(0)} input sequences and {len(metas)} metas')
        output = self._lift(input)
        losses = dict()
        if self.with_keypoint:
            losses.update(
                self.keypoint_head.get_loss(output, target, target_weight))
            losses.update(
                self.keypoint_head.get_accuracy(output, target, target_weight,
                                                metas))
        return losses

    def forward_test(self, input, metas, **kwargs):
        """Defines the computation performed at every call when testing.

        Returns:
            dict: ``preds`` (np.ndarray[N, Ko, 3]) and
                ``target_image_paths`` (list[str]).
        """
        check(
            input.size(0) == len(metas),
            f'got {input.size(0)} input sequences and {len(metas)} metas')
        results = {}
        features = self.backbone(input)
        if self.with_neck:
            features = self.neck(features)
        if self.with_keypoint:
            output = self.keypoint_head.inference_model(features)
            results.update(self.keypoint_head.decode(metas, output))
        return results

    def forward_dummy(self, input):
        """Used for computing network FLOPs.

        See ``tools/get_flops.py``.

        Args:
            input (torch.Tensor): Input pose

        Returns:
            Tensor: Model output
        """
        return self._lift(input)

    def show_result(self,
                    result,
                    img=None,
                    skeleton=None,
                    pose_kpt_color=None,
                    pose_limb_color=None,
                    radius=8,
                    thickness=2,
                    vis_height=400,
                    win_name='',
                    show=False,
                    wait_time=0,
                    out_file=None):
        """Draw 3D pose results as a front (x-y) and a side (z-y) view.

        Each view is an orthographic projection of every pose, scaled
        together to ``vis_height`` pixels; with ``img`` the (rescaled) image
        is put on the left.

        Note:
            num_persons: N
            num_keypoints: K
            num_links: L

        Args:
            result (list[dict]): Per person ``keypoints_3d``
                (np.ndarray[K, 3] or [K, 4] with a score).
            img (str | np.ndarray | None): Image to show beside the poses.
            skeleton (list[list[int]] | None): L links, 1-based.
            pose_kpt_color (np.ndarray[K, 3] | None): Keypoint colours.
            pose_limb_color (np.ndarray[L, 3] | None): Link colours.
            radius (int): Keypoint radius. Default: 8.
            thickness (int): Link thickness. Default: 2.
            vis_height (int): Height of the drawing. Default: 400.
            win_name (str): The window name.
            show (bool): Whether to show the image. Default: False.
            wait_time (int): Value of waitKey param. Default: 0.
            out_file (str | None): The filename to write the image.

        Returns:
            np.ndarray[H, W, 3]: Visualized image.
        """
        poses = [np.asarray(r['keypoints_3d'], np.float64) for r in result]
        panels = []
        if img is not None:
            img = mmcv.imread(img).copy()
            panels.append(mmcv.imrescale(img, vis_height / img.shape[0]))
        margin = 0.1 * vis_height
        if poses:
            xyz = np.concatenate([p[:, :3] for p in poses])
            low = xyz.min(0)
            scale = (vis_height - 2 * margin) / max(np.ptp(xyz, 0).max(),
                                                    1e-6)
        for axis in (0, 2):  # x (front view), z (side view)
            canvas = np.full((vis_height, vis_height, 3), 255, np.uint8)
            drawn = []
            for pose in poses:
                score = pose[:, 3:4] if pose.shape[1] > 3 else np.ones(
                    (len(pose), 1))
                uv = (pose[:, [axis, 1]] - low[[axis, 1]]) * scale + margin
                drawn.append(np.concatenate([uv, score], axis=1))
            panels.append(
                imshow_keypoints(
                    canvas,
                    drawn,
                    skeleton=skeleton,
                    kpt_score_thr=0.3,
                    pose_kpt_color=pose_kpt_color,
                    pose_link_color=pose_limb_color,
                    radius=radius,
                    thickness=thickness))
        img_vis = np.concatenate(panels, axis=1)
        if show:
            imshow(img_vis, win_name, wait_time)
        if out_file is not None:
            mmcv.imwrite(img_vis, out_file)
        return img_vis
