"""Losses of bottom-up (associative embedding) models.

Paper ref: Newell et al. Associative Embedding: End-to-End Learning for Joint
Detection and Grouping (NIPS 2017). <https://arxiv.org/abs/1611.05424v2>
"""
import torch
import torch.nn as nn

from mmpose.utils import check
from ..registry import LOSSES


def _make_input(t, requires_grad=False, device=torch.device('cpu')):
    """A scalar tensor: the sum of ``t`` on ``device``.

    Args:
        t (torch.Tensor): Values to sum.
        requires_grad (bool): Whether the result requires a gradient.
        device (torch.device): Device of the result.

    Returns:
        torch.Tensor: 0-d tensor.
    """
    inp = t.detach().clone().requires_grad_(requires_grad)
    return inp.sum().to(device)


@LOSSES.register_module()
class HeatmapLoss(nn.Module):
    """Accumulate the heatmap loss for each image in the batch."""

    @staticmethod
    def forward(pred, gt, mask):
        """Masked mean squared error of each image.

        Note:
            Shape letters: N images, K keypoints, H x W heatmaps.

        Args:
            pred (torch.Tensor[N, K, H, W]): Predicted heatmaps.
            gt (torch.Tensor[N, K, H, W]): Target heatmaps.
            mask (torch.Tensor[N, H, W]): Pixels that count (1) or not (0).

        Returns:
            torch.Tensor[N]: Loss of each image.
        """
        check(pred.size() == gt.size(),
              f'pred and gt must have one shape, got {tuple(pred.size())} '
              f'and {tuple(gt.size())}')
        loss = ((pred - gt)**2) * mask[:, None, :, :].expand_as(pred)
        return loss.mean(dim=(1, 2, 3))


@LOSSES.register_module()
class AELoss(nn.Module):
    """Associative Embedding loss.

    Associative Embedding: End-to-End Learning for Joint Detection and
    Grouping <https://arxiv.org/abs/1611.05424v2>

    Args:
        loss_type (str): Push loss form: 'exp' (``exp(-d^2)``) or 'max'
            (``max(0, 1 - |d|)``) of the difference ``d`` of two people's
            mean tags.
    """

    def __init__(self, loss_type):
        super().__init__()
        check(loss_type in ('exp', 'max'),
              f"loss_type must be 'exp' or 'max', got {loss_type!r}")
        self.loss_type = loss_type

    def singleTagLoss(self, pred_tag, joints):
        """Associative embedding loss for one image.

        Note:
            Shape letters: K keypoints, H x W heatmaps, M people at most.

        Args:
            pred_tag (torch.Tensor[(KxHxW)x1]): tag of output for one image.
            joints (torch.Tensor[MxKx2]): joints information for one image:
                (flat index into ``pred_tag``, visible flag).

        Returns:
            tuple[torch.Tensor]: push loss and pull loss (0-d).
        """
        joints = torch.as_tensor(joints, device=pred_tag.device)
        index = joints[..., 0].long()
        valid = (joints[..., 1] > 0).to(pred_tag.dtype)  # [M, K]
        # Invalid entries index 0 and are weighted out below.
        tags = pred_tag[index * (valid > 0)]  # [M, K, D]
        counts = valid.sum(dim=1)  # [M]
        people = counts > 0
        num_tags = int(people.sum())
        zero = _make_input(
            torch.zeros(1, dtype=pred_tag.dtype), device=pred_tag.device)
        if num_tags == 0:
            return zero, zero

        tags, valid, counts = tags[people], valid[people], counts[people]
        weights = valid[..., None]
        mean_tags = (tags * weights).sum(dim=1) / counts[:, None]  # [P, D]
        # Per person: mean over its visible joints and tag dims.
        sq = ((tags - mean_tags[:, None]) * weights)**2
        pull = (sq.sum(dim=(1, 2)) / (counts * tags.size(2))).sum()
        if num_tags == 1:
            return zero, pull

        diff = mean_tags[:, 0][None, :] - mean_tags[:, 0][:, None]
        if self.loss_type == 'exp':
            push = torch.exp(-diff**2).sum() - num_tags
        else:
            push = torch.clamp(1 - torch.abs(diff), min=0).sum() - num_tags
        push_loss = push / ((num_tags - 1) * num_tags) * 0.5
        pull_loss = pull / num_tags
        return push_loss, pull_loss

    def forward(self, tags, joints):
        """Accumulate the tag loss for each image in the batch.

        Note:
            The letters of :meth:`singleTagLoss`, and N images.

        Args:
            tags (torch.Tensor[Nx(KxHxW)x1]): tag channels of output.
            joints (torch.Tensor[NxMxKx2]): joints information.

        Returns:
            tuple[torch.Tensor[N]]: push losses and pull losses.
        """
        pushes, pulls = [], []
        for i in range(tags.size(0)):
            push, pull = self.singleTagLoss(tags[i], joints[i])
            pushes.append(push)
            pulls.append(pull)
        return torch.stack(pushes), torch.stack(pulls)


