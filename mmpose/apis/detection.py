"""Person / face boxes and video input-output for the demo scripts.

MMPose 0.14's demos need mmdet (persons) or face_recognition (faces). Here a
small detector interface picks, in order:

- ``--det-file``: boxes from a JSON file, either COCO style
  (``images`` + ``annotations`` with ``bbox`` as x, y, w, h; image i of the
  list is video frame i) or per frame (a list whose item i, or a dict whose
  key ``"i"`` or image file name, holds that frame's boxes as
  ``[x1, y1, x2, y2(, score)]``);
- mmdet, when it is installed and ``det_config`` names a config file (same
  arguments as 0.14);
- OpenCV's HOG people detector / bundled Haar frontal-face cascade: the
  defaults, as requirements/runtime.txt pins OpenCV 4.x, which has both
  (OpenCV 5 moved them out of the main package; there pass ``--det-file``
  or install mmdet).

Nothing here is imported by ``core``, ``models`` or ``datasets``.
"""
import importlib.util
import json
import os
import os.path as osp
import sys
import time

import cv2
import mmcv
import numpy as np

from mmpose.apis.inference import read_image_file
from mmpose.utils import check


def _as_person_results(bboxes):
    """list[dict]: ``{'bbox': np.ndarray[5]}`` (x1, y1, x2, y2, score) per
    box of ``np.ndarray[N, 4 or 5]`` (score 1 when absent)."""
    bboxes = np.asarray(bboxes, dtype=np.float64).reshape(-1, bboxes_width(
        bboxes))
    if bboxes.shape[1] == 4:
        bboxes = np.hstack([bboxes, np.ones((len(bboxes), 1))])
    return [dict(bbox=bbox) for bbox in bboxes]


def bboxes_width(bboxes):
    """int: Values per box of a box list (4 when it is empty)."""
    bboxes = np.asarray(bboxes)
    return bboxes.shape[-1] if bboxes.size else 4


def process_mmdet_results(mmdet_results, cat_id=1):
    """Person results of one category from mmdet's output, as 0.14's demos.

    Args:
        mmdet_results (list | tuple): mmdet's per-class boxes
            ``np.ndarray[N, 5]`` (and masks, for a tuple).
        cat_id (int): 1-based category id. Default: 1 (person).

    Returns:
        list[dict]: ``{'bbox': np.ndarray[5]}`` per box (x1, y1, x2, y2,
        score).
    """
    if isinstance(mmdet_results, tuple):
        mmdet_results = mmdet_results[0]
    return _as_person_results(mmdet_results[cat_id - 1])


class BoxDetector:
    """Interface: ``detector(img, index=None, name=None)`` returns the
    boxes of one image as ``list[dict]`` with 'bbox' (x1, y1, x2, y2,
    score).

    ``index`` is the video frame index, ``name`` the image file name; a
    file of boxes uses them, image detectors ignore them.
    """

    def __call__(self, img, index=None, name=None):
        raise NotImplementedError


class FileDetector(BoxDetector):
    """Boxes read from a JSON file (formats in the module docstring).

    Args:
        det_file (str): The JSON file.
        cat_id (int | None): Keep only COCO annotations of this category
            (those without ``category_id`` are kept). Default: None.
    """

    def __init__(self, det_file, cat_id=None):
        with open(det_file) as f:
            data = json.load(f)
        self.det_file = det_file
        self.by_index, self.by_name = {}, {}
        if isinstance(data, dict) and 'annotations' in data:
            self._load_coco(data, cat_id)
        elif isinstance(data, list):
            self.by_index = {i: boxes for i, boxes in enumerate(data)}
        elif isinstance(data, dict):
            for key, boxes in data.items():
                if key.isdigit():
                    self.by_index[int(key)] = boxes
                else:
                    self.by_name[osp.basename(key)] = boxes
        else:
            raise TypeError(f'{det_file}: expected a COCO json, a list or a '
                            f'dict of boxes, got {type(data).__name__}')

    def _load_coco(self, data, cat_id):
        boxes = {img['id']: [] for img in data.get('images', [])}
        for ann in data['annotations']:
            if cat_id is not None and ann.get('category_id', cat_id) != cat_id:
                continue
            x, y, w, h = ann['bbox']
            boxes.setdefault(ann['image_id'], []).append(
                [x, y, x + w, y + h, ann.get('score', 1.0)])
        for index, img in enumerate(data.get('images', [])):
            self.by_index[index] = boxes[img['id']]
            self.by_name[osp.basename(img['file_name'])] = boxes[img['id']]

    def __call__(self, img, index=None, name=None):
        if name is not None and osp.basename(name) in self.by_name:
            return _as_person_results(self.by_name[osp.basename(name)])
        return _as_person_results(self.by_index.get(index, []))


