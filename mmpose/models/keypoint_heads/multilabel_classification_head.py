import torch

from ..registry import HEADS
from .fc_vector_head import FcVectorHead


@HEADS.register_module()
class MultilabelClassificationHead(FcVectorHead):
    """Multi-label classification head. Paper ref: Gyeongsik Moon.
    "InterHand2.6M: A Dataset and Baseline for 3D Interacting Hand Pose
    Estimation from a Single RGB Image".

    An MLP with a sigmoid gives one independent probability per label (for
    InterHand: right hand present, left hand present).

    Note:
        batch size: N
        number labels: L
        in_channels: C

    Args:
        in_channels (int): Number of input channels.
        num_labels (int): Number of labels.
        hidden_dims (list|tuple): Number of hidden dimension of FC layers.
        loss_classification (dict): Config for classification loss.
            Default: None.
        train_cfg (dict | None): Config for training. Default: None.
        test_cfg (dict | None): Config for testing. Default: None.
    """

    loss_name = 'classification_loss'
    result_key = 'labels'

    def __init__(self,
                 in_channels=2048,
                 num_labels=2,
                 hidden_dims=(512, ),
                 loss_classification=None,
                 train_cfg=None,
                 test_cfg=None):
        super().__init__(in_channels, num_labels, hidden_dims,
                         loss_classification, train_cfg, test_cfg)
        self.num_labels = num_labels

    def forward(self, x):
        """Forward function.

        Args:
            x (torch.Tensor[N, C]): Input feature vectors.

        Returns:
            torch.Tensor[N, L]: Label probabilities.
        """
        return torch.sigmoid(self.fc(x))

    def get_accuracy(self, output, target, target_weight):
        """Calculate accuracy for classification.

        A sample counts when all its labels have positive weight; it is
        right when every label is on the right side of 0.5.

        Args:
            output (torch.Tensor[N, L]): Output hand visibility.
            target (torch.Tensor[N, L]): Target hand visibility.
            target_weight (torch.Tensor[N, L] | torch.Tensor[N]): Weights
                across different labels (or samples).

        Returns:
            dict: ``acc_classification`` (a tensor; 0 when no sample has
                all its labels).
        """
        valid = (self._weight_columns(target_weight) > 0).all(dim=1)
        output, target = output[valid], target[valid]
        if output.shape[0] == 0:
            acc = output.new_zeros(1)
        else:
            right = ((output - 0.5) * (target - 0.5)).min(dim=1)[0] > 0
            acc = right.float().mean()
        return dict(acc_classification=acc)

    def inference_model(self, x, flip_pairs=None):
        """Inference function.

        Args:
            x (torch.Tensor[N, C]): Input features vector.
            flip_pairs (None | list[tuple()]): Pairs of labels which are
                mirrored (swapped back for a flipped image).

        Returns:
            np.ndarray[N, L]: Output labels.
        """
        labels = self.forward(x).detach().cpu().numpy()
        if flip_pairs is not None:
            perm = list(range(labels.shape[1]))
            for left, right in flip_pairs:
                perm[left], perm[right] = right, left
            labels = labels[:, perm]
        return labels
