import functools
from inspect import getfullargspec

import torch

from .utils import cast_tensor_type


def _cast_decorator(apply_to, src_type, dst_type, out_cast, flag_required):
    """Build a decorator casting the chosen arguments of a module method.

    The cast only happens when the module has ``fp16_enabled = True`` (set by
    ``wrap_fp16_model``), so decorated modules behave normally otherwise.
    """

    def decorator(old_func):

        @functools.wraps(old_func)
        def new_func(*args, **kwargs):
            if not isinstance(args[0], torch.nn.Module):
                raise TypeError('@auto_fp16/@force_fp32 can only decorate '
                                'methods of nn.Module subclasses, not '
                                f'{old_func.__qualname__}')
            if not (hasattr(args[0], 'fp16_enabled')
                    and args[0].fp16_enabled) and flag_required:
                return old_func(*args, **kwargs)
            arg_names = getfullargspec(old_func).args
            cast_names = arg_names if apply_to is None else apply_to
            new_args = []
            for i, arg in enumerate(args):
                if i < len(arg_names) and arg_names[i] in cast_names:
                    new_args.append(cast_tensor_type(arg, src_type, dst_type))
                else:
                    new_args.append(arg)
            new_kwargs = {
                name: (cast_tensor_type(value, src_type, dst_type)
                       if name in cast_names else value)
                for name, value in kwargs.items()
            }
            output = old_func(*new_args, **new_kwargs)
            if out_cast:
                output = cast_tensor_type(output, dst_type, src_type)
            return output

        return new_func

    return decorator


def auto_fp16(apply_to=None, out_fp32=False):
    """Decorator to enable fp16 training automatically.

    This decorator is useful when you write custom modules and want to support
    mixed precision training. If inputs arguments are fp32 tensors, they will
    be converted to fp16 automatically. Arguments other than fp32 tensors are
    ignored.

    Args:
        apply_to (Iterable, optional): The argument names to be converted.
            `None` indicates all arguments.
        out_fp32 (bool): Whether to convert the output back to fp32.

    Example:
        >>> import torch.nn as nn
        >>> class MyModule1(nn.Module):
        >>>     # Convert x and y to fp16
        >>>     @auto_fp16()
        >>>     def forward(self, x, y):
        >>>         pass
    """
    return _cast_decorator(apply_to, torch.float, torch.half, out_fp32, True)


def force_fp32(apply_to=None, out_fp16=False):
    """Decorator to convert input arguments to fp32 in force.

    This decorator is useful when you write custom modules and want to support
    mixed precision training. If there are some inputs that must be processed
    in fp32 mode, then this decorator can handle it. If inputs arguments are
    fp16 tensors, they will be converted to fp32 automatically. Arguments other
    than fp16 tensors are ignored.

    Args:
        apply_to (Iterable, optional): The argument names to be converted.
            `None` indicates all arguments.
        out_fp16 (bool): Whether to convert the output back to fp16.

    Example:
        >>> import torch.nn as nn
        >>> class MyModule1(nn.Module):
        >>>     # Convert x and y to fp32
        >>>     @force_fp32()
        >>>     def loss(self, x, y):
        >>>         pass
    """
    return _cast_decorator(apply_to, torch.half, torch.float, out_fp16, True)
