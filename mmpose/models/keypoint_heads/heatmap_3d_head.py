import numpy as np

from mmpose.core.evaluation.top_down_eval import keypoint_pck_accuracy
from mmpose.core.post_processing import flip_back
from mmpose.core.post_processing.post_transforms import transform_preds_batch
from mmpose.utils import check
from ..registry import HEADS
from .top_down_simple_head import TopDownSimpleHead


def _get_max_preds_3d(heatmaps):
    """Get keypoint predictions from 3D score maps.

    Note:
        batch size: N
        num keypoints: K
        heatmap depth size: D
        heatmap height: H
        heatmap width: W

    Args:
        heatmaps (np.ndarray[N, K, D, H, W]): model predicted heatmaps.

    Returns:
        tuple: A tuple containing aggregated results.

        - preds (np.ndarray[N, K, 3]): Predicted keypoint location (x, y,
          depth bin); -1 where the maximum is not positive.
        - maxvals (np.ndarray[N, K, 1]): Scores (confidence) of the keypoints.
    """
    check(
        isinstance(heatmaps, np.ndarray) and heatmaps.ndim == 5,
        'heatmaps must be a numpy.ndarray [N, K, D, H, W], got '
        f'{type(heatmaps).__name__} of shape {np.shape(heatmaps)}')
    N, K, D, H, W = heatmaps.shape
    flat = heatmaps.reshape((N, K, -1))
    idx = np.argmax(flat, 2)
    maxvals = np.take_along_axis(flat, idx[..., None], 2)
    z, y, x = np.unravel_index(idx, (D, H, W))
    preds = np.stack([x, y, z], axis=-1).astype(np.float32)
    preds = np.where(maxvals > 0.0, preds, -1).astype(np.float32)
    return preds, maxvals


