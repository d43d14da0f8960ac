
import mmcv
import numpy as np
from mmcv.image import imwrite
from mmcv.runner import auto_fp16
from mmcv.visualization.image import imshow

from mmpose.core.visualization import imshow_bboxes, imshow_keypoints
from mmpose.utils import check
from ..registry import POSENETS
from .base import BasePose


@POSENETS.register_module()
class TopDown(BasePose):
    """Top-down pose detectors.

    Args:
        backbone (dict): Backbone modules to extract feature.
        neck (dict | None): Neck modules to process feature. Default: None.
        keypoint_head (dict): Keypoint head to process feature.
        train_cfg (dict): Config for training. Default: None.
        test_cfg (dict): Config for testing. Default: None.
        pretrained (str): Path to the pretrained models.
        loss_pose (None): Deprecated arguments. Please use
            ``loss_keypoint`` for heads instead.
    """

    def __init__(self,
                 backbone,
                 neck=None,
                 keypoint_head=None,
                 train_cfg=None,
                 test_cfg=None,
                 pretrained=None,
                 loss_pose=None):
        super().__init__()
        self.train_cfg = train_cfg
        self.test_cfg = test_cfg
        self._build_components(
            backbone,
            neck,
            keypoint_head,
            head_cfgs=dict(train_cfg=train_cfg, test_cfg=test_cfg),
            loss_pose=loss_pose)
        self.init_weights(pretrained=pretrained)

    @auto_fp16(apply_to=('img', ))
    def forward(self,
                img,
                target=None,
                target_weight=None,
                img_metas=None,
                return_loss=True,
                return_heatmap=False,
                **kwargs):
        """Calls either forward_train or forward_test depending on whether
        return_loss=True. Note this setting will change the expected inputs.

        Note:
            batch_size: N
            num_keypoints: K
            num_img_channel: C (Default: 3)
            img height: imgH
            img width: imgW
            heatmaps height: H
            heatmaps weight: W

        Args:
            img (torch.Tensor[N, C, imgH, imgW]): Input images.
            target (torch.Tensor[N, K, H, W]): Target heatmaps.
            target_weight (torch.Tensor[N, K, 1]): Weights across
                different joint types.
            img_metas (list(dict)): Information about data augmentation
                By default this includes:
                - "image_file: path to the image file
                - "center": center of the bbox
                - "scale": scale of the bbox
                - "rotation": rotation of the bbox
                - "bbox_score": score of bbox
                - "flip_pairs": pairs of mirrored keypoints (flip test)
            return_loss (bool): Option to return loss. `return loss=True`
                for training, `return loss=False` for validation & test.
            return_heatmap (bool) : Option to return heatmap.

        Returns:
            dict: The losses and accuracies when ``return_loss`` is true;
                otherwise ``preds`` (np.ndarray[N, K, 3]), ``boxes``
                (np.ndarray[N, 6]), ``image_paths``, ``bbox_ids`` and
                ``output_heatmap`` (np.ndarray[N, K, H, W] when
                ``return_heatmap``, else None).

        Note:
            ``output_heatmap`` holds the model's heatmaps (averaged with the
            flipped-back ones in the flip test) untouched. 0.14 returned
            them after 'unbiased' (DARK) or 'megvii' decoding had blurred
            (and, for DARK, log-transformed) them in place; decoding here
            works on copies.
        """
        if return_loss:
            return self.forward_train(img, target, target_weight, img_metas,
                                      **kwargs)
        return self.forward_test(
            img, img_metas, return_heatmap=return_heatmap, **kwargs)

    def _extract_heatmaps(self, img):
        """Backbone, neck and keypoint head on ``img``."""
        output = self.backbone(img)
        if self.with_neck:
            output = self.neck(output)
        if self.with_keypoint:
            output = self.keypoint_head(output)
        return output

    def forward_train(self, img, target, target_weight, img_metas, **kwargs):
        """Defines the computation performed at every call when training."""
        output = self._extract_heatmaps(img)

        # if return loss
        losses = dict()
        if self.with_keypoint:
            losses.update(
                self.keypoint_head.get_loss(output, target, target_weight))
            losses.update(
                self.keypoint_head.get_accuracy(output, target, target_weight))
        return losses

    def forward_test(self, img, img_metas, return_heatmap=False, **kwargs):
        """Defines the computation performed at every call when testing."""
        check(
            img.size(0) == len(img_metas),
            f'got {img.size(0)} images and {len(img_metas)} img_metas')
        _, _, img_height, img_width = img.shape
        test_cfg = self.test_cfg or {}

        result = {}
        features = self.backbone(img)
        if self.with_neck:
            features = self.neck(features)
        if self.with_keypoint:
            output_heatmap = self.keypoint_head.inference_model(
                features, flip_pairs=None)

        if test_cfg.get('flip_test', True):
            features_flipped = self.backbone(img.flip(3))
            if self.with_neck:
                features_flipped = self.neck(features_flipped)
            if self.with_keypoint:
                output_flipped_heatmap = self.keypoint_head.inference_model(
                    features_flipped, img_metas[0]['flip_pairs'])
                output_heatmap = (output_heatmap +
                                  output_flipped_heatmap) * 0.5

        if self.with_keypoint:
            result.update(
                self.keypoint_head.decode(
                    img_metas,
                    output_heatmap,
                    img_size=[img_width, img_height]))
            result['output_heatmap'] = (
                output_heatmap if return_heatmap else None)

        return result

    def forward_dummy(self, img):
        """Used for computing network FLOPs.

        See ``tools/get_flops.py``.

        Args:
            img (torch.Tensor): Input image.

        Returns:
            Tensor: Output heatmaps.
        """
        return self._extract_heatmaps(img)

    def show_result(self,
                    img,
                    result,
                    skeleton=None,
                    kpt_score_thr=0.3,
                    bbox_color='green',
                    pose_kpt_color=None,
                    pose_limb_color=None,
                    text_color=(255, 0, 0),
                    radius=4,
                    thickness=1,
                    font_scale=0.5,
                    win_name='',
                    show=False,
                    show_keypoint_weight=False,
                    wait_time=0,
                    out_file=None):
        """Draw `result` over `img`.

        Note:
            num_persons: N
            num_keypoints: K
            num_links: L

        Args:
            img (str or np.ndarray): The image to be displayed.
            result (list[dict]): The results to draw over `img`: per person
                ``keypoints`` (np.ndarray[K, 3]) and optionally ``bbox``
                (np.ndarray[4] or [5]).
            skeleton (list[list]): The connection of keypoints (1-based).
            kpt_score_thr (float, optional): Minimum score of keypoints
                to be shown. Default: 0.3.
            bbox_color (str or tuple or :obj:`Color`): Color of bbox lines.
            pose_kpt_color (np.array[K, 3]): Color of K keypoints.
                If None, do not draw keypoints.
            pose_limb_color (np.array[L, 3]): Color of L limbs.
                If None, do not draw limbs.
            text_color (str or tuple or :obj:`Color`): Color of texts.
            radius (int): Radius of circles.
            thickness (int): Thickness of lines.
            font_scale (float): Font scales of texts.
            win_name (str): The window name.
            show (bool): Whether to show the image. Default: False.
            show_keypoint_weight (bool): Whether to change the transparency
                using the predicted confidence scores of keypoints.
            wait_time (int): Value of waitKey param. Default: 0.
            out_file (str or None): The filename to write the image.
                Default: None.

        Returns:
            np.ndarray[H, W, 3]: Visualized image.
        """
        img = mmcv.imread(img).copy()

        bbox_result = [res['bbox'] for res in result if 'bbox' in res]
        pose_result = [res['keypoints'] for res in result]

        if bbox_result:
            img = imshow_bboxes(
                img,
                np.vstack(bbox_result),
                colors=bbox_color,
                text_color=text_color,
                thickness=thickness,
                font_scale=font_scale,
                show=False)
        img = imshow_keypoints(
            img,
            pose_result,
            skeleton=skeleton,
            kpt_score_thr=kpt_score_thr,
            pose_kpt_color=pose_kpt_color,
            pose_link_color=pose_limb_color,
            radius=radius,
            thickness=thickness,
            show_keypoint_weight=show_keypoint_weight)

        if show:
            imshow(img, win_name, wait_time)
        if out_file is not None:
            imwrite(img, out_file)
        return img
