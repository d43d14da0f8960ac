"""Recording the outputs of named sub-modules of a model."""
import functools
import warnings

import torch


class OutputHook:
    """Record the outputs of named sub-modules during forward passes.

    Use as a context manager; ``layer_outputs`` maps each name in
    ``outputs`` (a dotted attribute path such as ``'backbone.layer4'``) to
    that module's output of the last forward pass.

    Args:
        module (nn.Module): The model to watch.
        outputs (list[str] | tuple[str] | None): Names of the sub-modules.
        as_tensor (bool): Keep outputs as tensors; otherwise convert them
            (or each tensor of a list / tuple output) to numpy arrays.
            Default: False.
    """

    def __init__(self, module, outputs=None, as_tensor=False):
        self.outputs = outputs
        self.as_tensor = as_tensor
        self.layer_outputs = {}
        self.handles = []
        self.register(module)

    def _store(self, name, output):
        if self.as_tensor:
            self.layer_outputs[name] = output
        elif isinstance(output, torch.Tensor):
            self.layer_outputs[name] = output.detach().cpu().numpy()
        elif isinstance(output, (list, tuple)) and all(
                isinstance(out, torch.Tensor) for out in output):
            self.layer_outputs[name] = [
                out.detach().cpu().numpy() for out in output
            ]
        else:
            warnings.warn(f'OutputHook: output of {name!r} is a '
                          f'{type(output).__name__}, not a tensor; stored '
                          'as is')
            self.layer_outputs[name] = output

    def register(self, module):
        """Hook every module named in ``outputs`` of ``module``.

        Args:
            module (nn.Module): The model to watch.
        """

        def hook_wrapper(name):

            def hook(model, inputs, output):
                self._store(name, output)

            return hook

        if isinstance(self.outputs, (list, tuple)):
            for name in self.outputs:
                try:
                    layer = rgetattr(module, name)
                except AttributeError:
                    raise AttributeError(
                        f'OutputHook: the model has no module named {name!r}'
                    ) from None
                self.handles.append(
                    layer.register_forward_hook(hook_wrapper(name)))

    def remove(self):
        """Remove the hooks."""
        for handle in self.handles:
            handle.remove()
        self.handles = []

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.remove()


def rgetattr(obj, attr, *args):
    """``getattr`` through a dotted path, e.g. ``'backbone.layer1.0'``.

    Args:
        obj (object): The object to start from.
        attr (str): Dotted attribute path.
        *args: An optional default, returned (as ``getattr`` does) when an
            attribute on the path is missing.

    Returns:
        object: The attribute.
    """

    def _getattr(obj, attr):
        return getattr(obj, attr, *args)

    return functools.reduce(_getattr, [obj] + attr.split('.'))
