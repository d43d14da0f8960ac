import copy

import torch
import torch.nn as nn
from mmcv.runner import OptimizerHook
from mmcv.runner.fp16_utils import LossScaler
from mmcv.utils import _BatchNorm

from mmpose.utils import ArgumentError
from ..utils.dist_utils import allreduce_grads
from .utils import cast_tensor_type


class Fp16OptimizerHook(OptimizerHook):
    """FP16 optimizer hook.

    The steps of fp16 optimizer is as follows.
    1. Scale the loss value.
    2. BP in the fp16 model.
    2. Copy gradients from fp16 model to fp32 weights.
    3. Update fp32 weights.
    4. Copy updated parameters from fp32 weights to fp16 model.

    Refer to https://arxiv.org/abs/1710.03740 for more details.

    Args:
        grad_clip (dict, optional): ``clip_grad_norm_`` arguments applied to
            the fp32 master gradients. Default: None.
        coalesce (bool): All-reduce gradients in flattened buckets.
        bucket_size_mb (int): Bucket size in MB, -1 for one bucket per dtype.
        loss_scale (float | str | dict): Scale factor multiplied with loss.
            A number gives a static scale; ``'dynamic'`` starts at 2**32,
            halves the scale and skips the step when a gradient overflows and
            doubles it after 1000 clean iterations; a dict gives the
            arguments of :class:`mmcv.runner.fp16_utils.LossScaler`.
        distributed (bool): All-reduce the fp32 gradients over the default
            process group (any backend) before the update.
    """

    def __init__(self,
                 grad_clip=None,
                 coalesce=True,
                 bucket_size_mb=-1,
                 loss_scale=512.,
                 distributed=True):
        self.grad_clip = grad_clip
        self.coalesce = coalesce
        self.bucket_size_mb = bucket_size_mb
        self.distributed = distributed
        if loss_scale == 'dynamic':
            self.loss_scaler = LossScaler(mode='dynamic')
        elif isinstance(loss_scale, (int, float)):
            self.loss_scaler = LossScaler(init_scale=loss_scale, mode='static')
        elif isinstance(loss_scale, dict):
            self.loss_scaler = LossScaler(**loss_scale)
        else:
            raise ArgumentError(
                'fp16 loss_scale must be a number, "dynamic" or a dict of '
                f'LossScaler arguments, got {loss_scale!r}')

    @property
    def loss_scale(self):
        """float: The current loss scale."""
        return self.loss_scaler.loss_scale

    def before_run(self, runner):
        """Preparing steps before Mixed Precision Training.

        1. Make a master copy of fp32 weights for optimization.
        2. Convert the main model from fp32 to fp16.

        Args:
            runner (:obj:`mmcv.Runner`): The underlines training runner.
        """
        check_fp16_wrappable(runner.model)
        # the optimizer now holds its own fp32 copies of the parameters
        runner.optimizer.param_groups = copy.deepcopy(
            runner.optimizer.param_groups)
        wrap_fp16_model(runner.model)

    @staticmethod
    def copy_grads_to_fp32(fp16_net, fp32_weights):
        """Copy gradients from fp16 model to fp32 weight copy."""
        for fp32_param, fp16_param in zip(fp32_weights,
                                          fp16_net.parameters()):
            if fp16_param.grad is not None:
                if fp32_param.grad is None:
                    fp32_param.grad = fp32_param.data.new_empty(
                        fp32_param.size())
                fp32_param.grad.copy_(fp16_param.grad)

    @staticmethod
    def copy_params_to_fp16(fp16_net, fp32_weights):
        """Copy updated params from fp32 weight copy to fp16 model."""
        for fp16_param, fp32_param in zip(fp16_net.parameters(),
                                          fp32_weights):
            fp16_param.data.copy_(fp32_param.data)

    def after_train_iter(self, runner):
        """Backward optimization steps for Mixed Precision Training.

        1. Scale the loss by a scale factor.
        2. Backward the loss to obtain the gradients (fp16).
        3. Copy gradients from the model to the fp32 weight copy.
        4. Scale the gradients back and update the fp32 weight copy.
        5. Copy back the params from fp32 weight copy to the fp16 model.

        An iteration whose gradients hold inf or NaN skips the update (and,
        with a dynamic scale, lowers the scale), so the fp32 master weights
        never take a non-finite step.

        Args:
            runner (:obj:`mmcv.Runner`): The underlines training runner.
        """
        runner.model.zero_grad()
        runner.optimizer.zero_grad()
        scale = self.loss_scaler.loss_scale
        (runner.outputs['loss'] * scale).backward()
        fp32_weights = [
            p for group in runner.optimizer.param_groups
            for p in group['params']
        ]
        self.copy_grads_to_fp32(runner.model, fp32_weights)
        if self.distributed and torch.distributed.is_available(
        ) and torch.distributed.is_initialized():
            allreduce_grads(fp32_weights, self.coalesce, self.bucket_size_mb)

        grads = [p.grad for p in fp32_weights if p.grad is not None]
        overflow = bool(grads) and not bool(
            torch.stack([torch.isfinite(g).all() for g in grads]).all())
        if overflow:
            runner.logger.warning(
                f'fp16: gradient overflow at loss scale {scale}, '
                'skipping this update')
        else:
            for grad in grads:
                grad.div_(scale)
            if self.grad_clip is not None:
                grad_norm = self.clip_grads(fp32_weights)
                if grad_norm is not None:
                    runner.log_buffer.update({'grad_norm': float(grad_norm)},
                                             runner.outputs['num_samples'])
            runner.optimizer.step()
            self.copy_params_to_fp16(runner.model, fp32_weights)
        self.loss_scaler.update_scale(overflow)
        runner.log_buffer.update({'loss_scale': float(scale)})


