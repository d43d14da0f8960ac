from .associative_embedding import AssociativeEmbedding
from .base import BaseKeypointCodec
from .builder import CODECS, build_codec
from .legacy_flags import (codec_cfg_from_flags, codec_cfg_from_test_cfg,
                           heatmap_type_from_target_type)
from .megvii_heatmap import MegviiHeatmap
from .msra_heatmap import MSRAHeatmap
from .regression import RegressionLabel
from .udp_heatmap import UDPHeatmap, post_dark_udp
from .utils import (blur_maps, get_max_preds, modulate_heatmaps,
                    refine_quarter_offset, taylor_refine, windowed_gaussians)

__all__ = [
    'CODECS', 'build_codec', 'BaseKeypointCodec', 'MSRAHeatmap',
    'MegviiHeatmap', 'UDPHeatmap', 'RegressionLabel', 'codec_cfg_from_flags',
    'codec_cfg_from_test_cfg', 'heatmap_type_from_target_type',
    'post_dark_udp', 'blur_maps', 'get_max_preds', 'modulate_heatmaps',
    'refine_quarter_offset', 'taylor_refine', 'windowed_gaussians'
]
__all__ += ['AssociativeEmbedding']
