from abc import ABCMeta, abstractmethod

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_upsample_layer

from mmpose.core.evaluation import keypoints_from_heatmaps, pose_pck_accuracy
from mmpose.core.post_processing import flip_back
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

    Subclasses call :meth:`_init_cfgs` in their ``__init__``.
    """

    def _init_cfgs(self, loss_keypoint=None, train_cfg=None, test_cfg=None):
        """Build the loss and store the train/test configs.

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
        self.target_type = self.test_cfg.get('target_type', 'GaussianHeatMap')

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
        assert target.dim() in (4, 5) and target_weight.dim() == (
            4 if per_output else 3), (
                'target must be [N, K, H, W] with target_weight [N, K, 1], '
                'or [N, O, K, H, W] with [N, O, K, 1]; got '
                f'{tuple(target.shape)} and {tuple(target_weight.shape)}')
        if isinstance(self.loss, nn.Sequential):
            if len(self.loss) != len(outputs):
                raise ValueError(f'{len(self.loss)} losses configured for '
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
                'GaussianHeatMap' targets.
        """
        accuracy = dict()
        if self.target_type == 'GaussianHeatMap':
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
                heatmaps are then flipped back.

        Returns:
            np.ndarray[N, K, H, W]: Output heatmaps.
        """
        output = _last_output(self.forward(x))
        output_heatmap = output.detach().cpu().numpy()
        if flip_pairs is not None:
            output_heatmap = flip_back(
                output_heatmap, flip_pairs, target_type=self.target_type)
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

        Heatmap heads decode with ``keypoints_from_heatmaps`` and the test
        config; a head with another output encoding overrides this.

        Args:
            output (np.ndarray[N, K, H, W]): Model predicted heatmaps.
            center (np.ndarray[N, 2]): Box centers.
            scale (np.ndarray[N, 2]): Box scales.

        Returns:
            tuple: preds (np.ndarray[N, K, 2]) and maxvals
                (np.ndarray[N, K, 1]).
        """
        return keypoints_from_heatmaps(
            output,
            center,
            scale,
            unbiased=self.test_cfg.get('unbiased_decoding', False),
            post_process=self.test_cfg.get('post_process', 'default'),
            kernel=self.test_cfg.get('modulate_kernel', 11),
            valid_radius_factor=self.test_cfg.get('valid_radius_factor',
                                                  0.0546875),
            use_udp=self.test_cfg.get('use_udp', False),
            target_type=self.test_cfg.get('target_type', 'GaussianHeatMap'))

    # Layer-building helpers shared by deconv heads.

    def _init_inputs(self, in_channels, in_index, input_transform):
        """Check and initialize input transforms.

        Args:
            in_channels (int | Sequence[int]): Input channels.
            in_index (int | Sequence[int]): Input feature index.
            input_transform (str | None): Transformation type of input
                features: 'resize_concat', 'multiple_select' or None.
        """
        assert input_transform in (None, 'resize_concat', 'multiple_select'), (
            'input_transform must be None, "resize_concat" or '
            f'"multiple_select", got "{input_transform}"')
        self.input_transform = input_transform
        self.in_index = in_index
        if input_transform is not None:
            sequences = (list, tuple)
            assert (isinstance(in_channels, sequences)
                    and isinstance(in_index, sequences)
                    and len(in_channels) == len(in_index)), (
                        f'input_transform="{input_transform}" needs lists of '
                        'equal length for in_channels and in_index, got '
                        f'{in_channels!r} and {in_index!r}')
            if input_transform == 'resize_concat':
                self.in_channels = sum(in_channels)
            else:
                self.in_channels = in_channels
        else:
            assert isinstance(in_channels, int) and isinstance(
                in_index, int), (
                    'without input_transform, in_channels and in_index must '
                    f'be ints, got {in_channels!r} and {in_index!r}')
            self.in_channels = in_channels

    def _transform_inputs(self, inputs):
        """Transform inputs for decoder.

        Args:
            inputs (list[torch.Tensor] | torch.Tensor): multi-level img
                features, or a single feature map (used as is).

        Returns:
            torch.Tensor | list[torch.Tensor]: The selected features.
        """
        if not isinstance(inputs, (list, tuple)):
            return inputs
        if self.input_transform == 'resize_concat':
            inputs = [inputs[i] for i in self.in_index]
            upsampled_inputs = [
                F.interpolate(
                    x,
                    size=inputs[0].shape[2:],
                    mode='bilinear',
                    align_corners=self.align_corners) for x in inputs
            ]
            return torch.cat(upsampled_inputs, dim=1)
        if self.input_transform == 'multiple_select':
            return [inputs[i] for i in self.in_index]
        return inputs[self.in_index]

    def _make_deconv_layer(self, num_layers, num_filters, num_kernels):
        """Make deconv layers (ConvTranspose2d stride 2 + BN + ReLU each).

        Starts from ``self.in_channels`` and leaves it at the last number
        of filters, as 0.x did.
        """
        if num_layers != len(num_filters):
            raise ValueError(f'num_layers({num_layers}) '
                             f'!= length of num_filters({len(num_filters)})')
        if num_layers != len(num_kernels):
            raise ValueError(f'num_layers({num_layers}) '
                             f'!= length of num_kernels({len(num_kernels)})')

        layers = []
        for planes, kernel_size in zip(num_filters, num_kernels):
            kernel, padding, output_padding = self._get_deconv_cfg(kernel_size)
            layers.append(
                build_upsample_layer(
                    dict(type='deconv'),
                    in_channels=self.in_channels,
                    out_channels=planes,
                    kernel_size=kernel,
                    stride=2,
                    padding=padding,
                    output_padding=output_padding,
                    bias=False))
            layers.append(nn.BatchNorm2d(planes))
            layers.append(nn.ReLU(inplace=True))
            self.in_channels = planes

        return nn.Sequential(*layers)

    @staticmethod
    def _get_deconv_cfg(deconv_kernel):
        """Get configurations for deconv layers.

        Returns:
            tuple[int]: kernel size, padding and output padding giving an
                exact 2x upsampling.
        """
        if deconv_kernel == 4:
            padding, output_padding = 1, 0
        elif deconv_kernel == 3:
            padding, output_padding = 1, 1
        elif deconv_kernel == 2:
            padding, output_padding = 0, 0
        else:
            raise ValueError(f'Not supported num_kernels ({deconv_kernel}): '
                             'expected 2, 3 or 4.')
        return deconv_kernel, padding, output_padding
