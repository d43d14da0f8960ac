"""Shared pytest fixtures; the data writers live in ``tests/fixtures.py``.

pytest puts this folder on ``sys.path`` (rootdir conftest, no
``__init__.py``), so tests can also ``from fixtures import ...``.
"""
import pytest

from fixtures import write_coco_keypoint_dataset


@pytest.fixture
def coco_kpt_dataset(tmp_path):
    """A tiny COCO keypoint dataset in ``tmp_path/coco`` (see
    :func:`fixtures.write_coco_keypoint_dataset`)."""
    return write_coco_keypoint_dataset(tmp_path / 'coco')