class MMDetDetector(BoxDetector):
    """mmdet's ``init_detector`` / ``inference_detector``, as in 0.14."""

    def __init__(self, det_config, det_checkpoint, device='cuda:0',
                 cat_id=1):
        from mmdet.apis import inference_detector, init_detector
        self._infer = inference_detector
        self.model = init_detector(det_config, det_checkpoint, device=device)
        self.cat_id = cat_id

    def __call__(self, img, index=None, name=None):
        return process_mmdet_results(self._infer(self.model, img),
                                     self.cat_id)


class HOGPersonDetector(BoxDetector):
    """OpenCV's HOG + linear SVM pedestrian detector (Dalal-Triggs).

    Scores are the SVM margins mapped to (0, 1) by a logistic, so that a
    ``--bbox-thr`` of 0.5 keeps the boxes on the positive side.
    """

    def __init__(self):
        check(has_opencv_detector('hog'),
              'HOGPersonDetector: this OpenCV build has no HOGDescriptor '
              f'(OpenCV {cv2.__version__}); pass --det-file or install mmdet')
        self.hog = _cv2_attr('HOGDescriptor')()
        self.hog.setSVMDetector(
            _cv2_attr('HOGDescriptor_getDefaultPeopleDetector')())

    def __call__(self, img, index=None, name=None):
        rects, weights = self.hog.detectMultiScale(
            mmcv.imread(img), winStride=(8, 8), padding=(8, 8), scale=1.05)
        if len(rects) == 0:
            return []
        rects = np.asarray(rects, dtype=np.float64).reshape(-1, 4)
        scores = 1 / (1 + np.exp(-np.asarray(weights, np.float64).ravel()))
        rects[:, 2:] += rects[:, :2]
        return _as_person_results(np.hstack([rects, scores[:, None]]))


class HaarFaceDetector(BoxDetector):
    """OpenCV's bundled Haar frontal-face cascade (score 1 per face)."""

    def __init__(self):
        check(has_opencv_detector('haar'),
              'HaarFaceDetector: this OpenCV build has no Haar cascades '
              f'(OpenCV {cv2.__version__}); pass --det-file')
        self.cascade = _cv2_attr('CascadeClassifier')(_haar_file())

    def __call__(self, img, index=None, name=None):
        gray = cv2.cvtColor(mmcv.imread(img), cv2.COLOR_BGR2GRAY)
        rects = self.cascade.detectMultiScale(gray, 1.1, 5)
        rects = np.asarray(rects, dtype=np.float64).reshape(-1, 4)
        rects[:, 2:] += rects[:, :2]
        return _as_person_results(rects)


def _haar_file():
    folder = getattr(getattr(cv2, 'data', None), 'haarcascades', '')
    return osp.join(folder, 'haarcascade_frontalface_default.xml')


def _cv2_attr(name):
    """``cv2.<name>``, or ``cv2.xobjdetect.<name>`` where OpenCV 5's contrib
    package moved the legacy detectors; None when neither has it."""
    for module in (cv2, getattr(cv2, 'xobjdetect', None)):
        if module is not None and hasattr(module, name):
            return getattr(module, name)
    return None


def has_opencv_detector(kind):
    """bool: Whether this OpenCV has the 'hog' people or 'haar' face
    detector."""
    if kind == 'hog':
        return _cv2_attr('HOGDescriptor_getDefaultPeopleDetector') is not None
    return (_cv2_attr('CascadeClassifier') is not None
            and osp.isfile(_haar_file()))


def build_person_detector(det_config, det_checkpoint, device='cuda:0',
                          cat_id=1, det_file=None):
    """The person detector of a demo's arguments (order in the module
    docstring).

    Args:
        det_config (str): An mmdet config file, or 'hog' / 'opencv'.
        det_checkpoint (str): The mmdet checkpoint (ignored otherwise).
        device (str): Device of the mmdet model.
        cat_id (int): 1-based category id of persons.
        det_file (str | None): A JSON file of boxes; wins when given.

    Returns:
        BoxDetector: Called on each image or frame.
    """
    if det_file:
        return FileDetector(det_file, cat_id=cat_id)
    wants_mmdet = str(det_config).endswith('.py')
    if wants_mmdet and importlib.util.find_spec('mmdet') is not None:
        return MMDetDetector(det_config, det_checkpoint, device, cat_id)
    if has_opencv_detector('hog'):
        if wants_mmdet:
            print('mmdet is not installed: using OpenCV\'s HOG people '
                  'detector instead of', det_config)
        return HOGPersonDetector()
    raise RuntimeError(
        f'No person detector: mmdet is not installed and OpenCV '
        f'{cv2.__version__} has no HOG people detector. Pass boxes with '
        '--det-file (COCO json or per-frame [x1, y1, x2, y2, score] lists).')