def check_fp16_wrappable(model):
    """Raise unless ``model`` can train with fp16 weights.

    The data loader yields fp32 tensors; only modules with an
    ``fp16_enabled`` attribute (those with ``@auto_fp16`` methods, which
    ``wrap_fp16_model`` switches on) cast them to fp16 on the way in. In a
    model without any, fp32 inputs would meet fp16 weights at the first layer,
    and a model without floating-point parameters has nothing to train.

    Args:
        model (nn.Module): The model (possibly inside a data-parallel
            wrapper).

    Raises:
        TypeError: naming the model class and what it lacks.
    """
    inner = getattr(model, 'module', model)
    name = type(inner).__name__
    if not any(p.is_floating_point() for p in inner.parameters()):
        raise TypeError(f'fp16 is set in the config but {name} has no '
                        'floating-point parameters to train in fp16')
    if not any(hasattr(m, 'fp16_enabled') for m in inner.modules()):
        raise TypeError(
            f'fp16 is set in the config but {name} cannot be wrapped for '
            'fp16 training: none of its modules has an `fp16_enabled` '
            'attribute, i.e. no forward is decorated with @auto_fp16, so its '
            'fp32 inputs would meet fp16 weights. Decorate the forward '
            '(set self.fp16_enabled = False in __init__) or remove `fp16` '
            'from the config.')


def wrap_fp16_model(model):
    """Wrap the FP32 model to FP16.

    1. Convert FP32 model to FP16.
    2. Remain some necessary layers to be FP32, e.g., normalization layers.

    Args:
        model (nn.Module): Model in FP32.
    """
    model.half()
    patch_norm_fp32(model)
    for module in model.modules():
        if hasattr(module, 'fp16_enabled'):
            module.fp16_enabled = True


def patch_norm_fp32(module):
    """Recursively convert normalization layers from FP16 to FP32.

    Args:
        module (nn.Module): The modules to be converted in FP16.

    Returns:
        nn.Module: The converted module, the normalization layers have been
            converted to FP32.
    """
    if isinstance(module, (_BatchNorm, nn.GroupNorm)):
        module.float()
        module.forward = patch_forward_method(module.forward, torch.half,
                                              torch.float)
    for child in module.children():
        patch_norm_fp32(child)
    return module


def patch_forward_method(func, src_type, dst_type, convert_output=True):
    """Patch the forward method of a module.

    Args:
        func (callable): The original forward method.
        src_type (torch.dtype): Type of input arguments to be converted from.
        dst_type (torch.dtype): Type of input arguments to be converted to.
        convert_output (bool): Whether to convert the output back to src_type.

    Returns:
        callable: The patched forward method.
    """

    def new_forward(*args, **kwargs):
        output = func(*cast_tensor_type(args, src_type, dst_type),
                      **cast_tensor_type(kwargs, src_type, dst_type))
        if convert_output:
            output = cast_tensor_type(output, dst_type, src_type)
        return output

    return new_forward
