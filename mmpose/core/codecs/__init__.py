from .base import BaseKeypointCodec
from .megvii_heatmap import MegviiHeatmap
from .msra_heatmap import MSRAHeatmap
from .regression import RegressionLabel
from .udp_heatmap import UDPHeatmap, post_dark_udp
from .utils import (blur_maps, get_max_preds, modulate_heatmaps,
                    refine_quarter_offset, taylor_refine, windowed_gaussians)

__all__ = [
    'BaseKeypointCodec', 'MSRAHeatmap', 'MegviiHeatmap', 'UDPHeatmap',
    'RegressionLabel', 'post_dark_udp', 'blur_maps', 'get_max_preds',
    'modulate_heatmaps', 'refine_quarter_offset', 'taylor_refine',
    'windowed_gaussians'
]