def build_face_detector(det_file=None):
    """The face detector: boxes of ``det_file`` or OpenCV's Haar cascade.

    Returns:
        BoxDetector: Called on each image or frame.
    """
    if det_file:
        return FileDetector(det_file)
    if has_opencv_detector('haar'):
        return HaarFaceDetector()
    raise RuntimeError(
        f'No face detector: OpenCV {cv2.__version__} ships no Haar cascade. '
        'Pass face boxes with --det-file (COCO json or per-frame '
        '[x1, y1, x2, y2] lists).')


def add_det_file_arg(parser):
    """Add ``--det-file`` to a demo's argument parser."""
    parser.add_argument(
        '--det-file', default=None,
        help='JSON boxes instead of a detector: COCO style (image i = frame '
        'i) or per frame lists of [x1, y1, x2, y2(, score)]')


def can_show():
    """bool: Whether ``cv2.imshow`` can open a window here."""
    if sys.platform.startswith('linux') and not (
            os.environ.get('DISPLAY') or os.environ.get('WAYLAND_DISPLAY')):
        return False
    try:
        cv2.namedWindow('Image')
    except cv2.error:
        return False
    return True


def resolve_show(show, out_root, default_root='vis_results'):
    """Apply the demos' ``--show`` rule: without a display, say so and write
    the file instead.

    Returns:
        tuple[bool, str]: Whether to show, and the output folder ('' for
        none).
    """
    if show and not can_show():
        show = False
        if not out_root:
            out_root = default_root
        print(f'--show: no display here; writing the output to {out_root}/ '
              'instead')
    check(show or out_root, 'demo: pass --show and/or an output folder')
    return show, out_root


def read_video(video_path):
    """mmcv.VideoReader: The opened video; an error naming a missing file or
    one OpenCV cannot decode."""
    check(video_path, 'demo: pass the input video with --video-path')
    if not osp.isfile(video_path):
        raise FileNotFoundError(f'video file not found: {video_path}')
    video = mmcv.VideoReader(video_path)
    if not video.opened:
        raise OSError(f'cannot decode the video file {video_path}: it is '
                      'not a video OpenCV can read, or it is truncated or '
                      'empty')
    return video


def run_video(video_path, out_video_root, show, draw_frame):
    """Read a video, draw each frame, show and/or write the result.

    Prints a progress bar, the frames per second at the end and the output
    path.

    Args:
        video_path (str): The input video.
        out_video_root (str): Folder of the output ``vis_<name>``; '' for
            none.
        show (bool): Show each frame ('q' stops).
        draw_frame (Callable[[int, np.ndarray, float], np.ndarray]): Draws
            frame ``index`` (BGR image) of a video of the given fps.

    Returns:
        str | None: The written video file.
    """
    show, out_video_root = resolve_show(show, out_video_root)
    video = read_video(video_path)
    out_file, writer = None, None
    if out_video_root:
        os.makedirs(out_video_root, exist_ok=True)
        out_file = osp.join(out_video_root,
                            f'vis_{osp.basename(video_path)}')
        writer = cv2.VideoWriter(out_file, cv2.VideoWriter_fourcc(*'mp4v'),
                                 video.fps, (video.width, video.height))
    progress = mmcv.ProgressBar(len(video))
    start, count = time.perf_counter(), 0
    for index, frame in enumerate(video):
        if frame is None:
            break
        vis = draw_frame(index, frame, video.fps)
        count += 1
        progress.update()
        if writer is not None:
            writer.write(vis)
        if show:
            cv2.imshow('Image', vis)
            if cv2.waitKey(1) & 0xFF == ord('q'):
                break
    elapsed = time.perf_counter() - start
    if writer is not None:
        writer.release()
    if show:
        cv2.destroyAllWindows()
    print(f'\n{count} frames in {elapsed:.2f} s: '
          f'{count / max(elapsed, 1e-9):.2f} fps')
    if out_file is not None:
        print(f'Output video: {out_file}')
    return out_file


def image_paths(img_root, img):
    """list[str]: ``img`` under ``img_root``, or every image file of
    ``img_root`` when ``img`` is empty."""
    if img:
        return [osp.join(img_root, img)]
    exts = ('.jpg', '.jpeg', '.png', '.bmp')
    return sorted(
        osp.join(img_root, name) for name in os.listdir(img_root)
        if name.lower().endswith(exts))


