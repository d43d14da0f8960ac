"""0.14's encoding / decoding flags as a codec config.

MMPose 0.14 chose an encoding through flags spread over the pipeline step
(``encoding``, ``target_type``, ``unbiased_encoding``, ``sigma``, ``kernel``,
``valid_radius_factor``) and the test config / ``keypoints_from_heatmaps``
(``use_udp``, ``post_process``, ``unbiased``, ``modulate_kernel``,
``target_type``, ...). This module is the one place that reads them:
``TopDownGenerateTarget``, ``keypoints_from_heatmaps`` and the top-down heads
turn their flags into a config here and build the codec from it.
"""
import warnings

from mmpose.utils import ArgumentError, check

_ENCODINGS = ('MSRA', 'Megvii', 'UDP')
# 0.14 compared target_type case-insensitively.
_HEATMAP_TYPES = {'gaussianheatmap': 'gaussian', 'combinedtarget': 'combined'}


def heatmap_type_from_target_type(target_type):
    """Map 0.14's ``target_type`` onto a UDP ``heatmap_type``.

    Args:
        target_type (str): 'GaussianHeatMap' or 'CombinedTarget' (any case).

    Returns:
        str: 'gaussian' or 'combined'.
    """
    heatmap_type = (_HEATMAP_TYPES.get(target_type.lower())
                    if isinstance(target_type, str) else None)
    if heatmap_type is None:
        raise ArgumentError("target_type must be 'GaussianHeatMap' or "
                            f"'CombinedTarget', got {target_type!r}")
    return heatmap_type


def _resolve_post_process(unbiased, post_process):
    """Map 0.14's deprecated ``unbiased`` / boolean ``post_process`` onto a
    ``post_process`` name, with 0.14's checks and warnings."""
    if unbiased:
        check(post_process not in (False, None, 'megvii'),
              f'unbiased=True conflicts with post_process={post_process!r}')
    if post_process is False:
        warnings.warn(
            'post_process=False is deprecated, '
            'please use post_process=None instead', DeprecationWarning)
        return None
    if post_process is True:
        if unbiased is True:
            warnings.warn(
                'post_process=True, unbiased=True is deprecated, '
                "please use post_process='unbiased' instead",
                DeprecationWarning)
            return 'unbiased'
        warnings.warn(
            'post_process=True, unbiased=False is deprecated, '
            "please use post_process='default' instead", DeprecationWarning)
        return 'default'
    if post_process == 'default' and unbiased is True:
        warnings.warn(
            "unbiased=True is deprecated, please use post_process='unbiased' "
            'instead', DeprecationWarning)
        return 'unbiased'
    return post_process


def codec_cfg_from_flags(encoding=None,
                         target_type='GaussianHeatMap',
                         unbiased_encoding=False,
                         sigma=2,
                         kernel=(11, 11),
                         valid_radius_factor=0.0546875,
                         use_udp=False,
                         post_process='default',
                         unbiased=False,
                         modulate_kernel=11):
    """Turn 0.14's encoding and decoding flags into a codec config.

    The config names only the parameters its codec uses, so a per-stage
    list (``sigma`` for MSRA and UDP Gaussians, ``kernel`` for Megvii,
    ``valid_radius_factor`` for a CombinedTarget) is the only list in it.

    Args:
        encoding (str | None): The pipeline step's encoding, 'MSRA',
            'Megvii' or 'UDP'. None derives it from the decoding flags:
            'UDP' for ``use_udp``, 'Megvii' for ``post_process='megvii'``,
            else 'MSRA'.
        target_type (str): 'GaussianHeatMap' or 'CombinedTarget' (UDP only).
        unbiased_encoding (bool): DARK's sub-pixel Gaussians (MSRA only).
        sigma (float | list[float]): Gaussian sigma (MSRA, UDP).
        kernel (tuple[int, int] | list[tuple]): Gaussian kernel of the
            Megvii target.
        valid_radius_factor (float | list[float]): Positive radius of a
            CombinedTarget, as a fraction of the heatmap height.
        use_udp (bool): Decode with unbiased data processing.
        post_process (str | bool | None): None, 'default', 'unbiased' or
            'megvii' (booleans are deprecated, as in 0.14).
        unbiased (bool): Deprecated, as ``post_process='unbiased'``.
        modulate_kernel (int): Gaussian kernel of the decoding blur
            (0.14's ``kernel`` of ``keypoints_from_heatmaps``).

    Returns:
        dict: The codec config, for :func:`build_codec`.
    """
    post_process = _resolve_post_process(unbiased, post_process)
    if post_process in ('megvii', 'unbiased'):
        check(modulate_kernel > 0,
              f'kernel must be positive, got {modulate_kernel}')
    check(not (use_udp and post_process == 'megvii'),
          "use_udp=True conflicts with post_process='megvii'")
    if encoding is None:
        encoding = ('UDP' if use_udp else
                    'Megvii' if post_process == 'megvii' else 'MSRA')
    check(encoding in _ENCODINGS,
          f'encoding must be one of {_ENCODINGS}, got {encoding!r}')
    check(not use_udp or encoding == 'UDP',
          f"use_udp=True needs encoding='UDP', got {encoding!r}")
    heatmap_type = heatmap_type_from_target_type(target_type)
    check(heatmap_type == 'gaussian' or encoding == 'UDP',
          "target_type='CombinedTarget' needs UDP (encoding='UDP' / "
          f'use_udp=True), got encoding={encoding!r}')

    if encoding == 'MSRA':
        return dict(
            type='MSRAHeatmap',
            sigma=sigma,
            unbiased_encoding=unbiased_encoding,
            post_process=post_process,
            blur_kernel=modulate_kernel)
    if encoding == 'Megvii':
        return dict(
            type='MegviiHeatmap', kernel=kernel, blur_kernel=modulate_kernel)
    cfg = dict(
        type='UDPHeatmap',
        heatmap_type=heatmap_type,
        blur_kernel=modulate_kernel)
    if heatmap_type == 'combined':
        cfg['valid_radius_factor'] = valid_radius_factor
    else:
        cfg['sigma'] = sigma
    return cfg


def codec_cfg_from_test_cfg(test_cfg):
    """The codec config of a top-down heatmap head's ``test_cfg``.

    Reads the keys 0.14's heads passed to ``keypoints_from_heatmaps``:
    ``unbiased_decoding``, ``post_process``, ``modulate_kernel``,
    ``valid_radius_factor``, ``use_udp`` and ``target_type``.

    Args:
        test_cfg (dict): The head's test config.

    Returns:
        dict: The codec config.
    """
    return codec_cfg_from_flags(
        target_type=test_cfg.get('target_type', 'GaussianHeatMap'),
        valid_radius_factor=test_cfg.get('valid_radius_factor', 0.0546875),
        use_udp=test_cfg.get('use_udp', False),
        post_process=test_cfg.get('post_process', 'default'),
        unbiased=test_cfg.get('unbiased_decoding', False),
        modulate_kernel=test_cfg.get('modulate_kernel', 11))
