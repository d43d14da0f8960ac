"""Registers the scale tests' backbone in a tool subprocess (imported through
``custom_imports`` of :func:`scale_helpers.tiny_topdown_config`)."""
from scale_helpers import register_scale_modules

register_scale_modules()