def read_image(path):
    """np.ndarray[H, W, 3]: The BGR image at ``path``; an error naming a
    missing file or one OpenCV cannot decode (see
    :func:`mmpose.apis.inference.read_image_file`)."""
    return read_image_file(path)


def add_demo_args(parser, det=True, video=False, tracking=False,
                  bottom_up=False):
    """Add a 0.14 demo's arguments to ``parser``.

    Args:
        parser (argparse.ArgumentParser): The demo's parser.
        det (bool): Person detector arguments: positional ``det_config``,
            ``det_checkpoint`` (an mmdet config, or 'hog'), ``--det-cat-id``,
            ``--bbox-thr``. Default: True.
        video (bool): ``--video-path`` and ``--out-video-root`` instead of
            ``--img-root``, ``--img`` and ``--out-img-root``.
        tracking (bool): ``--use-oks-tracking``, ``--tracking-thr`` and
            ``--euro``.
        bottom_up (bool): ``--pose-nms-thr`` and, for images,
            ``--img-path``; implies ``det=False``.
    """
    det = det and not bottom_up
    if det:
        parser.add_argument('det_config', help='mmdet config file, or '
                            '"hog" for OpenCV\'s people detector')
        parser.add_argument('det_checkpoint', help='mmdet checkpoint file '
                            '(any value with "hog")')
    parser.add_argument('pose_config', help='Config file for pose')
    parser.add_argument('pose_checkpoint', help='Checkpoint file for pose')
    if video:
        parser.add_argument('--video-path', type=str, help='Video path')
        parser.add_argument('--out-video-root', default='',
                            help='Root of the output video file. Default '
                            'not saving the visualization video.')
    else:
        if bottom_up:
            parser.add_argument('--img-path', type=str, help='Path to an '
                                'image file or a image folder.')
        else:
            parser.add_argument('--img-root', type=str, default='',
                                help='Image root')
            parser.add_argument('--img', type=str, default='',
                                help='Image file')
        parser.add_argument('--out-img-root', type=str, default='',
                            help='root of the output img file. Default not '
                            'saving the visualization images.')
    parser.add_argument('--show', action='store_true', default=False,
                        help='whether to show visualizations.')
    parser.add_argument('--device', default='cuda:0',
                        help='Device used for inference')
    parser.add_argument('--kpt-thr', type=float, default=0.3,
                        help='Keypoint score threshold')
    if bottom_up:
        parser.add_argument('--pose-nms-thr', type=float, default=0.9,
                            help='OKS threshold for pose NMS')
    else:
        add_det_file_arg(parser)
    if det:
        parser.add_argument('--det-cat-id', type=int, default=1,
                            help='Category id for bounding box detection '
                            'model')
        parser.add_argument('--bbox-thr', type=float, default=0.3,
                            help='Bounding box score threshold')
    if tracking:
        parser.add_argument('--use-oks-tracking', action='store_true',
                            help='Using OKS tracking')
        parser.add_argument('--tracking-thr', type=float, default=0.3,
                            help='Tracking threshold')
        parser.add_argument('--euro', action='store_true',
                            help='Using One_Euro_Filter for smoothing')
    return parser


class Tracker:
    """The per-video state of 0.14's tracking demos around
    :func:`mmpose.apis.get_track_id`.

    Args:
        args (argparse.Namespace): ``use_oks_tracking``, ``tracking_thr``
            and ``euro`` of :func:`add_demo_args`.
    """

    def __init__(self, args):
        self.args = args
        self.next_id = 0
        self.last = []

    def __call__(self, pose_results, fps):
        from mmpose.apis.inference_tracking import get_track_id
        pose_results, self.next_id = get_track_id(
            pose_results, self.last, self.next_id,
            use_oks=self.args.use_oks_tracking,
            tracking_thr=self.args.tracking_thr,
            use_one_euro=self.args.euro, fps=fps)
        self.last = pose_results
        return pose_results


def load_demo_models(args, det=True, face=False):
    """The models of a demo's arguments (see :func:`add_demo_args`).

    Returns:
        tuple: the box detector (None when ``det`` and ``face`` are False),
        the pose model and its test dataset type name.
    """
    from mmpose.apis.inference import init_pose_model
    device = args.device.lower()
    detector = None
    if face:
        detector = build_face_detector(args.det_file)
    elif det:
        detector = build_person_detector(args.det_config, args.det_checkpoint,
                                         device, args.det_cat_id,
                                         args.det_file)
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=device)
    return detector, pose_model, pose_model.cfg.data['test']['type']


