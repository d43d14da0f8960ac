"""Registers the toy model and dataset of ``toy_pose_modules`` on import:
for tools run as subprocesses (``custom_imports`` in ``toy_config``)."""
from toy_pose_modules import register_toy_modules

register_toy_modules()
