import json

import cv2
import mmcv
import numpy as np
import pytest

from mmpose.apis import inference_tracking, vis_pose_tracking_result
from mmpose.apis.detection import FileDetector, build_person_detector

from demo_fixtures import NUM_FRAMES, figure_boxes, load_demo


def _frames(path):
    return [frame for frame in mmcv.VideoReader(path)]


def test_file_detector_formats(tmp_path):
    coco = dict(images=[dict(id=7, file_name='dir/a.jpg'),
                        dict(id=3, file_name='b.jpg')],
                annotations=[dict(image_id=3, bbox=[1, 2, 10, 20],
                                  category_id=1, score=0.5),
                             dict(image_id=3, bbox=[0, 0, 5, 5],
                                  category_id=2)])
    path = tmp_path / 'coco.json'
    path.write_text(json.dumps(coco))
    det = FileDetector(str(path), cat_id=1)
    assert det(None, index=0) == []
    by_name = det(None, name='other/b.jpg')
    by_index = det(None, index=1)
    for results in (by_name, by_index):
        assert len(results) == 1
        np.testing.assert_allclose(results[0]['bbox'], [1, 2, 11, 22, 0.5])

    per_frame = tmp_path / 'frames.json'
    per_frame.write_text(json.dumps({'0': [[1, 2, 3, 4]], 'c.png': []}))
    det = FileDetector(str(per_frame))
    np.testing.assert_allclose(det(None, index=0)[0]['bbox'], [1, 2, 3, 4, 1])
    assert det(None, name='c.png') == [] and det(None, index=5) == []


def test_person_detector_without_any_backend_says_what_to_do(monkeypatch):
    import mmpose.apis.detection as detection
    monkeypatch.setattr(detection, 'has_opencv_detector', lambda kind: False)
    monkeypatch.setattr(detection.importlib.util, 'find_spec',
                        lambda name: None)
    with pytest.raises(RuntimeError, match='--det-file'):
        build_person_detector('det.py', 'det.pth')


def test_img_demo_with_det_file(tmp_path, pose_files, video_files, capsys):
    img = _frames(video_files[0])[2]
    cv2.imwrite(str(tmp_path / 'f.png'), img)
    det_file = tmp_path / 'boxes.json'
    det_file.write_text(json.dumps({'f.png': figure_boxes(2)}))
    demo = load_demo('top_down_img_demo_with_mmdet')
    written = demo.main([
        'hog', 'none', *pose_files, '--img-root', str(tmp_path), '--img',
        'f.png', '--det-file', str(det_file), '--device', 'cpu',
        '--out-img-root', str(tmp_path / 'out'), '--kpt-thr', '0'])
    assert written == [str(tmp_path / 'out' / 'vis_f.png')]
    drawn = cv2.imread(written[0])
    assert drawn.shape == img.shape
    # Green person boxes (vis_pose_result) where the file put them.
    x1, y1 = figure_boxes(2)[0][:2]
    assert tuple(drawn[y1 + 10, x1]) == (0, 255, 0)
    assert f'Output image: {written[0]}' in capsys.readouterr().out


def test_img_demo_unreadable_image_names_the_file(tmp_path, pose_files):
    (tmp_path / 'bad.jpg').write_bytes(b'not an image')
    (tmp_path / 'x').write_text('{}')
    demo = load_demo('top_down_img_demo_with_mmdet')
    with pytest.raises(OSError, match='bad.jpg: it is not an image'):
        demo.main(['hog', 'none', *pose_files, '--img-root', str(tmp_path),
                   '--img', 'bad.jpg', '--det-file', str(tmp_path / 'x'),
                   '--device', 'cpu', '--out-img-root', str(tmp_path)])


