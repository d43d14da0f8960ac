"""The registry of keypoint codecs."""
from mmpose.utils.registry import make_registry

CODECS = make_registry('codec')


def build_codec(cfg, default_args=None):
    """Build a keypoint codec from a config.

    Args:
        cfg (dict): Config with the registered class name in ``type``, e.g.
            ``dict(type='MSRAHeatmap', sigma=2)``.
        default_args (dict | None): Arguments used where ``cfg`` has none
            (typically ``image_size`` and ``heatmap_size``).

    Returns:
        BaseKeypointCodec: The codec.
    """
    return CODECS.build(cfg, default_args=default_args)