@LOSSES.register_module()
class MultiLossFactory(nn.Module):
    """Loss for bottom-up models.

    Args:
        num_joints (int): Number of keypoints.
        num_stages (int): Number of stages.
        ae_loss_type (str): Type of ae loss.
        with_ae_loss (list[bool]): Use ae loss or not in multi-heatmap.
        push_loss_factor (list[float]):
            Parameter of push loss in multi-heatmap.
        pull_loss_factor (list[float]):
            Parameter of pull loss in multi-heatmap.
        with_heatmaps_loss (list[bool]):
            Use heatmap loss or not in multi-heatmap.
        heatmaps_loss_factor (list[float]):
            Parameter of heatmap loss in multi-heatmap.
    """

    def __init__(self, num_joints, num_stages, ae_loss_type, with_ae_loss,
                 push_loss_factor, pull_loss_factor, with_heatmaps_loss,
                 heatmaps_loss_factor):
        super().__init__()
        for name, value in (('with_heatmaps_loss', with_heatmaps_loss),
                            ('heatmaps_loss_factor', heatmaps_loss_factor),
                            ('with_ae_loss', with_ae_loss),
                            ('push_loss_factor', push_loss_factor),
                            ('pull_loss_factor', pull_loss_factor)):
            check(
                isinstance(value, (list, tuple)),
                f'{name} should be a list or tuple, got {type(value).__name__}')

        self.num_joints = num_joints
        self.num_stages = num_stages
        self.ae_loss_type = ae_loss_type
        self.with_ae_loss = with_ae_loss
        self.push_loss_factor = push_loss_factor
        self.pull_loss_factor = pull_loss_factor
        self.with_heatmaps_loss = with_heatmaps_loss
        self.heatmaps_loss_factor = heatmaps_loss_factor

        self.heatmaps_loss = nn.ModuleList([
            HeatmapLoss() if with_heatmaps else None
            for with_heatmaps in self.with_heatmaps_loss
        ])
        self.ae_loss = nn.ModuleList([
            AELoss(self.ae_loss_type) if with_ae else None
            for with_ae in self.with_ae_loss
        ])

    def forward(self, outputs, heatmaps, masks, joints):
        """Forward function to calculate losses.

        Note:
            Shape letters: N images, K keypoints, H x W heatmaps, M people
            at most, C output channels (K, plus the tags with AE loss).

        Args:
            outputs (List(torch.Tensor[NxCxHxW])): outputs of stages.
            heatmaps (List(torch.Tensor[NxKxHxW])): target of heatmaps.
            masks (List(torch.Tensor[NxHxW])): masks of heatmaps.
            joints (List(torch.Tensor[NxMxKx2])): joints of ae loss.

        Returns:
            tuple[list]: heatmap losses, push losses and pull losses, one
                entry (torch.Tensor[N], or None where the output has no such
                loss) per output.
        """
        heatmaps_losses, push_losses, pull_losses = [], [], []
        for idx, output in enumerate(outputs):
            offset_feat = 0
            heatmaps_loss = None
            if self.heatmaps_loss[idx] is not None:
                heatmaps_pred = output[:, :self.num_joints]
                offset_feat = self.num_joints
                heatmaps_loss = self.heatmaps_loss[idx](
                    heatmaps_pred, heatmaps[idx],
                    masks[idx]) * self.heatmaps_loss_factor[idx]
            heatmaps_losses.append(heatmaps_loss)

            push_loss = pull_loss = None
            if self.ae_loss[idx] is not None:
                tags_pred = output[:, offset_feat:]
                tags_pred = tags_pred.contiguous().view(
                    tags_pred.size(0), -1, 1)
                push_loss, pull_loss = self.ae_loss[idx](tags_pred,
                                                         joints[idx])
                push_loss = push_loss * self.push_loss_factor[idx]
                pull_loss = pull_loss * self.pull_loss_factor[idx]
            push_losses.append(push_loss)
            pull_losses.append(pull_loss)

        return heatmaps_losses, push_losses, pull_losses
