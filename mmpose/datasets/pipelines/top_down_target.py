"""Top-down training targets, built on the codecs in ``mmpose.core.codecs``
(the same codecs decode the model outputs in ``keypoints_from_heatmaps``)."""
import numpy as np

from mmpose.core.codecs import (MegviiHeatmap, MSRAHeatmap, RegressionLabel,
                                UDPHeatmap)
from ..registry import PIPELINES


def _weighted(target_weight, cfg):
    """Apply the dataset's per-joint weights when it asks for them."""
    if cfg.get('use_different_joint_weights', False):
        return np.multiply(target_weight, cfg['joint_weights'])
    return target_weight


@PIPELINES.register_module()
class TopDownGenerateTarget:
    """Generate the target heatmap.

    Required keys: 'joints_3d', 'joints_3d_visible', 'ann_info'.
    Modified keys: 'target', and 'target_weight'.

    ``results['ann_info']`` provides image_size, heatmap_size, num_joints,
    joint_weights and use_different_joint_weights.

    Note:
        num_keypoints: K
        heatmap height: H
        heatmap width: W
        num_stages: S (when sigma, kernel or valid_radius_factor is a list)

    Args:
        sigma: Sigma of heatmap gaussian for 'MSRA' and 'UDP' approaches;
            a list gives one stacked target per sigma (multi-stage models).
        kernel: Kernel of heatmap gaussian for 'Megvii' approach; a list of
            kernels gives stacked targets.
        valid_radius_factor (float): Radius of the positive area of a UDP
            'CombinedTarget', as a fraction of the heatmap height (a list
            gives stacked targets).
        target_type (str): supported targets: 'GaussianHeatMap',
            'CombinedTarget' (UDP only). Default:'GaussianHeatMap'.
            CombinedTarget: The combination of classification target
            (response map) and regression target (offset map).
            Paper ref: Huang et al. The Devil is in the Details: Delving into
            Unbiased Data Processing for Human Pose Estimation (CVPR 2020).
        encoding (str): Approach to generate target heatmaps.
            Currently supported approaches: 'MSRA', 'Megvii', 'UDP'.
            Default:'MSRA'
        unbiased_encoding (bool): Option to use unbiased encoding methods
            ('MSRA' only).
            Paper ref: Zhang et al. Distribution-Aware Coordinate
            Representation for Human Pose Estimation (CVPR 2020).

    Results:
        target (np.ndarray[K, H, W] | np.ndarray[S, K, H, W]): float32
            heatmaps; CombinedTarget has 3K channels.
        target_weight (np.ndarray[K, 1] | np.ndarray[S, K, 1]): float32.
    """

    _ENCODINGS = ('MSRA', 'Megvii', 'UDP')

    def __init__(self,
                 sigma=2,
                 kernel=(11, 11),
                 valid_radius_factor=0.0546875,
                 target_type='GaussianHeatMap',
                 encoding='MSRA',
                 unbiased_encoding=False):
        if encoding not in self._ENCODINGS:
            raise ValueError(f'TopDownGenerateTarget: encoding must be one of '
                             f'{self._ENCODINGS}, got {encoding!r}')
        if target_type.lower() not in ('gaussianheatmap', 'combinedtarget'):
            raise ValueError(
                "TopDownGenerateTarget: target_type must be 'GaussianHeatMap' "
                f"or 'CombinedTarget', got {target_type!r}")
        if (target_type.lower() == 'combinedtarget' and encoding != 'UDP'):
            raise ValueError('TopDownGenerateTarget: CombinedTarget needs '
                             f"encoding='UDP', got {encoding!r}")
        self.sigma = sigma
        self.kernel = kernel
        self.valid_radius_factor = valid_radius_factor
        self.target_type = target_type
        self.encoding = encoding
        self.unbiased_encoding = unbiased_encoding

    def __setattr__(self, name, value):
        # Changing a setting drops the codecs built from the old settings.
        super().__setattr__(name, value)
        if name != '_codec_cache':
            super().__setattr__('_codec_cache', {})

    def _codecs(self, cfg):
        """One codec per target stage; also whether stages are stacked.

        The codecs are kept for the next sample with the same size objects
        (a dataset's samples share its ``ann_info``). A codec reads the very
        objects it was built with, and holds them, so their ids stay theirs.
        """
        image_size, heatmap_size = cfg['image_size'], cfg['heatmap_size']
        key = (id(image_size), id(heatmap_size))
        cached = self._codec_cache.get(key)
        if cached is None:
            if len(self._codec_cache) >= 8:
                self._codec_cache.clear()
            cached = self._codec_cache[key] = self._make_codecs(cfg)
        return cached

    def _make_codecs(self, cfg):
        sizes = dict(
            image_size=cfg['image_size'], heatmap_size=cfg['heatmap_size'])
        if self.encoding == 'MSRA':
            params = self.sigma

            def make(sigma):
                return MSRAHeatmap(
                    sigma=sigma,
                    unbiased_encoding=self.unbiased_encoding,
                    **sizes)
        elif self.encoding == 'Megvii':
            params = self.kernel

            def make(kernel):
                return MegviiHeatmap(kernel=kernel, **sizes)
        elif self.target_type.lower() == 'combinedtarget':
            params = self.valid_radius_factor

            def make(factor):
                return UDPHeatmap(
                    target_type=self.target_type,
                    valid_radius_factor=factor,
                    **sizes)
        else:
            params = self.sigma

            def make(sigma):
                return UDPHeatmap(sigma=sigma, **sizes)

        multi_stage = isinstance(params, list)
        if multi_stage and not params:
            raise ValueError('TopDownGenerateTarget: an empty list of '
                             'per-stage parameters gives no target')
        return [make(p) for p in (params if multi_stage else [params])
                ], multi_stage

    def __call__(self, results):
        """Generate the target heatmap."""
        cfg = results['ann_info']
        codecs, multi_stage = self._codecs(cfg)
        targets, weights = [], []
        for codec in codecs:
            target, target_weight = codec.encode(results['joints_3d'],
                                                 results['joints_3d_visible'])
            targets.append(target)
            weights.append(_weighted(target_weight, cfg))
        if multi_stage:
            results['target'] = np.stack(targets)
            results['target_weight'] = np.stack(weights)
        else:
            results['target'] = targets[0]
            results['target_weight'] = weights[0]
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}(sigma={self.sigma}, '
                f'kernel={self.kernel}, '
                f'valid_radius_factor={self.valid_radius_factor}, '
                f'target_type={self.target_type!r}, '
                f'encoding={self.encoding!r}, '
                f'unbiased_encoding={self.unbiased_encoding})')


@PIPELINES.register_module()
class TopDownGenerateTargetRegression:
    """Generate the target regression vector (coordinates).

    Required keys: 'joints_3d', 'joints_3d_visible', 'ann_info'.
    Modified keys: 'target', and 'target_weight'.

    Note:
        num_keypoints: K

    Results:
        target (np.ndarray[K, 2]): float32 (x, y) divided by image_size.
        target_weight (np.ndarray[K, 2]): visibility, 0 for keypoints
            outside the image.
    """

    def __call__(self, results):
        """Generate the target regression vector."""
        cfg = results['ann_info']
        target, target_weight = RegressionLabel(cfg['image_size']).encode(
            results['joints_3d'], results['joints_3d_visible'])
        results['target'] = target
        results['target_weight'] = _weighted(target_weight, cfg)
        return results

    def __repr__(self):
        return f'{self.__class__.__name__}()'
