"""The base of bottom-up (associative embedding) heads."""
from abc import ABCMeta, abstractmethod

import torch.nn as nn
from mmcv.cnn import build_conv_layer, constant_init, normal_init

from mmpose.utils import check
from ..builder import build_loss


class BottomUpBaseHead(nn.Module, metaclass=ABCMeta):
    """Base class for bottom-up heads.

    The base head owns the flow: the loss (a ``MultiLossFactory`` over the
    head's outputs, one per resolution), the layout of each output's
    channels (K heatmaps, then tags when the output has the AE loss) and
    weight initialisation; a subclass builds ``deconv_layers`` and its final
    conv layers with 0.14's attribute names and writes ``forward``, which
    returns a list of outputs (lowest resolution first).

    Subclasses call :meth:`_init_loss` in their ``__init__``.
    """

    def _init_loss(self, loss_keypoint):
        """Build the loss (None builds a head for inference only)."""
        self.loss = None if loss_keypoint is None else build_loss(
            loss_keypoint)

    @staticmethod
    def _output_channels(num_joints, tag_per_joint, with_ae_loss):
        """Channels of one output: K heatmaps, plus K tag maps (one when
        not ``tag_per_joint``) with the AE loss."""
        dim_tag = num_joints if tag_per_joint else 1
        return num_joints + dim_tag if with_ae_loss else num_joints

    @staticmethod
    def _final_conv(in_channels, out_channels, extra):
        """The output conv: kernel ``extra['final_conv_kernel']`` (1 or 3,
        default 1), same padding."""
        if extra is not None and not isinstance(extra, dict):
            raise TypeError('extra should be dict or None.')
        kernel_size = (extra or {}).get('final_conv_kernel', 1)
        check(kernel_size in (1, 3),
              f'extra.final_conv_kernel must be 1 or 3, got {kernel_size}')
        return build_conv_layer(
            cfg=dict(type='Conv2d'),
            in_channels=in_channels,
            out_channels=out_channels,
            kernel_size=kernel_size,
            stride=1,
            padding=(kernel_size - 1) // 2)

    @abstractmethod
    def forward(self, x):
        """Forward function: a list of outputs, one per resolution."""

    def get_loss(self, output, targets, masks, joints):
        """Calculate bottom-up keypoint loss.

        Note:
            Shape letters: N batch, K keypoints, O outputs, H x W heatmaps,
            M max_num_people.

        Args:
            output (list(torch.Tensor[N, C, H, W])): Outputs of the head.
            targets (List(torch.Tensor[N, K, H, W])): Target heatmaps, one
                per output resolution.
            masks (List(torch.Tensor[N, H, W])): Their masks (0 where
                people are not annotated).
            joints (List(torch.Tensor[N, M, K, 2])): Each person's joints
                as (flat tag index, visible) for the AE loss.

        Returns:
            dict: ``heatmap_loss``, ``push_loss`` and ``pull_loss`` (each
                averaged over the batch and summed over the outputs that
                have it).
        """
        if self.loss is None:
            raise RuntimeError(f'{type(self).__name__} was built without '
                               'loss_keypoint, so it cannot compute losses')
        losses = dict()
        per_output = self.loss(output, targets, masks, joints)
        for name, values in zip(('heatmap_loss', 'push_loss', 'pull_loss'),
                                per_output):
            for idx in range(len(targets)):
                if values[idx] is None:
                    continue
                value = values[idx].mean(dim=0)
                losses[name] = (value if name not in losses else
                                losses[name] + value)
        return losses

    def init_weights(self):
        """Initialize model weights: N(0, 0.001) deconvs and output convs
        (zero bias), unit BN weights."""
        for m in self.deconv_layers.modules():
            if isinstance(m, nn.ConvTranspose2d):
                normal_init(m, std=0.001)
            elif isinstance(m, nn.BatchNorm2d):
                constant_init(m, 1)
        for m in self._final_modules().modules():
            if isinstance(m, nn.Conv2d):
                normal_init(m, std=0.001, bias=0)

    @abstractmethod
    def _final_modules(self):
        """The module holding the output conv(s)."""
