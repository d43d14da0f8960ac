
import mmcv
import numpy as np
import torch
from mmcv.image import imwrite
from mmcv.runner import auto_fp16
from mmcv.visualization.image import imshow

from mmpose.core.evaluation import (aggregate_results, get_group_preds,
                                    get_multi_stage_outputs)
from mmpose.core.post_processing.group import HeatmapParser
from mmpose.core.visualization import imshow_keypoints
from mmpose.utils import check
from ..registry import POSENETS
from .base import BasePose


@POSENETS.register_module()
class BottomUp(BasePose):
    """Bottom-up pose detectors: a backbone and a bottom-up head, whose
    detections are grouped into people by associative embedding.

    Args:
        backbone (dict): Config of the backbone.
        keypoint_head (dict | None): Config of the bottom-up head.
        train_cfg (dict | None): Training settings. Default: None.
        test_cfg (dict | None): Test settings: flip test, scales, stage
            outputs and the grouping settings of ``HeatmapParser``.
        pretrained (str | None): Pretrained backbone weights.
        loss_pose (dict | None): Deprecated; the head's ``loss_keypoint``
            takes its place.
    """

    def __init__(self, backbone, keypoint_head=None, train_cfg=None,
                 test_cfg=None, pretrained=None, loss_pose=None):
        super().__init__()
        # 0.14's BottomUp gave its head no train/test config.
        self._build_components(backbone, None, keypoint_head,
                               loss_pose=loss_pose)

        self.train_cfg = train_cfg
        self.test_cfg = test_cfg if test_cfg is not None else {}
        self.use_udp = self.test_cfg.get('use_udp', False)
        self.parser = (
            HeatmapParser(self.test_cfg) if 'num_joints' in self.test_cfg
            else None)
        self.init_weights(pretrained=pretrained)

    @auto_fp16(apply_to=('img', ))
    def forward(self, img=None, targets=None, masks=None, joints=None,
                img_metas=None, return_loss=True, return_heatmap=False,
                **kwargs):
        """Calls either forward_train or forward_test depending on whether
        return_loss is True.

        Note:
            Shape letters: N batch, K keypoints, C image channels,
            imgH x imgW images, H x W heatmaps, M max_num_people.

        Args:
            img (torch.Tensor[N, C, imgH, imgW]): Input image.
            targets, masks, joints: Training targets, as
                :meth:`BottomUpBaseHead.get_loss` takes them.
            img_metas (list(dict)): Information about val & test:
                "image_file" (image path), "aug_data" (the input at each
                test scale), "test_scale_factor", "base_size", "center",
                "scale" of the image and "flip_index" of the keypoints.
            return_loss (bool): Option to 'return_loss'. 'return_loss=True'
                for training, 'return_loss=False' for validation & test
            return_heatmap (bool) : Option to return heatmap.

        Returns:
            dict | tuple: The losses when ``return_loss``; otherwise the
                predicted poses (list[np.ndarray[K, 3 + L]]), their scores,
                the image paths and the heatmaps (np.ndarray[1, K, H, W]
                with ``return_heatmap``, else None).
        """
        if return_loss:
            return self.forward_train(img, targets, masks, joints, img_metas,
                                      **kwargs)
        return self.forward_test(
            img, img_metas, return_heatmap=return_heatmap, **kwargs)

    def _head_outputs(self, img):
        output = self.backbone(img)
        if self.with_keypoint:
            output = self.keypoint_head(output)
        return output

    def forward_train(self, img, targets, masks, joints, img_metas, **kwargs):
        """Forward the bottom-up model and calculate the loss (see
        :meth:`forward` for the arguments).

        Returns:
            dict: The total loss for bottom-up: ``heatmap_loss``,
                ``push_loss`` and ``pull_loss``.
        """
        output = self._head_outputs(img)
        losses = dict()
        if self.with_keypoint:
            losses.update(
                self.keypoint_head.get_loss(output, targets, masks, joints))
        return losses

    def forward_dummy(self, img):
        """Used for computing network FLOPs.

        See ``tools/analysis/get_flops.py``.

        Args:
            img (torch.Tensor): Input image.

        Returns:
            list[torch.Tensor]: Outputs of the head (or the backbone's
                features without a head).
        """
        return self._head_outputs(img)

    def forward_test(self, img, img_metas, return_heatmap=False, **kwargs):
        """Inference the bottom-up model.

        Note:
            Batchsize = N (currently support batchsize = 1)

        Args:
            img (torch.Tensor[1, ...]): The image (only its batch size and
                device are used; the inputs are ``aug_data``).
            img_metas (list[dict]): One dict: flip_index (List(int)),
                aug_data (List(Tensor[1, C, imgH, imgW])) multi-scale
                images, test_scale_factor (List(float)), base_size
                (Tuple(int)) size of the image at scale 1, center
                (np.ndarray) and scale (np.ndarray) of the image.
            return_heatmap (bool): Option to return the heatmaps.

        Returns:
            tuple: preds (list[np.ndarray[K, 3 + L]]), scores (list),
                image_paths (list[str]) and output_heatmap
                (np.ndarray[1, K, H, W] | None).
        """
        check(img.size(0) == 1,
              f'bottom-up test takes one image at a time, got {img.size(0)}')
        check(
            len(img_metas) == 1,
            f'bottom-up test takes one img_metas, got {len(img_metas)}')
        check(self.parser is not None,
              'test_cfg must hold the grouping settings (num_joints, ...)')
        img_metas = img_metas[0]
        aug_data = img_metas['aug_data']
        test_scale_factor = img_metas['test_scale_factor']
        base_size = img_metas['base_size']
        center = img_metas['center']
        scale = img_metas['scale']
        test_cfg = self.test_cfg
        flip_test = test_cfg.get('flip_test', True)

        aggregated_heatmaps = None
        tags_list = []
        for idx, s in enumerate(sorted(test_scale_factor, reverse=True)):
            image_resized = aug_data[idx].to(img.device)
            outputs = self._head_outputs(image_resized)
            outputs_flipped = (
                self._head_outputs(torch.flip(image_resized, [3]))
                if flip_test else None)

            _, heatmaps, tags = get_multi_stage_outputs(
                outputs,
                outputs_flipped,
                test_cfg['num_joints'],
                test_cfg['with_heatmaps'],
                test_cfg['with_ae'],
                test_cfg['tag_per_joint'],
                img_metas['flip_index'],
                test_cfg['project2image'],
                base_size,
                align_corners=self.use_udp)

            aggregated_heatmaps, tags_list = aggregate_results(
                s,
                aggregated_heatmaps,
                tags_list,
                heatmaps,
                tags,
                test_scale_factor,
                test_cfg['project2image'],
                flip_test,
                align_corners=self.use_udp)

        # average heatmaps of different scales
        aggregated_heatmaps = aggregated_heatmaps / float(
            len(test_scale_factor))
        tags = torch.cat(tags_list, dim=4)

        # perform grouping
        grouped, scores = self.parser.parse(aggregated_heatmaps, tags,
                                            test_cfg['adjust'],
                                            test_cfg['refine'])

        preds = get_group_preds(
            grouped,
            center,
            scale, [aggregated_heatmaps.size(3),
                    aggregated_heatmaps.size(2)],
            use_udp=self.use_udp)

        image_paths = [img_metas['image_file']]
        output_heatmap = (
            aggregated_heatmaps.detach().cpu().numpy()
            if return_heatmap else None)
        return preds, scores, image_paths, output_heatmap

    def show_result(self, img, result, skeleton=None, kpt_score_thr=0.3,
                    bbox_color=None, pose_kpt_color=None,
                    pose_limb_color=None, radius=4, thickness=1,
                    font_scale=0.5, win_name='', show=False,
                    show_keypoint_weight=False, wait_time=0, out_file=None):
        """Draw `result` over `img`.

        Note:
            Shape letters: K keypoints, L limbs.

        Args:
            img (str or Tensor): The image to be displayed.
            result (list[dict]): The results to draw over `img`: per person
                ``keypoints`` (np.ndarray[K, 3]).
            skeleton (list[list]): Limbs as pairs of 1-based keypoint ids.
            kpt_score_thr (float): Keypoints scoring lower are not drawn.
            bbox_color: Unused: bottom-up results have no boxes.
            pose_kpt_color (np.array[K, 3] | None): Keypoint colours (None:
                no keypoints).
            pose_limb_color (np.array[L, 3] | None): Limb colours (None: no
                limbs).
            radius (int), thickness (int): Circle radius, line thickness.
            font_scale (float): Unused (no box labels).
            win_name (str), show (bool), wait_time (int): Show the drawing
                in a window of this name for ``wait_time`` ms (0: a key).
            show_keypoint_weight (bool): Blend keypoints by their scores.
            out_file (str | None): Write the drawing there.

        Returns:
            np.ndarray[H, W, 3]: Visualized image.
        """
        img = mmcv.imread(img).copy()
        pose_result = [np.asarray(res['keypoints']) for res in result]
        img = imshow_keypoints(img, pose_result, skeleton, kpt_score_thr,
                               pose_kpt_color, pose_limb_color, radius,
                               thickness, show_keypoint_weight)
        if show:
            imshow(img, win_name, wait_time)
        if out_file is not None:
            imwrite(img, out_file)
        return img
