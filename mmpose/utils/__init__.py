from .collect_env import collect_env
from .errors import ArgumentError, check
from .logger import get_root_logger

__all__ = ['get_root_logger', 'collect_env', 'ArgumentError', 'check']
