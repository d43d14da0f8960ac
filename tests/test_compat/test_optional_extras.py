"""The optional extras (requirements/optional.txt) with 0.14's configs.

``make test`` installs the extras and sets ``MMPOSE_REQUIRE_EXTRAS=1``: then a
missing extra fails here, instead of its tests being skipped unnoticed
(ONNX export in tests/test_tools/test_model_tools.py, TensorBoard logging in
tests/test_apis/test_tensorboard_logger.py, DeepPoseKit's .h5 in
tests/test_tools/test_dataset_converters.py, Albumentation below).
"""
import importlib
import os

import numpy as np
import pytest

EXTRAS = ('albumentations', 'h5py', 'onnx', 'onnxruntime', 'smplx',
          'tensorboard')
REQUIRED = os.environ.get('MMPOSE_REQUIRE_EXTRAS') == '1'


@pytest.mark.parametrize('name', EXTRAS)
def test_optional_extra_imports(name):
    try:
        importlib.import_module(name)
    except ImportError as err:
        if REQUIRED:
            raise AssertionError(
                f'optional extra "{name}" is not installed, but '
                'MMPOSE_REQUIRE_EXTRAS=1 (make test) needs it: run make '
                'install, which installs requirements/optional.txt') from err
        pytest.skip(f'{name} not installed')


@pytest.fixture
def albumentation():
    if not REQUIRED:
        pytest.importorskip('albumentations')
    from mmpose.datasets.pipelines import Albumentation
    return Albumentation


def test_coarse_dropout_with_014_arguments(albumentation):
    # configs/top_down/augmentation/*_coarsedropout.py's argument names,
    # which albumentations 2 ignores (falling back to its defaults).
    step = albumentation(transforms=[
        dict(
            type='CoarseDropout',
            max_height=12,
            max_holes=1,
            max_width=7,
            min_height=12,
            min_holes=1,
            min_width=7,
            p=1.0)
    ])
    img = np.full((40, 48, 3), 200, np.uint8)
    out = step(dict(img=img.copy()))['img']
    holes = np.argwhere((out == 0).all(-1))
    # One 12 x 7 hole filled with 0, the rest untouched.
    assert len(holes) == 12 * 7
    assert (holes.max(0) - holes.min(0) + 1).tolist() == [12, 7]
    assert (out[(out != 0).any(-1)] == 200).all()


def test_grid_dropout_with_014_arguments(albumentation):
    step = albumentation(transforms=[
        dict(
            type='GridDropout',
            p=1.0,
            random_offset=False,
            unit_size_min=10,
            unit_size_max=11)
    ])
    out = step(dict(img=np.full((40, 40, 3), 200, np.uint8)))['img']
    # 10-pixel units (the range's upper end is exclusive), ratio 0.5: a 5 x 5
    # hole at the top left of every unit.
    rows, cols = np.arange(40) % 10 < 5, np.arange(40) % 10 < 5
    expected_holes = rows[:, None] & cols[None, :]
    np.testing.assert_array_equal((out == 0).all(-1), expected_holes)
    np.testing.assert_array_equal((out == 200).all(-1), ~expected_holes)
