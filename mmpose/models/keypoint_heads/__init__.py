from .bottom_up_base_head import BottomUpBaseHead
from .bottom_up_higher_resolution_head import BottomUpHigherResolutionHead
from .bottom_up_simple_head import BottomUpSimpleHead
from .fc_head import FcHead
from .temporal_regression_head import TemporalRegressionHead
from .top_down_base_head import TopDownBaseHead
from .top_down_multi_stage_head import TopDownMSMUHead, TopDownMultiStageHead
from .top_down_simple_head import TopDownSimpleHead

__all__ = [
    'TopDownBaseHead', 'TopDownSimpleHead', 'TopDownMultiStageHead',
    'TopDownMSMUHead', 'FcHead'
]
__all__ += [
    'BottomUpBaseHead', 'BottomUpSimpleHead', 'BottomUpHigherResolutionHead'
]
__all__ += ['TemporalRegressionHead']
from .heatmap_1d_head import Heatmap1DHead  # noqa: E402
from .heatmap_3d_head import HeatMap3DHead  # noqa: E402
from .multilabel_classification_head import \
    MultilabelClassificationHead  # noqa: E402

__all__ += [
    'HeatMap3DHead', 'Heatmap1DHead', 'MultilabelClassificationHead'
]
