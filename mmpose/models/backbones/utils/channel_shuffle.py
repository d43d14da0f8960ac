import torch

from mmpose.utils import check


def channel_shuffle(x, groups):
    """Channel Shuffle operation.

    This function enables cross-group information flow for multiple groups
    convolution layers.

    Args:
        x (torch.Tensor[N, C, H, W]): The input tensor.
        groups (int): The number of groups to divide the input tensor
            in the channel dimension.

    Returns:
        torch.Tensor[N, C, H, W]: The output tensor after channel shuffle.
    """
    batch_size, num_channels, height, width = x.size()
    check(
        num_channels % groups == 0,
        f'channel_shuffle: num_channels ({num_channels}) must be divisible '
        f'by groups ({groups})')
    channels_per_group = num_channels // groups

    x = x.view(batch_size, groups, channels_per_group, height, width)
    x = torch.transpose(x, 1, 2).contiguous()
    return x.view(batch_size, -1, height, width)
