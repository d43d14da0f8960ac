"""One DistributedDataParallel per child module, for adversarial training.

A GAN-style model (mesh recovery's generator and discriminator) updates one
child while the other's parameters get no gradient; a single
DistributedDataParallel around the whole model then fails waiting for the
missing gradients. :class:`DistributedDataParallelWrapper` gives every child
with trainable parameters its own DistributedDataParallel instead, as MMPose
0.14 did. :class:`CompatDistributedDataParallel` is the DistributedDataParallel
used for them (and by ``mmpose.apis`` for whole models).
"""
import warnings

import torch
import torch.nn as nn
from mmcv.parallel import MODULE_WRAPPERS, MMDistributedDataParallel
from mmcv.parallel.scatter_gather import scatter_kwargs
from torch._utils import _get_device_index

from mmpose.utils import check


class CompatDistributedDataParallel(MMDistributedDataParallel):
    """mmcv's ``MMDistributedDataParallel`` for PyTorch 2, on GPU and CPU.

    mmcv 1.7's ``forward`` reads an attribute that PyTorch 2 no longer has,
    and without device ids (CPU processes with gloo) it passes
    ``DataContainer`` inputs on unopened. This class scatters the inputs of
    ``forward``, ``train_step`` and ``val_step`` to its device (``-1``: the
    CPU), unpacking DataContainers as ``MMDataParallel`` does, and otherwise
    keeps mmcv's behaviour (gradient reduction included). The arguments are
    those of ``torch.nn.parallel.DistributedDataParallel``.
    """

    def __init__(self, *args, **kwargs):
        with warnings.catch_warnings():
            # PyTorch 2.14 prefers forward_sync_buffers, which does not keep
            # broadcast_buffers=False's meaning (no sync at init either).
            warnings.filterwarnings('ignore',
                                    '`broadcast_buffers` is deprecated',
                                    FutureWarning)
            super().__init__(*args, **kwargs)

    def _scatter_here(self, inputs, kwargs):
        target = self.device_ids[0] if self.device_ids else -1
        inputs, kwargs = self.scatter(inputs, kwargs, [target])
        return inputs[0], kwargs[0]

    def train_step(self, *inputs, **kwargs):
        """mmcv's ``train_step``, with the inputs unpacked on the CPU too."""
        if not self.device_ids:
            inputs, kwargs = self._scatter_here(inputs, kwargs)
        return super().train_step(*inputs, **kwargs)

    def val_step(self, *inputs, **kwargs):
        """mmcv's ``val_step``, with the inputs unpacked on the CPU too."""
        if not self.device_ids:
            inputs, kwargs = self._scatter_here(inputs, kwargs)
        return super().val_step(*inputs, **kwargs)

    def _run_ddp_forward(self, *inputs, **kwargs):
        inputs, kwargs = self._scatter_here(inputs, kwargs)
        return self.module(*inputs, **kwargs)


@MODULE_WRAPPERS.register_module()
class DistributedDataParallelWrapper(nn.Module):
    """A DistributedDataParallel wrapper for models in 3D mesh estimation.

    In 3D mesh estimation (and any GAN-style training) the model has several
    sub-modules, e.g. a generator and a discriminator, updated in turn. One
    DistributedDataParallel around the whole model fails when the parameters
    of one of them receive no gradient in a step, so this wrapper:

    1. wraps every child module that has trainable parameters in its own
       :class:`CompatDistributedDataParallel` (mmcv's
       ``MMDistributedDataParallel``, as in 0.14, made to run on PyTorch 2);
       children without parameters, or with frozen ones only, are just moved
       to the device;
    2. scatters the inputs (unpacking ``DataContainer``) for ``forward``,
       ``train_step`` and ``val_step``, which it passes to the model.

    The arguments are those of
    ``torch.nn.parallel.DistributedDataParallel``. A process group must be
    initialised first. Without CUDA (gloo on CPU), pass ``device_ids=None``.

    Args:
        module (nn.Module): Module that needs to be wrapped.
        device_ids (list[int | torch.device] | None): The one CUDA device of
            this process, as for DistributedDataParallel; None on CPU.
        dim (int): The dimension along which inputs are scattered.
            Default: 0.
        broadcast_buffers (bool): Whether the children's DDP broadcast their
            buffers from rank 0 at every forward. Default: False.
        find_unused_parameters (bool): Whether the children's DDP traverse the
            autograd graph of each output to find parameters that got no
            gradient. Default: False.
        kwargs (dict): Other arguments of
            ``torch.nn.parallel.DistributedDataParallel``.
    """

    def __init__(self,
                 module,
                 device_ids,
                 dim=0,
                 broadcast_buffers=False,
                 find_unused_parameters=False,
                 **kwargs):
        super().__init__()
        if device_ids is not None:
            check(
                len(device_ids) == 1,
                'DistributedDataParallelWrapper supports one CUDA device per '
                'process: device_ids must have length 1, but got '
                f'{device_ids!r}')
        self.module = module
        self.dim = dim
        self.to_ddp(
            device_ids=device_ids,
            dim=dim,
            broadcast_buffers=broadcast_buffers,
            find_unused_parameters=find_unused_parameters,
            **kwargs)
        self.output_device = (None if device_ids is None else
                              _get_device_index(device_ids[0], True))

    def to_ddp(self, device_ids, dim, broadcast_buffers,
               find_unused_parameters, **kwargs):
        """Wrap each child module that has trainable parameters in DDP.

        Args:
            device_ids (list[int | torch.device] | None): See the class.
            dim (int): See the class.
            broadcast_buffers (bool): See the class.
            find_unused_parameters (bool): See the class.
            kwargs (dict): See the class.
        """
        for name, child in self.module._modules.items():
            if child is None:
                continue
            if device_ids is not None:
                child = child.cuda()
            if any(p.requires_grad for p in child.parameters()):
                child = CompatDistributedDataParallel(
                    child,
                    device_ids=device_ids,
                    dim=dim,
                    broadcast_buffers=broadcast_buffers,
                    find_unused_parameters=find_unused_parameters,
                    **kwargs)
            self.module._modules[name] = child

    def scatter(self, inputs, kwargs, device_ids):
        """Scatter the inputs (and unpack DataContainers) to ``device_ids``.

        Args:
            inputs (tuple): Positional inputs.
            kwargs (dict): Keyword inputs.
            device_ids (list[int]): Target devices; ``[-1]`` for the CPU.

        Returns:
            tuple[tuple, tuple]: The inputs and keyword inputs per device.
        """
        return scatter_kwargs(inputs, kwargs, device_ids, dim=self.dim)

    def _scatter_here(self, inputs, kwargs):
        target = (-1 if self.output_device is None else
                  torch.cuda.current_device())
        inputs, kwargs = self.scatter(inputs, kwargs, [target])
        return inputs[0], kwargs[0]

    def forward(self, *inputs, **kwargs):
        """Scatter the inputs and run the wrapped model's forward."""
        inputs, kwargs = self._scatter_here(inputs, kwargs)
        return self.module(*inputs, **kwargs)

    def train_step(self, *inputs, **kwargs):
        """Scatter the inputs and run the wrapped model's ``train_step``."""
        inputs, kwargs = self._scatter_here(inputs, kwargs)
        return self.module.train_step(*inputs, **kwargs)

    def val_step(self, *inputs, **kwargs):
        """Scatter the inputs and run the wrapped model's ``val_step``."""
        inputs, kwargs = self._scatter_here(inputs, kwargs)
        return self.module.val_step(*inputs, **kwargs)
