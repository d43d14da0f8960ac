from abc import ABCMeta, abstractmethod

import torch.nn as nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.utils import get_root_logger
from .utils import load_pretrained


class BaseBackbone(nn.Module, metaclass=ABCMeta):
    """Base backbone.

    Owns what every backbone shares: loading pretrained weights, freezing the
    first stages and keeping norm layers in eval mode during training.

    A subclass sets ``self.frozen_stages`` (int, -1 for none) and
    ``self.norm_eval`` (bool) if it supports them, and overrides
    :meth:`_frozen_modules` to say which modules ``frozen_stages`` covers.
    """

    def init_weights(self, pretrained=None):
        """Init backbone weights.

        Args:
            pretrained (str | None): If pretrained is a string, then it
                initializes backbone weights by loading the pretrained
                checkpoint (local path, or a ``torchvision://``,
                ``open-mmlab://`` or http(s) name whose file is in the torch
                hub cache; nothing is downloaded). If pretrained is None,
                the weights are left to the subclass' own initialisation.
        """
        if isinstance(pretrained, str):
            load_pretrained(
                self, pretrained, strict=False, logger=get_root_logger())
        elif pretrained is None:
            self._default_init()
        else:
            raise TypeError('pretrained must be a str or None, but got '
                            f'{type(pretrained).__name__}')

    def _default_init(self):
        """The init used when ``pretrained`` is None: a subclass' own (the
        layers' PyTorch defaults here)."""

    @abstractmethod
    def forward(self, x):
        """Forward function.

        Args:
            x (torch.Tensor | tuple[torch.Tensor]): x could be a torch.Tensor
                or a tuple of torch.Tensor, containing input data for forward
                computation.
        """

    def _frozen_modules(self):
        """Modules covered by ``self.frozen_stages`` (none by default)."""
        return []

    def _freeze_stages(self):
        """Put the frozen stages in eval mode and stop their gradients."""
        for module in self._frozen_modules():
            module.eval()
            for param in module.parameters():
                param.requires_grad = False

    def train(self, mode=True):
        """Set the module in training mode, keeping frozen parts frozen.

        Args:
            mode (bool): Whether to set training mode (True) or evaluation
                mode (False). Default: True.
        """
        super().train(mode)
        self._freeze_stages()
        if mode and getattr(self, 'norm_eval', False):
            for m in self.modules():
                # Only BN and its variants keep running statistics.
                if isinstance(m, _BatchNorm):
                    m.eval()
        return self
