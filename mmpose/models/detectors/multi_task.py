import torch.nn as nn

from mmpose.utils import check
from .. import builder
from ..registry import POSENETS
from .base import BasePose


@POSENETS.register_module()
class MultiTask(BasePose):
    """Multi-task detectors.

    One backbone feeds several heads, each through the neck given by
    ``head2neck`` or directly (an identity neck is appended to ``necks``
    for the heads without one, as in 0.14).

    Args:
        backbone (dict): Backbone modules to extract feature.
        heads (List[dict]): heads to output predictions.
        necks (List[dict] | None): necks to process feature.
        head2neck (dict{int:int}): head index to neck index.
        pretrained (str): Path to the pretrained models.
    """

    def __init__(self,
                 backbone,
                 heads,
                 necks=None,
                 head2neck=None,
                 pretrained=None):
        super().__init__()
        self.backbone = builder.build_backbone(backbone)
        if head2neck is None:
            check(necks is None,
                  'necks are given without head2neck to assign them')
            head2neck = {}
        check(heads is not None and all(h is not None for h in heads),
              'heads must be a list of head configs')

        num_necks = 0 if necks is None else len(necks)
        # -1: the identity neck appended after the configured ones.
        self.head2neck = {i: head2neck.get(i, -1) for i in range(len(heads))}
        for head_id, neck_id in self.head2neck.items():
            check(-1 <= neck_id < num_necks,
                  f'head2neck maps head {head_id} to neck {neck_id}, but '
                  f'{num_necks} necks are configured')

        self.necks = nn.ModuleList(
            [builder.build_neck(neck) for neck in necks or []])
        self.necks.append(nn.Identity())
        self.heads = nn.ModuleList([builder.build_head(h) for h in heads])
        self.init_weights(pretrained=pretrained)

    @property
    def with_necks(self):
        """Check if has necks."""
        return hasattr(self, 'necks')

    def init_weights(self, pretrained=None):
        """Weight initialization for model."""
        self.backbone.init_weights(pretrained)
        for module in [*self.necks, *self.heads]:
            if hasattr(module, 'init_weights'):
                module.init_weights()

    def forward(self,
                img,
                target=None,
                target_weight=None,
                img_metas=None,
                return_loss=True,
                **kwargs):
        """Calls either forward_train or forward_test depending on whether
        return_loss=True.

        Note:
            batch_size: N
            num_img_channel: C (Default: 3)
            img height: imgH
            img width: imgW

        Args:
            img (torch.Tensor[N, C, imgH, imgW]): Input images.
            target (List[torch.Tensor]): Targets, one per head.
            target_weight (List[torch.Tensor]): Weights, one per head.
            img_metas (list(dict)): Information about data augmentation
                (``image_file``, ``center``, ``scale``, ``rotation``,
                ``bbox_score``, ...).
            return_loss (bool): Option to return loss. `return loss=True`
                for training, `return loss=False` for validation & test.

        Returns:
            dict: The losses and accuracies of all heads when
                ``return_loss`` is true; otherwise the merged ``decode``
                results of all heads.
        """
        if return_loss:
            return self.forward_train(img, target, target_weight, img_metas,
                                      **kwargs)
        return self.forward_test(img, img_metas, **kwargs)

    def _head_inputs(self, img):
        """The backbone features through each head's neck."""
        features = self.backbone(img)
        return [self.necks[self.head2neck[i]](features)
                for i in range(len(self.heads))]

    def forward_train(self, img, target, target_weight, img_metas, **kwargs):
        """Defines the computation performed at every call when training.

        Losses and accuracies of all heads share one dict, so their keys
        must differ.
        """
        check(
            len(target) == len(self.heads)
            and len(target_weight) == len(self.heads),
            f'one target and target_weight per head ({len(self.heads)}) '
            f'expected, got {len(target)} and {len(target_weight)}')
        losses = dict()
        for head, x, gt, gt_weight in zip(self.heads, self._head_inputs(img),
                                          target, target_weight):
            output = head(x)
            items = head.get_loss(output, gt, gt_weight)
            if hasattr(head, 'get_accuracy'):
                items.update(head.get_accuracy(output, gt, gt_weight))
            clash = set(losses) & set(items)
            check(not clash, f'heads report the same keys {sorted(clash)}')
            losses.update(items)
        return losses

    def forward_test(self, img, img_metas, **kwargs):
        """Defines the computation performed at every call when testing.

        Returns:
            dict: The ``decode`` results of all heads merged (for InterHand:
                ``preds``, ``boxes``, ``values``, ``labels``,
                ``image_paths``, ``bbox_ids``).
        """
        check(
            img.size(0) == len(img_metas),
            f'got {img.size(0)} images and {len(img_metas)} img_metas')
        batch_size, _, img_height, img_width = img.shape
        if batch_size > 1:
            check('bbox_id' in img_metas[0],
                  'batched testing needs bbox_id in img_metas')
        results = {}
        for head, x in zip(self.heads, self._head_inputs(img)):
            if hasattr(head, 'inference_model'):
                output = head.inference_model(x, flip_pairs=None)
            else:
                output = head(x).detach().cpu().numpy()
            results.update(
                head.decode(img_metas, output,
                            img_size=[img_width, img_height]))
        return results

    def forward_dummy(self, img):
        """The outputs of all heads (list[torch.Tensor]) for the images
        ``img``; ``tools/get_flops.py`` counts the FLOPs of this."""
        return [head(x) for head, x in zip(self.heads, self._head_inputs(img))]

    def show_result(self, **kwargs):
        """Not available: 0.14's MultiTask has no visualisation; draw the
        keypoints of its ``preds`` with ``mmpose.core.visualization``."""
        raise NotImplementedError(
            'MultiTask does not implement show_result (neither does 0.14)')
