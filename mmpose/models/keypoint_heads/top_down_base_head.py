from abc import ABCMeta, abstractmethod

import numpy as np
import torch.nn as nn

from mmpose.core.codecs import build_codec, codec_cfg_from_test_cfg
from mmpose.core.evaluation.top_down_eval import (keypoints_from_codec,
                                                  pose_pck_accuracy)
from mmpose.utils import ArgumentError, check
from ..builder import build_loss


def _last_output(output):
    """The final prediction of a (possibly multi-stage, nested) output."""
    while isinstance(output, (list, tuple)):
        output = output[-1]
    return output


def _flatten_outputs(output):
    """Flatten nested per-stage (and per-unit) outputs into one list."""
    if not isinstance(output, (list, tuple)):
        return [output]
    return [o for out in output for o in _flatten_outputs(out)]


class TopDownBaseHead(nn.Module, metaclass=ABCMeta):
    """Base class for top-down keypoint heads.

    The base head owns the flow: loss, accuracy, flip inference and decoding
    are written here once; a subclass builds its layers (with the 0.x
    attribute names, e.g. ``deconv_layers`` / ``final_layer``) and
    ``forward``.

    A head may return one heatmap tensor or a (nested) list of them, one per
    stage (and unit); losses are summed over all of them and accuracy and
    inference use the last one.

    Decoding and flip-back go through the head's codec
    (``mmpose.core.codecs``), built once from ``test_cfg`` by
    :meth:`_build_codec`; it also knows the output channels per keypoint
    (3 for a UDP CombinedTarget).

    Subclasses call :meth:`_init_cfgs` in their ``__init__``.
    """

    def _init_cfgs(self, loss_keypoint=None, train_cfg=None, test_cfg=None):
        """Build the loss and the codec, and store the train/test configs.

        Args:
            loss_keypoint (dict | list[dict] | None): Config for keypoint
                loss (a list gives one loss per output stage). None builds
                a head for inference only.
            train_cfg (dict | None): Config for training. Default: None.
            test_cfg (dict | None): Config for testing. Default: None.
        """
        self.loss = None if loss_keypoint is None else build_loss(
            loss_keypoint)
        self.train_cfg = {} if train_cfg is None else train_cfg
        self.test_cfg = {} if test_cfg is None else test_cfg
        # 0.14's attribute, kept for code that reads it.
        self.target_type = self.test_cfg.get('target_type', 'GaussianHeatMap')
        self.codec = self._build_codec()

    def _build_codec(self):
        """The codec of the head's outputs, from 0.14's ``test_cfg`` keys
        (``use_udp``, ``target_type``, ``post_process``,
        ``modulate_kernel``, ...; see ``codec_cfg_from_test_cfg``)."""
        return build_codec(codec_cfg_from_test_cfg(self.test_cfg))

    @abstractmethod
    def forward(self, x):
        """Forward function."""

    def get_loss(self, output, target, target_weight):
        """Calculate top-down keypoint loss.

        Note:
            batch_size: N
            num_keypoints: K
            num_outputs: O
            heatmaps height: H
            heatmaps weight: W

        Args:
            output (torch.Tensor[N, K, H, W] | list[torch.Tensor]): Output
                heatmaps, or one per stage.
            target (torch.Tensor[N, K, H, W] | torch.Tensor[N, O, K, H, W]):
                Target heatmaps, shared by all outputs or one per output.
            target_weight (torch.Tensor[N, K, 1] |
                torch.Tensor[N, O, K, 1]): Weights across different joint
                types, shared by all outputs or one per output.

        Returns:
            dict: ``mse_loss`` (the 0.x key, whatever the loss type), summed
                over the outputs.
        """
        if self.loss is None:
            raise RuntimeError(f'{type(self).__name__} was built without '
                               'loss_keypoint, so it cannot compute losses')
        outputs = _flatten_outputs(output)
        per_output = target.dim() == 5
        check(
            target.dim() in (4, 5)
            and target_weight.dim() == (4 if per_output else 3),
            'target must be [N, K, H, W] with target_weight [N, K, 1], or '
            '[N, O, K, H, W] with [N, O, K, 1]; got '
            f'{tuple(target.shape)} and {tuple(target_weight.shape)}')
        if isinstance(self.loss, nn.Sequential):
            if len(self.loss) != len(outputs):
                raise ArgumentError(f'{len(self.loss)} losses configured for '
                                    f'{len(outputs)} outputs')
            criteria = list(self.loss)
        else:
            criteria = [self.loss] * len(outputs)

        total = 0.
        for i, (out, criterion) in enumerate(zip(outputs, criteria)):
            target_i, weight_i = target, target_weight
            if per_output:
                target_i, weight_i = target[:, i], target_weight[:, i]
            total = total + criterion(out, target_i, weight_i)
        return dict(mse_loss=total)

    def get_accuracy(self, output, target, target_weight):
        """Calculate accuracy for top-down keypoint loss.

        Note:
            batch_size: N
            num_keypoints: K
            heatmaps height: H
            heatmaps weight: W

        Args:
            output (torch.Tensor[N, K, H, W]): Output heatmaps (for
                multi-stage heads the last output is used).
            target (torch.Tensor[N, K, H, W]): Target heatmaps.
            target_weight (torch.Tensor[N, K, 1]): Weights across different
                joint types.

        Returns:
            dict: ``acc_pose`` (PCK of the heatmap maxima), only for
                codecs with one heatmap per keypoint.
        """
        accuracy = dict()
        if self.codec.channels_per_keypoint == 1:
            output = _last_output(output)
            if target.dim() == 5:
                target, target_weight = target[:, -1], target_weight[:, -1]
            _, avg_acc, _ = pose_pck_accuracy(
                output.detach().cpu().numpy(),
                target.detach().cpu().numpy(),
                target_weight.detach().cpu().numpy().squeeze(-1) > 0)
            accuracy['acc_pose'] = float(avg_acc)
        return accuracy

    def inference_model(self, x, flip_pairs=None):
        """Inference function.

        Args:
            x (torch.Tensor[N, C, H, W] | list[torch.Tensor]): Input
                features.
            flip_pairs (None | list[tuple()]): Pairs of keypoints which are
                mirrored; given when ``x`` comes from a flipped image, whose
                heatmaps are then flipped back by the codec.

        Returns:
            np.ndarray[N, K, H, W]: Output heatmaps.
        """
        output = _last_output(self.forward(x))
        output_heatmap = output.detach().cpu().numpy()
        if flip_pairs is not None:
            output_heatmap = self.codec.flip_back(output_heatmap, flip_pairs)
            # Features of a flipped image are not aligned with the original
            # (deconv / stride effects): shift the heatmap by one pixel.
            if self.test_cfg.get('shift_heatmap', False):
                output_heatmap[:, :, :, 1:] = output_heatmap[:, :, :, :-1]
        return output_heatmap

    def decode(self, img_metas, output, **kwargs):
        """Decode keypoints from heatmaps.

        Note:
            batch_size: N
            num_keypoints: K

        Args:
            img_metas (list(dict)): Information about data augmentation
                By default this includes:
                - "image_file: path to the image file
                - "center": center of the bbox
                - "scale": scale of the bbox
                - "rotation": rotation of the bbox
                - "bbox_score": score of bbox
                - "bbox_id" (optional): id of the bbox
            output (np.ndarray[N, K, H, W]): model predicted heatmaps.

        Returns:
            dict: ``preds`` (np.ndarray[N, K, 3]: x, y, score),
                ``boxes`` (np.ndarray[N, 6]: center, scale, area, score),
                ``image_paths`` (list[str]) and ``bbox_ids`` (list or None).
        """
        batch_size = len(img_metas)
        bbox_ids = ([meta['bbox_id'] for meta in img_metas]
                    if 'bbox_id' in img_metas[0] else None)
        c = np.array([meta['center'] for meta in img_metas],
                     dtype=np.float32).reshape(batch_size, 2)
        s = np.array([meta['scale'] for meta in img_metas],
                     dtype=np.float32).reshape(batch_size, 2)
        image_paths = [meta['image_file'] for meta in img_metas]
        scores = [np.ravel(meta.get('bbox_score', 1))[0] for meta in img_metas]
        score = np.array(scores, dtype=np.float64)

        preds, maxvals = self._decode_keypoints(output, c, s, **kwargs)

        all_preds = np.zeros((batch_size, preds.shape[1], 3), dtype=np.float32)
        all_boxes = np.zeros((batch_size, 6), dtype=np.float32)
        all_preds[:, :, 0:2] = preds[:, :, 0:2]
        all_preds[:, :, 2:3] = maxvals
        all_boxes[:, 0:2] = c
        all_boxes[:, 2:4] = s
        # 0.x box area: scale is in units of 200 pixels.
        all_boxes[:, 4] = np.prod(s * 200.0, axis=1)
        all_boxes[:, 5] = score

        return dict(
            preds=all_preds,
            boxes=all_boxes,
            image_paths=image_paths,
            bbox_ids=bbox_ids)

    def _decode_keypoints(self, output, center, scale, **kwargs):
        """Keypoints in image coordinates from the head's output.

        Decodes with the head's codec; a head with another output encoding
        overrides this.

        Args:
            output (np.ndarray[N, C, H, W]): Model predicted heatmaps.
            center (np.ndarray[N, 2]): Box centers.
            scale (np.ndarray[N, 2]): Box scales.

        Returns:
            tuple: preds (np.ndarray[N, K, 2]) and maxvals
                (np.ndarray[N, K, 1]).
        """
        return keypoints_from_codec(self.codec, output, center, scale)
