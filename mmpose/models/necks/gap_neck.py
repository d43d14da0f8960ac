import torch
import torch.nn as nn

from ..registry import NECKS


@NECKS.register_module()
class GlobalAveragePooling(nn.Module):
    """Global Average Pooling neck.

    Note that we use `view` to remove extra channel after pooling. We do not
    use `squeeze` as it will also remove the batch dimension when the tensor
    has a batch dimension of size 1, which can lead to unexpected errors.

    Note:
        N: batch size, C: channels, H, W: spatial size.
    """

    def __init__(self):
        super().__init__()
        self.gap = nn.AdaptiveAvgPool2d((1, 1))

    def init_weights(self):
        """Init weights (the neck has no parameters)."""

    def _pool(self, x):
        return self.gap(x).view(x.size(0), -1)

    def forward(self, inputs):
        """Forward function.

        Args:
            inputs (torch.Tensor[N, C, H, W] | tuple | list): Feature map(s).

        Returns:
            torch.Tensor[N, C] | tuple | list: The pooled feature(s), in the
                container type of ``inputs``.
        """
        if isinstance(inputs, tuple):
            return tuple(self._pool(x) for x in inputs)
        if isinstance(inputs, list):
            return [self._pool(x) for x in inputs]
        if isinstance(inputs, torch.Tensor):
            return self._pool(inputs)
        raise TypeError('GlobalAveragePooling: neck inputs should be a tuple, '
                        'list or torch.Tensor, but got '
                        f'{type(inputs).__name__}')
