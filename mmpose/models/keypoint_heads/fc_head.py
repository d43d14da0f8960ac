import numpy as np
import torch.nn as nn
from mmcv.cnn import normal_init

from mmpose.core.codecs import build_codec
from mmpose.core.evaluation import (keypoint_pck_accuracy,
                                    keypoints_from_regression)
from mmpose.utils import check
from ..registry import HEADS
from .top_down_base_head import TopDownBaseHead


@HEADS.register_module()
class FcHead(TopDownBaseHead):
    """regression head with fully connected layers.

    paper ref: Alexander Toshev and Christian Szegedy,
    ``DeepPose: Human Pose Estimation via Deep Neural Networks.''.

    The head regresses keypoint coordinates normalized by the input image
    size (the codec of ``TopDownGenerateTargetRegression``) from pooled
    features (e.g. the ``GlobalAveragePooling`` neck). Decoding shares the
    img_metas handling of :class:`TopDownBaseHead`.

    Note:
        batch_size: N
        num_keypoints: K
        in_channels: C

    Args:
        in_channels (int): Number of input channels
        num_joints (int): Number of joints
        loss_keypoint (dict): Config for keypoint loss. Default: None.
        train_cfg (dict | None): Config for training. Default: None.
        test_cfg (dict | None): Config for testing. Default: None.
    """

    def __init__(self,
                 in_channels,
                 num_joints,
                 loss_keypoint=None,
                 train_cfg=None,
                 test_cfg=None):
        super().__init__()
        self._init_cfgs(loss_keypoint, train_cfg, test_cfg)
        self.in_channels = in_channels
        self.num_joints = num_joints
        self.fc = nn.Linear(self.in_channels, self.num_joints * 2)

    def forward(self, x):
        """Forward function.

        Args:
            x (torch.Tensor[N, C] | list[torch.Tensor[N, C]]): Pooled
                features (the last one of a list is used).

        Returns:
            torch.Tensor[N, K, 2]: Normalized keypoint coordinates.
        """
        if isinstance(x, (list, tuple)):
            x = x[-1]
        output = self.fc(x)
        return output.reshape(output.shape[0], self.num_joints, 2)

    def get_loss(self, output, target, target_weight):
        """Calculate top-down keypoint loss.

        Note:
            batch_size: N
            num_keypoints: K

        Args:
            output (torch.Tensor[N, K, 2]): Output keypoints.
            target (torch.Tensor[N, K, 2]): Target keypoints.
            target_weight (torch.Tensor[N, K, 2]): Weights across
                different joint types.

        Returns:
            dict: ``reg_loss``.
        """
        if self.loss is None:
            raise RuntimeError(f'{type(self).__name__} was built without '
                               'loss_keypoint, so it cannot compute losses')
        check(not isinstance(self.loss, nn.Sequential),
              'FcHead has one output: loss_keypoint must be one loss config')
        check(
            target.dim() == 3 and target_weight.dim() == 3,
            'target and target_weight must be [N, K, 2] and [N, K, 1|2], got '
            f'{tuple(target.shape)} and {tuple(target_weight.shape)}')
        return dict(reg_loss=self.loss(output, target, target_weight))

    def get_accuracy(self, output, target, target_weight):
        """Calculate accuracy for top-down keypoint loss.

        PCK at 0.05 of the normalized coordinates (i.e. of the input image
        size), as 0.x.

        Args:
            output, target, target_weight: As in :meth:`get_loss`
                (torch.Tensor[N, K, 2] each); keypoints whose first weight
                is 0 are ignored.

        Returns:
            dict: ``acc_pose``.
        """
        batch_size = output.shape[0]
        _, avg_acc, _ = keypoint_pck_accuracy(
            output.detach().cpu().numpy(),
            target.detach().cpu().numpy(),
            target_weight[:, :, 0].detach().cpu().numpy() > 0,
            thr=0.05,
            normalize=np.ones((batch_size, 2), dtype=np.float32))
        return dict(acc_pose=float(avg_acc))

    def inference_model(self, x, flip_pairs=None):
        """Inference function.

        Args:
            x (torch.Tensor[N, C]): Input features.
            flip_pairs (None | list[tuple()]): Pairs of keypoints which are
                mirrored; given when ``x`` comes from a flipped image, whose
                predictions are then flipped back (around x = 0.5) by the
                codec.

        Returns:
            np.ndarray[N, K, 2]: Normalized keypoint coordinates.
        """
        output_regression = self.forward(x).detach().cpu().numpy()
        if flip_pairs is not None:
            output_regression = self.codec.flip_back(output_regression,
                                                     flip_pairs)
        return output_regression

    def decode(self, img_metas, output, **kwargs):
        """Decode the keypoints from output regression.

        Args:
            img_metas (list(dict)): Per box ``center``, ``scale``,
                ``image_file``, optionally ``bbox_score`` and ``bbox_id``
                (see :meth:`TopDownBaseHead.decode`).
            output (np.ndarray[N, K, 2]): predicted regression vector.
            kwargs: dict contains 'img_size'.
                img_size (tuple(img_width, img_height)): input image size.

        Returns:
            dict: As :meth:`TopDownBaseHead.decode` (``preds`` with score
                1 for every keypoint, ``boxes``, ``image_paths``,
                ``bbox_ids``).
        """
        if 'img_size' not in kwargs:
            raise TypeError('FcHead.decode needs img_size=(img_width, '
                            'img_height), the model input size')
        return super().decode(img_metas, output, **kwargs)

    def _build_codec(self):
        """Normalised coordinates; the image size comes with each batch."""
        return build_codec(dict(type='RegressionLabel'))

    def _decode_keypoints(self, output, center, scale, img_size, **kwargs):
        """Keypoints in image coordinates from normalized coordinates."""
        return keypoints_from_regression(output, center, scale, img_size)

    def init_weights(self):
        """Initialize the weights."""
        normal_init(self.fc, mean=0, std=0.01, bias=0)
