from .top_down_base_head import TopDownBaseHead
from .top_down_simple_head import TopDownSimpleHead

__all__ = ['TopDownBaseHead', 'TopDownSimpleHead']
