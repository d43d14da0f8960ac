"""The detector backends' wiring, with stand-ins for OpenCV's HOG / Haar
(absent from OpenCV 5) and for mmdet (not installed here)."""
import sys
import types

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