@HEADS.register_module()
class HeatMap3DHead(TopDownSimpleHead):
    """3D heatmap head of paper ref: Gyeongsik Moon. "InterHand2.6M: A
    Dataset and Baseline for 3D Interacting Hand Pose Estimation from a
    Single RGB Image".

    HeatMap3DHead is a variant of TopDownSimpleHead (same layers and
    ``state_dict`` keys: ``deconv_layers``, ``final_layer``) whose
    ``out_channels = K * D`` output channels are read as K heatmaps of D
    depth bins each.

    Note:
        0.14's flip test reshaped the output to ``[N, K * D, H, W]`` before
        flipping it back, so ``flip_pairs`` swapped depth bins of the first
        keypoints instead of keypoints. Here the keypoints of each pair are
        swapped (all their depth bins together) and the width is mirrored.

    Args:
        in_channels (int): Number of input channels.
        out_channels (int): Number of output channels (K * depth_size).
        depth_size (int): Number of depth discretization size.
        num_deconv_layers (int): Number of deconv layers (>= 0).
        num_deconv_filters (list|tuple): Number of filters.
        num_deconv_kernels (list|tuple): Kernel sizes.
        extra (dict | None): Extra final layers (see TopDownSimpleHead).
        in_index (int|Sequence[int]): Input feature index. Default: 0.
        input_transform (str|None): 'resize_concat', 'multiple_select' or
            None. Default: None.
        align_corners (bool): align_corners argument of F.interpolate.
            Default: False.
        loss_keypoint (dict): Config for keypoint loss. Default: None.
        train_cfg (dict | None): Config for training. Default: None.
        test_cfg (dict | None): Config for testing (``shift_heatmap``).
            Default: None.
    """

    def __init__(self,
                 in_channels,
                 out_channels,
                 depth_size=64,
                 num_deconv_layers=3,
                 num_deconv_filters=(256, 256, 256),
                 num_deconv_kernels=(4, 4, 4),
                 extra=None,
                 in_index=0,
                 input_transform=None,
                 align_corners=False,
                 loss_keypoint=None,
                 train_cfg=None,
                 test_cfg=None):
        check(
            out_channels % depth_size == 0,
            f'out_channels ({out_channels}) must be a multiple of '
            f'depth_size ({depth_size})')
        super().__init__(in_channels, out_channels, num_deconv_layers,
                         num_deconv_filters, num_deconv_kernels, extra,
                         in_index, input_transform, align_corners,
                         loss_keypoint, train_cfg, test_cfg)
        self.depth_size = depth_size

    def forward(self, x):
        """Forward function.

        Returns:
            torch.Tensor[N, K, D, H, W]: 3D heatmaps.
        """
        x = super().forward(x)
        N, C, H, W = x.shape
        return x.reshape(N, C // self.depth_size, self.depth_size, H, W)

    def get_loss(self, output, target, target_weight):
        """Calculate 3D heatmap loss.

        Note:
            batch size: N
            num keypoints: K
            heatmaps depth size: D
            heatmaps height: H
            heatmaps weight: W

        Args:
            output (torch.Tensor[N, K, D, H, W]): Output heatmaps.
            target (torch.Tensor[N, K, D, H, W]): Target heatmaps.
            target_weight (torch.Tensor[N, K, 1]): Weights across different
                joint types.

        Returns:
            dict: ``heatmap_loss``.
        """
        check(
            target.dim() == 5 and target_weight.dim() == 3,
            'target must be [N, K, D, H, W] and target_weight [N, K, 1], got '
            f'{tuple(target.shape)} and {tuple(target_weight.shape)}')
        if self.loss is None:
            raise RuntimeError('HeatMap3DHead was built without '
                               'loss_keypoint, so it cannot compute losses')
        return dict(heatmap_loss=self.loss(output, target, target_weight))

    def get_accuracy(self, output, target, target_weight):
        """Calculate the PCK of the 3D heatmap maxima.

        As the 2D heads' ``acc_pose``: the distance between the maxima of
        output and target, in units of a tenth of the heatmap's size along
        each axis (W, H, D), below 0.05. Arguments as :meth:`get_loss`.

        Returns:
            dict: ``acc_pose``.
        """
        output = output.detach().cpu().numpy()
        N, _, D, H, W = output.shape
        pred, _ = _get_max_preds_3d(output)
        gt, _ = _get_max_preds_3d(target.detach().cpu().numpy())
        mask = target_weight.detach().cpu().numpy().reshape(N, -1) > 0
        normalize = np.tile(np.array([[W, H, D]], dtype=np.float32) / 10,
                            (N, 1))
        _, avg_acc, _ = keypoint_pck_accuracy(pred, gt, mask, 0.05, normalize)
        return dict(acc_pose=float(avg_acc))

    def inference_model(self, x, flip_pairs=None):
        """Inference function.

        Args:
            x (torch.Tensor[N, C, H, W]): Input features.
            flip_pairs (None | list[tuple()]): Pairs of keypoints which are
                mirrored; given when ``x`` comes from a flipped image.

        Returns:
            np.ndarray[N, K, D, H, W]: Output heatmaps (flipped back when
            ``flip_pairs`` is given).
        """
        output_heatmap = self.forward(x).detach().cpu().numpy()
        if flip_pairs is not None:
            N, K, D, H, W = output_heatmap.shape
            # Keypoint channels of D * H rows each: flip_back swaps the
            # keypoints of each pair and mirrors the width.
            output_heatmap = flip_back(
                output_heatmap.reshape(N, K, D * H, W),
                flip_pairs).reshape(N, K, D, H, W)
            if self.test_cfg.get('shift_heatmap', False):
                output_heatmap[..., 1:] = output_heatmap[..., :-1]
        return output_heatmap

    def _decode_keypoints(self, output, center, scale, maxima=None,
                          **kwargs):
        """Image x, y and the depth bin of each keypoint's 3D maximum.

        Args:
            output (np.ndarray[N, K, D, H, W]): Model predicted 3D heatmaps.
            center (np.ndarray[N, 2]): Box centers.
            scale (np.ndarray[N, 2]): Box scales.
            maxima (tuple | None): ``_get_max_preds_3d(output)`` when the
                caller has it already.

        Returns:
            tuple: preds (np.ndarray[N, K, 3]: x, y in the image, depth bin)
                and maxvals (np.ndarray[N, K, 1]).
        """
        N, K, D, H, W = output.shape
        preds, maxvals = maxima or _get_max_preds_3d(output)
        preds = transform_preds_batch(preds, center, scale, [W, H])
        return preds, maxvals

    def decode(self, img_metas, output, **kwargs):
        """Decode keypoints from heatmaps.

        Args:
            img_metas (list(dict)): Information about data augmentation
                (``image_file``, ``center``, ``scale``, ``bbox_score``,
                optional ``bbox_id``; see ``TopDownBaseHead.decode``).
            output (np.ndarray[N, K, D, H, W]): model predicted 3D heatmaps.

        Returns:
            dict: ``preds`` (np.ndarray[N, K, 4]: x, y, depth bin, score),
                ``boxes`` (np.ndarray[N, 6]), ``image_paths`` and
                ``bbox_ids``.
        """
        preds, maxvals = _get_max_preds_3d(output)
        result = super().decode(
            img_metas, output, maxima=(preds, maxvals), **kwargs)
        result['preds'] = np.concatenate(
            [result['preds'][..., :2], preds[..., 2:3], maxvals],
            axis=-1).astype(np.float32)
        return result
