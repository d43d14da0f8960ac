"""The detector backends: their wiring with stand-ins for OpenCV's HOG /
Haar and for mmdet (not installed here), and OpenCV's real HOG / Haar
detectors on photos of the shared samples where the installed OpenCV has
them (OpenCV 5 has neither)."""
import json
import sys
import types
from pathlib import Path

import cv2
import numpy as np
import pytest

import mmpose.apis.detection as detection


def test_hog_boxes_are_xyxy_with_logistic_scores(monkeypatch):
    class FakeHOG:
        def setSVMDetector(self, coeffs):
            self.coeffs = coeffs

        def detectMultiScale(self, img, **kwargs):
            return np.array([[10, 20, 30, 60], [0, 0, 8, 16]]), np.array(
                [[0.0], [np.log(3.0)]])

    monkeypatch.setattr(cv2, 'HOGDescriptor', FakeHOG, raising=False)
    monkeypatch.setattr(cv2, 'HOGDescriptor_getDefaultPeopleDetector',
                        lambda: 'svm', raising=False)
    det = detection.build_person_detector('hog', 'none')
    assert isinstance(det, detection.HOGPersonDetector)
    boxes = [r['bbox'] for r in det(np.zeros((100, 100, 3), np.uint8))]
    np.testing.assert_allclose(boxes, [[10, 20, 40, 80, 0.5],
                                       [0, 0, 8, 16, 0.75]])


def test_haar_faces(monkeypatch):
    class FakeCascade:
        def __init__(self, path):
            self.path = path

        def detectMultiScale(self, gray, scale, neighbours):
            assert gray.ndim == 2
            return np.array([[5, 6, 20, 30]])

    monkeypatch.setattr(cv2, 'CascadeClassifier', FakeCascade,
                        raising=False)
    monkeypatch.setattr(detection, 'has_opencv_detector', lambda kind: True)
    det = detection.build_face_detector()
    faces = det(np.zeros((50, 50, 3), np.uint8))
    np.testing.assert_allclose(faces[0]['bbox'], [5, 6, 25, 36, 1])


def test_mmdet_when_installed(monkeypatch):
    calls = {}

    def init_detector(config, checkpoint, device):
        calls['init'] = (config, checkpoint, device)
        return 'model'

    def inference_detector(model, img):
        person = np.array([[1, 2, 3, 4, 0.9]])
        other = np.array([[5, 6, 7, 8, 0.8]])
        return ([person, other], ['masks'])

    apis = types.ModuleType('mmdet.apis')
    apis.init_detector, apis.inference_detector = (init_detector,
                                                   inference_detector)
    monkeypatch.setitem(sys.modules, 'mmdet', types.ModuleType('mmdet'))
    monkeypatch.setitem(sys.modules, 'mmdet.apis', apis)
    monkeypatch.setattr(detection.importlib.util, 'find_spec',
                        lambda name: object())
    det = detection.build_person_detector('faster_rcnn.py', 'frcnn.pth',
                                          device='cpu', cat_id=2)
    assert calls['init'] == ('faster_rcnn.py', 'frcnn.pth', 'cpu')
    np.testing.assert_allclose(det(None)[0]['bbox'], [5, 6, 7, 8, 0.8])


def test_det_file_wins_over_detectors(tmp_path):
    path = tmp_path / 'boxes.json'
    path.write_text('[[[1, 2, 3, 4, 0.5]]]')
    det = detection.build_person_detector('faster_rcnn.py', 'x.pth',
                                          det_file=str(path))
    assert isinstance(det, detection.FileDetector)


def test_unknown_det_file_layout(tmp_path):
    path = tmp_path / 'boxes.json'
    path.write_text('3')
    with pytest.raises(TypeError, match='boxes.json'):
        detection.FileDetector(str(path))


SHARED = Path(__file__).resolve().parents[2] / '..' / 'shared' / 'datasets'
needs_shared = pytest.mark.skipif(not SHARED.is_dir(),
                                  reason='needs ../shared/datasets')
needs_hog = pytest.mark.skipif(
    not detection.has_opencv_detector('hog'),
    reason=f'OpenCV {cv2.__version__} has no HOG people detector')
needs_haar = pytest.mark.skipif(
    not detection.has_opencv_detector('haar'),
    reason=f'OpenCV {cv2.__version__} ships no Haar cascade')


def _annotations(json_file, file_name):
    data = json.loads(json_file.read_text())
    image_id = next(img['id'] for img in data['images']
                    if img['file_name'] == file_name)
    return [ann for ann in data['annotations'] if ann['image_id'] == image_id]


@needs_hog
@needs_haar
def test_real_detectors_find_nothing_on_a_plain_image():
    plain = np.full((240, 320, 3), 128, np.uint8)
    assert detection.build_person_detector('hog', 'none')(plain) == []
    assert detection.build_face_detector()(plain) == []


@needs_hog
@needs_shared
@pytest.mark.parametrize('name', ['000000196141.jpg', '000000197388.jpg'])
def test_real_hog_finds_an_annotated_person(name):
    img = cv2.imread(str(SHARED / 'coco' / name))
    found = detection.build_person_detector('hog', 'none')(img)
    assert found, 'no person found'
    boxes = np.array([r['bbox'] for r in found])
    assert np.all((boxes[:, 4] > 0) & (boxes[:, 4] < 1))
    # Weakly: some annotated person lies at least 80% inside a found box
    # that is no more than 4 times its size (HOG boxes carry a margin).
    matched = False
    for ann in _annotations(SHARED / 'coco' / 'test_coco.json', name):
        x, y, w, h = ann['bbox']
        ix = (np.minimum(boxes[:, 2], x + w) - np.maximum(boxes[:, 0], x))
        iy = (np.minimum(boxes[:, 3], y + h) - np.maximum(boxes[:, 1], y))
        inside = np.clip(ix, 0, None) * np.clip(iy, 0, None) / (w * h)
        area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
        matched |= bool(np.any((inside >= 0.8) & (area <= 4 * w * h)))
    assert matched, f'no found box holds an annotated person: {boxes}'


@needs_haar
@needs_shared
@pytest.mark.parametrize('name', ['001766.jpg', '001805.jpg'])
def test_real_haar_finds_the_annotated_face(name):
    img = cv2.imread(str(SHARED / 'cofw' / name))
    faces = detection.build_face_detector()(img)
    assert len(faces) == 1
    x1, y1, x2, y2, score = faces[0]['bbox']
    assert score == 1
    (ann, ) = _annotations(SHARED / 'cofw' / 'test_cofw.json', name)
    points = np.array(ann['keypoints']).reshape(-1, 3)[:, :2]
    inside = ((points[:, 0] >= x1) & (points[:, 0] <= x2) &
              (points[:, 1] >= y1) & (points[:, 1] <= y2))
    # Weakly: most of the 29 landmarks fall in the found face box.
    assert inside.mean() >= 0.8
