import warnings
from abc import ABCMeta, abstractmethod
from collections import OrderedDict

import torch
import torch.distributed as dist
import torch.nn as nn

from .. import builder


class BasePose(nn.Module, metaclass=ABCMeta):
    """Base class for pose detectors.

    Owns what mmcv's Runner expects from a model: ``train_step`` and
    ``val_step`` around ``forward``, and the parsing of the loss dict into
    the total loss and the logged values.
    """

    def _build_components(self,
                          backbone,
                          neck=None,
                          keypoint_head=None,
                          head_cfgs=None,
                          loss_pose=None):
        """Build the backbone, the optional neck and keypoint head under
        0.14's attribute names (``backbone``, ``neck``, ``keypoint_head``).

        Args:
            backbone (dict): Backbone config.
            neck (dict | None): Neck config.
            keypoint_head (dict | None): Head config.
            head_cfgs (dict | None): Extra head arguments (e.g. the model's
                ``train_cfg`` / ``test_cfg``), which override the head's own.
            loss_pose (dict | None): 0.14's deprecated detector-level loss;
                used as the head's ``loss_keypoint`` when that is unset.
        """
        self.fp16_enabled = False
        self.backbone = builder.build_backbone(backbone)
        if neck is not None:
            self.neck = builder.build_neck(neck)
        if keypoint_head is not None:
            keypoint_head = dict(keypoint_head, **(head_cfgs or {}))
            if loss_pose is not None:
                warnings.warn(
                    f'`loss_pose` for {type(self).__name__} is deprecated, '
                    'use `loss_keypoint` for heads instead.',
                    DeprecationWarning)
                if keypoint_head.get('loss_keypoint') is None:
                    keypoint_head['loss_keypoint'] = loss_pose
            self.keypoint_head = builder.build_head(keypoint_head)

    @property
    def with_neck(self):
        """Check if has neck."""
        return hasattr(self, 'neck')

    @property
    def with_keypoint(self):
        """Check if has keypoint_head."""
        return hasattr(self, 'keypoint_head')

    def init_weights(self, pretrained=None):
        """Weight initialization for model.

        Args:
            pretrained (str | None): Pretrained weights of the backbone (a
                local path, or a torchvision:// / open-mmlab:// / http(s)
                name whose file is in the torch hub cache).
        """
        self.backbone.init_weights(pretrained)
        if self.with_neck:
            self.neck.init_weights()
        if self.with_keypoint:
            self.keypoint_head.init_weights()

    @abstractmethod
    def forward_train(self, img, img_metas, **kwargs):
        """Defines the computation performed at training."""

    @abstractmethod
    def forward_test(self, img, img_metas, **kwargs):
        """Defines the computation performed at testing."""

    @abstractmethod
    def forward(self, img, img_metas, return_loss=True, **kwargs):
        """Forward function."""

    @staticmethod
    def _parse_losses(losses):
        """Parse the raw outputs (losses) of the network.

        Args:
            losses (dict): Raw output of the network, which usually contain
                losses and other necessary information (e.g. accuracy).

        Returns:
            tuple[torch.Tensor, dict]: (loss, log_vars), loss is the sum of
                every entry whose name contains 'loss'; log_vars holds every
                entry as a Python float (averaged over processes when
                distributed).
        """
        log_vars = OrderedDict()
        for loss_name, loss_value in losses.items():
            if isinstance(loss_value, torch.Tensor):
                log_vars[loss_name] = loss_value.mean()
            elif isinstance(loss_value, float):
                log_vars[loss_name] = loss_value
            elif isinstance(loss_value, list):
                log_vars[loss_name] = sum(_loss.mean() for _loss in loss_value)
            else:
                raise TypeError(
                    f'{loss_name} is not a tensor or list of tensors or float')

        loss = sum(_value for _key, _value in log_vars.items()
                   if 'loss' in _key)

        log_vars['loss'] = loss
        distributed = dist.is_available() and dist.is_initialized()
        for loss_name, loss_value in log_vars.items():
            if isinstance(loss_value, torch.Tensor):
                if distributed:
                    # reduce loss when distributed training
                    loss_value = loss_value.data.clone()
                    dist.all_reduce(loss_value.div_(dist.get_world_size()))
                loss_value = loss_value.item()
            log_vars[loss_name] = loss_value

        return loss, log_vars

    def train_step(self, data_batch, optimizer, **kwargs):
        """The iteration step during training.

        This method defines an iteration step during training, except for the
        back propagation and optimizer updating, which are done in an
        optimizer hook.

        Args:
            data_batch (dict): The output of dataloader.
            optimizer (:obj:`torch.optim.Optimizer` | dict): The optimizer of
                runner is passed to ``train_step()``. This argument is unused
                and reserved.

        Returns:
            dict: ``loss`` (tensor for back propagation), ``log_vars`` (dict
                for the logger) and ``num_samples`` (batch size, used to
                average the logs).
        """
        losses = self.forward(**data_batch)
        loss, log_vars = self._parse_losses(losses)
        return dict(
            loss=loss,
            log_vars=log_vars,
            num_samples=len(next(iter(data_batch.values()))))

    def val_step(self, data_batch, optimizer=None, **kwargs):
        """The iteration step during validation.

        Args:
            data_batch (dict): The output of dataloader.
            optimizer: Unused, as mmcv's Runner passes it.

        Returns:
            dict: ``results``, the output of ``forward(return_loss=False)``.
        """
        results = self.forward(return_loss=False, **data_batch)
        return dict(results=results)

    @abstractmethod
    def show_result(self, **kwargs):
        """Visualize the results."""
