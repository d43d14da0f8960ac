from abc import ABCMeta, abstractmethod

import torch

from mmpose.utils import check


class PytorchModuleHook(metaclass=ABCMeta):
    """Base class for PyTorch module hook registers.

    An instance of a subclass of PytorchModuleHook can be used to register
    hook to a pytorch module using the `register` method like:
        hook_register.register(module)

    Subclasses should add/overwrite the following methods:
        - __init__
        - hook
        - hook_type
    """

    @abstractmethod
    def hook(self, *args, **kwargs):
        """Hook function."""

    @property
    @abstractmethod
    def hook_type(self) -> str:
        """Hook type Subclasses should overwrite this function to return a
        string value in.

        {`forward`, `forward_pre`, `backward`}
        """

    def register(self, module):
        """Register the hook function to the module.

        Args:
            module (pytorch module): the module to register the hook.

        Returns:
            handle (torch.utils.hooks.RemovableHandle): a handle to remove
                the hook by calling handle.remove()
        """
        check(
            isinstance(module, torch.nn.Module),
            f'{type(self).__name__}.register: module must be a '
            f'torch.nn.Module, got {type(module).__name__}')
        registers = {
            'forward': module.register_forward_hook,
            'forward_pre': module.register_forward_pre_hook,
            'backward': module.register_full_backward_hook,
        }
        check(
            self.hook_type in registers,
            f'Invalid hook type {self.hook_type!r}: expected one of '
            f'{sorted(registers)}')
        return registers[self.hook_type](self.hook)


class WeightNormClipHook(PytorchModuleHook):
    """Apply weight norm clip regularization.

    The module's parameter will be clip to a given maximum norm before each
    forward pass.

    Args:
        max_norm (float): The maximum norm of the parameter.
        module_param_names (str|list): The parameter name (or name list) to
            apply weight norm clip.
    """

    def __init__(self, max_norm=1.0, module_param_names='weight'):
        self.module_param_names = module_param_names if isinstance(
            module_param_names, list) else [module_param_names]
        self.max_norm = max_norm

    @property
    def hook_type(self):
        return 'forward_pre'

    def hook(self, module, _input):
        """Hook function."""
        for name in self.module_param_names:
            check(
                name in module._parameters,
                f'{type(module).__name__} has no parameter {name!r} to clip; '
                f'it has {sorted(module._parameters)}')
            param = module._parameters[name]
            with torch.no_grad():
                norm = param.norm().item()
                if norm > self.max_norm:
                    param.mul_(self.max_norm / (norm + 1e-6))