def draw_poses(pose_model, img, pose_results, args, tracker=None, fps=None,
               show=False, out_file=None):
    """Draw a frame's poses: by track when a :class:`Tracker` is given
    (its ids assigned here), else with the dataset's colours.

    Returns:
        np.ndarray[H, W, 3]: The drawn image.
    """
    from mmpose.apis.inference import vis_pose_result
    from mmpose.apis.inference_tracking import vis_pose_tracking_result
    dataset = pose_model.cfg.data['test']['type']
    vis = vis_pose_result
    if tracker is not None:
        pose_results = tracker(pose_results, fps)
        vis = vis_pose_tracking_result
    return vis(pose_model, img, pose_results, dataset=dataset,
               kpt_score_thr=args.kpt_thr, show=show, out_file=out_file)


def draw_top_down(pose_model, img, person_results, args, tracker=None,
                  fps=None, out_file=None):
    """Run the top-down model on the boxes of one image and draw the poses
    (see :func:`draw_poses`).

    Args:
        person_results (list[dict]): 'bbox' (x1, y1, x2, y2, [score]) each.
    """
    from mmpose.apis.inference import inference_top_down_pose_model
    pose_results, _ = inference_top_down_pose_model(
        pose_model, img, person_results,
        bbox_thr=getattr(args, 'bbox_thr', None), format='xyxy',
        dataset=pose_model.cfg.data['test']['type'])
    return draw_poses(pose_model, img, pose_results, args, tracker, fps,
                      out_file=out_file)


def run_image_demo(args, detector, draw):
    """Draw every image of ``--img-root`` / ``--img`` (or ``--img-path``, a
    file or a folder) and write ``vis_<name>`` files; prints their paths.

    Args:
        args (argparse.Namespace): The demo's arguments.
        detector (BoxDetector | None): Boxes of each image, or None.
        draw (Callable): ``draw(img, person_results, out_file)``.

    Returns:
        list[str]: The written files.
    """
    show, out_root = resolve_show(args.show, args.out_img_root)
    if getattr(args, 'img_path', None):
        paths = (image_paths(args.img_path, '') if osp.isdir(args.img_path)
                 else [args.img_path])
    else:
        paths = image_paths(args.img_root, args.img)
    written = []
    for path in paths:
        img = read_image(path)
        boxes = detector(img, name=path) if detector is not None else None
        out_file = None
        if out_root:
            os.makedirs(out_root, exist_ok=True)
            out_file = osp.join(out_root, f'vis_{osp.basename(path)}')
            written.append(out_file)
        vis = draw(img, boxes, out_file)
        if show:
            mmcv.imshow(vis)
    for out_file in written:
        print(f'Output image: {out_file}')
    return written


class FullFrameDetector(BoxDetector):
    """One box, the whole image (videos showing one person or face)."""

    def __call__(self, img, index=None, name=None):
        height, width = img.shape[:2]
        return _as_person_results([[0, 0, width, height]])


def run_top_down_video(args, detector, pose_model, tracker=None):
    """:func:`run_video` with boxes of ``detector`` per frame, drawn by
    :func:`draw_top_down` (by track when ``tracker`` is given).

    Returns:
        str | None: The written video file.
    """
    return run_video(
        args.video_path, args.out_video_root, args.show,
        lambda index, img, fps: draw_top_down(
            pose_model, img, detector(img, index=index), args, tracker, fps))


def run_top_down_images(args, detector, pose_model):
    """:func:`run_image_demo` with boxes of ``detector`` drawn by
    :func:`draw_top_down`.

    Returns:
        list[str]: The written files.
    """
    return run_image_demo(
        args, detector, lambda img, boxes, out_file: draw_top_down(
            pose_model, img, boxes, args, out_file=out_file))


def draw_bottom_up(pose_model, img, args, tracker=None, fps=None,
                   out_file=None):
    """Run the bottom-up model on one image and draw the poses (see
    :func:`draw_poses`)."""
    from mmpose.apis.inference import inference_bottom_up_pose_model
    pose_results, _ = inference_bottom_up_pose_model(
        pose_model, img, pose_nms_thr=args.pose_nms_thr)
    return draw_poses(pose_model, img, pose_results, args, tracker, fps,
                      out_file=out_file)


def run_bottom_up_video(args, pose_model, tracker=None):
    """:func:`run_video` drawing :func:`draw_bottom_up` per frame (by track
    when ``tracker`` is given).

    Returns:
        str | None: The written video file.
    """
    return run_video(
        args.video_path, args.out_video_root, args.show,
        lambda index, img, fps: draw_bottom_up(pose_model, img, args,
                                               tracker, fps))
