import cv2
import numpy as np
import pytest

from mmpose.datasets.pipelines import LoadImageFromFile


@pytest.fixture
def bgr_image_file(tmp_path):
    # Flat colour patches survive PNG losslessly, so pixel values are exact.
    img = np.zeros((6, 8, 3), dtype=np.uint8)
    img[..., 0] = 10  # blue
    img[..., 1] = 20  # green
    img[..., 2] = 30  # red
    path = tmp_path / 'img.png'
    cv2.imwrite(str(path), img)
    return path


def test_load_rgb_default(bgr_image_file):
    results = LoadImageFromFile()(dict(image_file=str(bgr_image_file)))
    img = results['img']
    assert img.shape == (6, 8, 3) and img.dtype == np.uint8
    assert img[0, 0].tolist() == [30, 20, 10]


def test_load_bgr_float_and_grayscale(bgr_image_file):
    results = LoadImageFromFile(
        to_float32=True, channel_order='bgr')(
            dict(image_file=bgr_image_file))
    assert results['img'].dtype == np.float32
    assert results['img'][0, 0].tolist() == [10., 20., 30.]

    gray = LoadImageFromFile(color_type='grayscale')(
        dict(image_file=str(bgr_image_file)))['img']
    assert gray.shape == (6, 8)
    # ITU-R BT.601 luma of (r, g, b) = (30, 20, 10)
    assert abs(int(gray[0, 0]) -
               round(0.299 * 30 + 0.587 * 20 + 0.114 * 10)) <= 1


def test_missing_image_names_path(tmp_path):
    missing = tmp_path / 'no_such_image.jpg'
    with pytest.raises(FileNotFoundError, match='no_such_image.jpg'):
        LoadImageFromFile()(dict(image_file=str(missing)))


def test_unreadable_image_names_path(tmp_path):
    broken = tmp_path / 'broken.jpg'
    broken.write_bytes(b'not an image')
    # ValueError, as 0.14 raised it
    with pytest.raises(ValueError, match='broken.jpg'):
        LoadImageFromFile()(dict(image_file=str(broken)))


def test_bad_arguments():
    # 0.14 failed on mmcv.imread's flag lookup (KeyError)
    with pytest.raises(KeyError, match='color_type'):
        LoadImageFromFile(color_type='colour')
    with pytest.raises(AssertionError, match='channel_order'):
        LoadImageFromFile(channel_order='rbg')


def test_mmcv_flags_and_channel_order(bgr_image_file):
    # As mmcv.imread: cv2 flags are taken as they are, and only the
    # 'color' flag converts to RGB.
    gray = LoadImageFromFile(color_type=cv2.IMREAD_GRAYSCALE)(
        dict(image_file=str(bgr_image_file)))['img']
    assert gray.shape == (6, 8)
    img = LoadImageFromFile(color_type='color_ignore_orientation')(
        dict(image_file=str(bgr_image_file)))['img']
    assert img[0, 0].tolist() == [10, 20, 30]


def test_rgb_jpeg_matches_bgr_swapped(tmp_path):
    rng = np.random.RandomState(0)
    path = tmp_path / 'photo.jpg'
    cv2.imwrite(str(path), rng.randint(0, 256, (24, 32, 3)).astype(np.uint8))
    rgb = LoadImageFromFile()(dict(image_file=str(path)))['img']
    bgr = LoadImageFromFile(channel_order='bgr')(
        dict(image_file=str(path)))['img']
    np.testing.assert_array_equal(rgb, bgr[..., ::-1])
