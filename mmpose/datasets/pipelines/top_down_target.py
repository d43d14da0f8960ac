"""Top-down training targets, built on the codecs in ``mmpose.core.codecs``
(the same codecs decode the model outputs in ``keypoints_from_heatmaps``)."""
import numpy as np

from mmpose.core.codecs import (RegressionLabel, build_codec,
                                codec_cfg_from_flags)
from mmpose.utils import check
from ..registry import PIPELINES


def _weighted(target_weight, cfg):
    """Apply the dataset's per-joint weights when it asks for them."""
    if cfg.get('use_different_joint_weights', False):
        return np.multiply(target_weight, cfg['joint_weights'])
    return target_weight


def _frozen(value):
    """A hashable copy of a setting or size (lists and arrays as tuples)."""
    if isinstance(value, np.ndarray):
        return tuple(value.tolist())
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


def _store(results, encoded, cfg):
    """Put every array a codec encoded into ``results``; ``encoded`` holds
    one dict per target stage, or a dict for a single-stage target."""
    if isinstance(encoded, dict):
        for key, value in encoded.items():
            results[key] = (_weighted(value, cfg)
                            if key == 'target_weight' else value)
        return results
    for key in encoded[0]:
        values = [stage[key] for stage in encoded]
        if key == 'target_weight':
            values = [_weighted(value, cfg) for value in values]
        results[key] = np.stack(values)
    return results


@PIPELINES.register_module()
class TopDownGenerateTarget:
    """Generate the target heatmap.

    Required keys: 'joints_3d', 'joints_3d_visible', 'ann_info'.
    Modified keys: 'target', and 'target_weight'.

    ``results['ann_info']`` provides image_size, heatmap_size, num_joints,
    joint_weights and use_different_joint_weights. The flags are turned
    into a codec (``mmpose.core.codecs``) by ``codec_cfg_from_flags``; its
    ``encode`` makes the targets, and a codec adding further arrays adds
    them to the results under its keys.

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

    def __init__(self,
                 sigma=2,
                 kernel=(11, 11),
                 valid_radius_factor=0.0546875,
                 target_type='GaussianHeatMap',
                 encoding='MSRA',
                 unbiased_encoding=False):
        self.sigma = sigma
        self.kernel = kernel
        self.valid_radius_factor = valid_radius_factor
        self.target_type = target_type
        self.encoding = encoding
        self.unbiased_encoding = unbiased_encoding
        self._codec_cfg()  # reject invalid flags now, not at the 1st sample
        # Codecs by (settings, image_size, heatmap_size) values: a dataset's
        # samples share their sizes, and building a codec costs more than
        # encoding with it.
        self._codec_cache = {}

    def _codec_cfg(self):
        return codec_cfg_from_flags(
            encoding=self.encoding,
            target_type=self.target_type,
            unbiased_encoding=self.unbiased_encoding,
            sigma=self.sigma,
            kernel=self.kernel,
            valid_radius_factor=self.valid_radius_factor)

    def _codecs(self, image_size, heatmap_size):
        """One codec per target stage (a list), or one codec."""
        key = (self.encoding, self.target_type, self.unbiased_encoding,
               _frozen(self.sigma), _frozen(self.kernel),
               _frozen(self.valid_radius_factor), _frozen(image_size),
               _frozen(heatmap_size))
        codecs = self._codec_cache.get(key)
        if codecs is None:
            if len(self._codec_cache) >= 8:
                self._codec_cache.clear()
            codecs = self._codec_cache[key] = self._build_codecs(
                dict(image_size=key[-2], heatmap_size=key[-1]))
        return codecs

    def _build_codecs(self, sizes):
        cfg = self._codec_cfg()
        # The config holds the stage-wise parameter of its encoding only.
        staged = [key for key, value in cfg.items() if isinstance(value, list)]
        if not staged:
            return build_codec(cfg, sizes)
        stages = cfg[staged[0]]
        check(
            len(stages) > 0, f'TopDownGenerateTarget: {staged[0]} is an '
            'empty list of per-stage parameters, which gives no target')
        return [
            build_codec(dict(cfg, **{staged[0]: value}), sizes)
            for value in stages
        ]

    def __call__(self, results):
        """Generate the target heatmap."""
        cfg = results['ann_info']
        codecs = self._codecs(cfg['image_size'], cfg['heatmap_size'])
        joints, visible = results['joints_3d'], results['joints_3d_visible']
        if isinstance(codecs, list):
            encoded = [codec.encode(joints, visible) for codec in codecs]
        else:
            encoded = codecs.encode(joints, visible)
        return _store(results, encoded, cfg)

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
        encoded = RegressionLabel(cfg['image_size']).encode(
            results['joints_3d'], results['joints_3d_visible'])
        return _store(results, encoded, cfg)

    def __repr__(self):
        return f'{self.__class__.__name__}()'
