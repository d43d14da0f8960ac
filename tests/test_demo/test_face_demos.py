import json

import cv2
import mmcv
import pytest
from demo_fixtures import NUM_FRAMES, figure_boxes, load_demo, write_pose_files

from mmpose.apis.detection import build_face_detector


@pytest.fixture(scope='module')
def face_files(tmp_path_factory):
    return write_pose_files(tmp_path_factory.mktemp('face_model'),
                            'Face300WDataset', 68)


def test_face_detector_without_cascade_says_what_to_do(monkeypatch):
    import mmpose.apis.detection as detection
    monkeypatch.setattr(detection, 'has_opencv_detector', lambda kind: False)
    with pytest.raises(RuntimeError, match='--det-file'):
        build_face_detector()


def test_face_img_demo(tmp_path, face_files, video_files, capsys):
    cv2.imwrite(str(tmp_path / 'face.png'),
                mmcv.VideoReader(video_files[0])[0])
    det_file = tmp_path / 'faces.json'
    det_file.write_text(json.dumps({'face.png': figure_boxes(0)[:1]}))
    written = load_demo('face_img_demo').main([
        *face_files, '--img-root', str(tmp_path), '--img', 'face.png',
        '--det-file', str(det_file), '--device', 'cpu', '--out-img-root',
        str(tmp_path / 'out'), '--kpt-thr', '0'])
    assert written == [str(tmp_path / 'out' / 'vis_face.png')]
    x1, y1 = figure_boxes(0)[0][:2]
    assert tuple(cv2.imread(written[0])[y1 + 10, x1]) == (0, 255, 0)
    assert 'Output image' in capsys.readouterr().out


def test_face_video_demo(tmp_path, face_files, video_files, capsys):
    video, det_file = video_files
    out_file = load_demo('face_video_demo').main([
        *face_files, '--video-path', video, '--det-file', det_file,
        '--device', 'cpu', '--out-video-root', str(tmp_path)])
    assert len(mmcv.VideoReader(out_file)) == NUM_FRAMES
    assert f'Output video: {out_file}' in capsys.readouterr().out