@pytest.mark.parametrize('name, extra', [
    ('top_down_video_demo_with_mmdet', ['hog', 'none']),
    ('top_down_pose_tracking_demo_with_mmdet', ['hog', 'none']),
    ('top_down_video_demo_full_frame_without_det', []),
])
def test_video_demos_write_and_report(name, extra, tmp_path, pose_files,
                                      video_files, capsys):
    video, det_file = video_files
    args = [*extra, *pose_files, '--video-path', video, '--device', 'cpu',
            '--out-video-root', str(tmp_path), '--kpt-thr', '0']
    if extra:
        args += ['--det-file', det_file]
    out_file = load_demo(name).main(args)
    assert out_file == str(tmp_path / 'vis_clip.mp4')
    frames = _frames(out_file)
    assert len(frames) == NUM_FRAMES and frames[0].shape == (128, 192, 3)
    out = capsys.readouterr().out
    assert f'{NUM_FRAMES} frames in' in out and 'fps' in out
    assert f'Output video: {out_file}' in out


def test_tracking_demo_ids_follow_the_figures(tmp_path, pose_files,
                                              video_files, monkeypatch):
    video, det_file = video_files
    demo = load_demo('top_down_pose_tracking_demo_with_mmdet')
    drawn = []

    def record(model, img, result, **kwargs):
        drawn.append([(r['track_id'], r['bbox'][0]) for r in result])
        return vis_pose_tracking_result(model, img, result, **kwargs)

    monkeypatch.setattr(inference_tracking, 'vis_pose_tracking_result',
                        record)
    demo.main([
        'hog', 'none', *pose_files, '--video-path', video, '--device', 'cpu',
        '--out-video-root', str(tmp_path), '--det-file', det_file,
        '--euro'])
    # Figure 0 keeps id 0 and figure 1 id 1 on every frame.
    assert drawn == [[(0, figure_boxes(i)[0][0]), (1, figure_boxes(i)[1][0])]
                     for i in range(NUM_FRAMES)]


def test_show_without_display_keeps_writing(tmp_path, pose_files,
                                            video_files, no_display,
                                            monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    video, det_file = video_files
    out_file = load_demo('top_down_video_demo_with_mmdet').main([
        'hog', 'none', *pose_files, '--video-path', video, '--device', 'cpu',
        '--det-file', det_file, '--show'])
    assert out_file == 'vis_results/vis_clip.mp4'
    assert len(_frames(str(tmp_path / out_file))) == NUM_FRAMES
    assert 'no display' in capsys.readouterr().out


def test_top_down_img_demo_coco_json(tmp_path, pose_files, video_files,
                                     no_display, capsys):
    cv2.imwrite(str(tmp_path / 'f.png'), _frames(video_files[0])[0])
    (x1, y1, x2, y2), _ = figure_boxes(0)
    coco = dict(images=[dict(id=1, file_name='f.png', width=192,
                             height=128)],
                annotations=[dict(id=1, image_id=1, category_id=1,
                                  bbox=[x1, y1, x2 - x1, y2 - y1])],
                categories=[dict(id=1, name='person')])
    (tmp_path / 'ann.json').write_text(json.dumps(coco))
    written = load_demo('top_down_img_demo').main([
        *pose_files, '--img-root', str(tmp_path), '--json-file',
        str(tmp_path / 'ann.json'), '--device', 'cpu', '--show',
        '--out-img-root', str(tmp_path / 'out')])
    assert written == [str(tmp_path / 'out' / 'vis_0.jpg')]
    assert cv2.imread(written[0]).shape == (128, 192, 3)
    assert 'no display' in capsys.readouterr().out


def test_video_demo_names_an_undecodable_or_missing_video(tmp_path,
                                                          pose_files):
    bad = tmp_path / 'clip.mp4'
    bad.write_bytes(b'\x00\x00\x00\x18ftypmp42' + bytes(8))
    demo = load_demo('top_down_video_demo_full_frame_without_det')
    args = [*pose_files, '--device', 'cpu', '--out-video-root',
            str(tmp_path / 'out')]
    with pytest.raises(OSError, match=f'{bad}: it is not a video OpenCV can '
                       'read, or it is truncated'):
        demo.main(args + ['--video-path', str(bad)])
    with pytest.raises(FileNotFoundError, match='missing.mp4'):
        demo.main(args + ['--video-path', str(tmp_path / 'missing.mp4')])
