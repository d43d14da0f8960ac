"""Single-image inference and drawing for top-down and bottom-up pose models
(0.x API)."""
import os

import cv2
import mmcv
import numpy as np
import torch
from mmcv.image.io import imread_flags
from mmcv.parallel import collate, scatter
from mmcv.runner import load_checkpoint

from mmpose.core.dataset_meta import get_dataset_meta
from mmpose.core.post_processing import oks_nms
from mmpose.core.visualization import imshow_bboxes, imshow_keypoints
from mmpose.datasets.datasets.base import bbox_xywh2cs
from mmpose.datasets.pipelines import Compose
from mmpose.models import build_posenet
from mmpose.utils import check
from mmpose.utils.hooks import OutputHook
from .cli import check_checkpoint_file

__all__ = [
    'init_pose_model', 'inference_top_down_pose_model',
    'inference_bottom_up_pose_model', 'vis_pose_result', 'LoadImage',
    'OutputHook'
]


def _check_device(device):
    """Fail early, with the fix in the message, on a device we cannot use."""
    device = torch.device(device)
    if device.type == 'cuda' and not torch.cuda.is_available():
        raise RuntimeError(
            f"init_pose_model: device={str(device)!r} was requested but "
            "CUDA is not available on this machine; pass device='cpu'")
    return device


def init_pose_model(config, checkpoint=None, device='cuda:0'):
    """Initialize a pose model from a config file.

    Args:
        config (str | :obj:`mmcv.Config`): Config file path or the config
            object.
        checkpoint (str, optional): Checkpoint path. If left as None, the
            model keeps its initial weights.
        device (str | torch.device): Where to put the model, e.g. 'cuda:0' or
            'cpu'. Default: 'cuda:0'.

    Returns:
        nn.Module: The constructed pose model in eval mode, with the config
        attached as ``model.cfg``.
    """
    if isinstance(config, (str, os.PathLike)):
        config = mmcv.Config.fromfile(str(config))
    elif not isinstance(config, mmcv.Config):
        raise TypeError('init_pose_model: config must be a filename or an '
                        f'mmcv.Config, but got {type(config)}')
    device = _check_device(device)
    config.model.pretrained = None
    model = build_posenet(config.model)
    if checkpoint is not None:
        _load_strict(model, checkpoint)
    model.cfg = config
    model.to(device)
    model.eval()
    return model


def _load_strict(model, checkpoint):
    """Load ``checkpoint`` into ``model``; keys and shapes must match.

    A checkpoint of another architecture would otherwise run with partly
    random weights, so mmcv's list of missing/unexpected keys is raised. A
    missing, empty or truncated file is named as such first, not reported as
    a mismatch.
    """
    # A URL names a file of the local torch hub cache (never downloaded).
    checkpoint = check_checkpoint_file(checkpoint)
    try:
        # 'silent': mmcv would print 'load checkpoint from local path' on
        # every call.
        load_checkpoint(
            model,
            checkpoint,
            map_location='cpu',
            strict=True,
            logger='silent')
    except RuntimeError as err:
        raise RuntimeError(
            f'init_pose_model: checkpoint {checkpoint!r} does not match the '
            f'model built from the config: {err}') from err


# Leading bytes of the image formats OpenCV reads: a file that starts like
# one but does not decode is truncated or corrupt, not of a foreign type.
_IMAGE_SIGNATURES = ((b'\xff\xd8\xff', 'JPEG'), (b'\x89PNG', 'PNG'),
                     (b'BM', 'BMP'), (b'GIF8', 'GIF'), (b'II*\x00', 'TIFF'),
                     (b'MM\x00*', 'TIFF'), (b'RIFF', 'WebP'))


def read_image_file(path, color_type='color', channel_order='bgr'):
    """Read an image file, with an error naming a file OpenCV cannot decode.

    ``mmcv.imread`` (0.14's route) returns None for such a file, which
    surfaces later as an unrelated error inside the pipeline.

    Args:
        path (str | os.PathLike): The image file.
        color_type (str): Flag of :func:`mmcv.imread`. Default: 'color'.
        channel_order (str): 'bgr' or 'rgb'. Default: 'bgr'.

    Returns:
        np.ndarray[H, W, 3]: The decoded image (``[H, W]`` for grayscale).

    Raises:
        FileNotFoundError: The file does not exist.
        OSError: The file is empty, truncated or corrupt, or not an image
            (the message says which, naming the file).
    """
    path = str(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f'image file not found: {path}')
    # cv2.imread, not mmcv.imread: mmcv's decoding of an empty or foreign
    # file fails with an OpenCV assertion instead of returning None.
    img = cv2.imread(path, imread_flags.get(color_type, color_type))
    if img is None:
        raise OSError(f'cannot decode the image file {path}: '
                      f'{_why_undecodable(path)}')
    if color_type == 'color' and channel_order == 'rgb':
        cv2.cvtColor(img, cv2.COLOR_BGR2RGB, img)
    return img


def _why_undecodable(path):
    size = os.path.getsize(path)
    if size == 0:
        return 'it is empty (0 bytes)'
    with open(path, 'rb') as f:
        head = f.read(8)
    for signature, name in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return (f'it starts as a {name} image but is truncated or '
                    f'corrupt ({size} bytes)')
    return f'it is not an image (no format OpenCV reads; {size} bytes)'


class LoadImage:
    """Load the image of ``results['img_or_path']`` (path or BGR array).

    Args:
        color_type (str): Flag of :func:`mmcv.imread`. Default: 'color'.
        channel_order (str): 'rgb' or 'bgr'. Default: 'rgb'.
    """

    def __init__(self, color_type='color', channel_order='rgb'):
        self.color_type = color_type
        self.channel_order = channel_order

    def __call__(self, results):
        source = results['img_or_path']
        if isinstance(source, (str, os.PathLike)):
            results['image_file'] = str(source)
            img = read_image_file(source, self.color_type,
                                  self.channel_order)
        elif isinstance(source, np.ndarray):
            results['image_file'] = ''
            img = source
            if self.color_type == 'color' and self.channel_order == 'rgb':
                img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        else:
            raise TypeError('LoadImage: "img_or_path" must be a path or a '
                            f'numpy array, but got {type(source)}')
        results['img'] = img
        return results


def _xyxy2xywh(bbox_xyxy):
    """Boxes (left, top, right, bottom, [score]) -> (left, top, w, h, ...),
    with 0.x's inclusive pixel convention (+1)."""
    bbox_xywh = np.array(bbox_xyxy, dtype=np.float64, copy=True)
    bbox_xywh[:, 2] = bbox_xywh[:, 2] - bbox_xywh[:, 0] + 1
    bbox_xywh[:, 3] = bbox_xywh[:, 3] - bbox_xywh[:, 1] + 1
    return bbox_xywh


def _xywh2xyxy(bbox_xywh):
    """Inverse of :func:`_xyxy2xywh`."""
    bbox_xyxy = np.array(bbox_xywh, dtype=np.float64, copy=True)
    bbox_xyxy[:, 2] = bbox_xyxy[:, 2] + bbox_xyxy[:, 0] - 1
    bbox_xyxy[:, 3] = bbox_xyxy[:, 3] + bbox_xyxy[:, 1] - 1
    return bbox_xyxy


def _box2cs(cfg, box):
    """Box (x, y, w, h) -> center and scale (in units of 200 px) with the
    model's aspect ratio and 0.x's 1.25 padding (0.14's helper, kept for
    code that imports it; see :func:`bbox_xywh2cs`)."""
    image_size = cfg.data_cfg['image_size']
    return bbox_xywh2cs(box[:4], image_size[0] / image_size[1])


def _inference_single_pose_model(model, img_or_path, bboxes, dataset,
                                 return_heatmap=False):
    """Run the model once on all boxes of one image (one batch).

    Args:
        bboxes (np.ndarray[N, 4 or 5]): Boxes as (x, y, w, h, [score]).

    Returns:
        tuple: keypoints ``np.ndarray[N, K, 3]`` and heatmaps
        ``np.ndarray[N, K, H, W]`` (None unless ``return_heatmap``).
    """
    cfg = model.cfg
    device = next(model.parameters()).device
    channel_order = cfg.test_pipeline[0].get('channel_order', 'rgb')
    pipeline = Compose(cfg.test_pipeline[1:])
    check(bboxes.ndim == 2 and bboxes.shape[1] in (4, 5),
          'inference: person boxes must have 4 or 5 values (x, y, w, h, '
          f'[score]), got an array of shape {bboxes.shape}')
    # A degenerate box has no crop to look at: it would give NaN keypoints
    # (or a division by zero) instead of an error naming the box.
    finite = np.isfinite(bboxes[:, :4]).all(axis=1)
    bad = np.flatnonzero(~finite | (bboxes[:, 2] <= 0) | (bboxes[:, 3] <= 0))
    if len(bad):
        i = bad[0]
        what = ('finite values' if not finite[i] else
                'a positive width and height')
        check(False, f'inference: person box {i} must have {what}; got '
              f'(x, y, w, h) = {bboxes[i, :4].tolist()}')
    meta = get_dataset_meta(dataset)
    num_joints = cfg.data_cfg['num_joints']
    image_size = cfg.data_cfg['image_size']
    # center/scale as the datasets compute them (0.x's 1.25 padding)
    centers, scales = bbox_xywh2cs(bboxes, image_size[0] / image_size[1])
    # Read and colour-converted once for all boxes (0.14 did it per box):
    # the pipeline steps return new arrays, never write into this one.
    loaded = LoadImage(channel_order=channel_order)(
        {'img_or_path': img_or_path})
    batch = []
    for bbox, center, scale in zip(bboxes, centers, scales):
        data = {
            'img_or_path': img_or_path,
            'img': loaded['img'],
            'image_file': loaded['image_file'],
            'center': center,
            'scale': scale,
            'bbox_score': bbox[4] if len(bbox) == 5 else 1,
            'bbox_id': len(batch),
            'dataset': meta.dataset_name,
            'joints_3d': np.zeros((num_joints, 3), dtype=np.float32),
            'joints_3d_visible': np.zeros((num_joints, 3), dtype=np.float32),
            'rotation': 0,
            'ann_info': {
                'image_size': np.array(cfg.data_cfg['image_size']),
                'num_joints': num_joints,
                'flip_pairs': meta.flip_pairs,
            }
        }
        batch.append(pipeline(data))
    batch = collate(batch, samples_per_gpu=len(batch))
    if device.type == 'cuda':
        batch = scatter(batch, [device])[0]
    else:
        batch['img_metas'] = batch['img_metas'].data[0]
    with torch.no_grad():
        result = model(img=batch['img'], img_metas=batch['img_metas'],
                       return_loss=False, return_heatmap=return_heatmap)
    return result['preds'], result['output_heatmap']


def inference_top_down_pose_model(model,
                                  img_or_path,
                                  person_results,
                                  bbox_thr=None,
                                  format='xywh',
                                  dataset='TopDownCocoDataset',
                                  return_heatmap=False,
                                  outputs=None):
    """Inference a single image with a list of person bounding boxes.

    Note:
        num_people: P
        num_keypoints: K
        bbox height: H
        bbox width: W

    Args:
        model (nn.Module): The loaded pose model.
        img_or_path (str | np.ndarray): Image filename or loaded BGR image.
        person_results (List(dict)): One dict per person with 'bbox'
            (4, ) or (5, ): box coordinates (and score); other items such as
            'track_id' are passed through.
        bbox_thr (float | None): Only boxes with a higher score are used.
            None keeps all boxes.
        format (str): Box format, 'xyxy' (left, top, right, bottom) or 'xywh'
            (left, top, width, height). Default: 'xywh'.
        dataset (str): Dataset name, e.g. 'TopDownCocoDataset'.
        return_heatmap (bool): Also return the heatmaps. Default: False.
        outputs (list(str) | tuple(str)): Names of layers whose outputs need
            to be returned. Default: None.

    Returns:
        tuple:
        - pose_results (list[dict]): Each person's input dict with 'bbox' as
          (left, top, right, bottom, [score]) and 'keypoints'
          ``np.ndarray[K, 3]`` (x, y, score).
        - returned_outputs (list[dict[np.ndarray[P, K, H, W] |
          torch.Tensor[P, K, H, W]]]): Outputs of the layers named in
          ``outputs``, plus 'heatmap' if ``return_heatmap``.
    """
    check(format in ('xyxy', 'xywh'),
          "inference_top_down_pose_model: format must be 'xyxy' or 'xywh', "
          f'got {format!r}')
    if len(person_results) == 0:
        return [], []
    bboxes = np.array([person['bbox'] for person in person_results],
                      dtype=np.float64)
    if bbox_thr is not None:
        check(bboxes.shape[1] == 5,
              'inference_top_down_pose_model: bbox_thr needs boxes with '
              f'scores (5 values), got boxes of shape {bboxes.shape}')
        # Compared in float64, as 0.x did before NumPy 2.
        keep = np.flatnonzero(bboxes[:, 4] > np.float64(bbox_thr))
        bboxes = bboxes[keep]
        person_results = [person_results[i] for i in keep]
    if len(bboxes) == 0:
        return [], []
    if format == 'xyxy':
        bboxes_xyxy, bboxes_xywh = bboxes, _xyxy2xywh(bboxes)
    else:
        bboxes_xyxy, bboxes_xywh = _xywh2xyxy(bboxes), bboxes

    returned_outputs = []
    with OutputHook(model, outputs=outputs, as_tensor=False) as hook:
        poses, heatmap = _inference_single_pose_model(
            model, img_or_path, bboxes_xywh, dataset,
            return_heatmap=return_heatmap)
        if return_heatmap:
            hook.layer_outputs['heatmap'] = heatmap
        returned_outputs.append(hook.layer_outputs)

    assert len(poses) == len(person_results)
    pose_results = []
    for pose, person, bbox_xyxy in zip(poses, person_results, bboxes_xyxy):
        result = person.copy()
        result['keypoints'] = pose
        result['bbox'] = bbox_xyxy
        pose_results.append(result)
    return pose_results, returned_outputs


def _bottom_up_meta(cfg):
    """Keypoint metadata of a bottom-up config: its test dataset's (0.14
    assumed COCO's flip index)."""
    test = cfg.get('data', {}).get('test', {})
    try:
        meta = get_dataset_meta(test.get('type', 'BottomUpCocoDataset'))
    except KeyError:
        meta = get_dataset_meta('BottomUpCocoDataset')
    num_joints = cfg.data_cfg['num_joints']
    check(meta.num_keypoints == num_joints,
          f'inference_bottom_up_pose_model: data_cfg.num_joints={num_joints} '
          f'but the {meta.dataset_name} metadata has {meta.num_keypoints} '
          'keypoints')
    return meta


def inference_bottom_up_pose_model(model,
                                   img_or_path,
                                   pose_nms_thr=0.9,
                                   return_heatmap=False,
                                   outputs=None):
    """Inference a single image.

    Note:
        Shape letters: P people, K keypoints, H x W heatmaps.

    Args:
        model (nn.Module): The loaded pose model.
        img_or_path (str | np.ndarray): Image filename or loaded BGR image.
        pose_nms_thr (float): retain oks overlap < pose_nms_thr, default: 0.9.
        return_heatmap (bool) : Flag to return heatmap, default: False.
        outputs (list(str) | tuple(str)) : Names of layers whose outputs
            need to be returned, default: None.

    Returns:
        tuple:
        - pose_results (list[dict]): One dict per person (after OKS NMS):
          'keypoints' ``np.ndarray[K, 3]`` (x, y, score), 'score' and 'area'
          (of the keypoints' box).
        - returned_outputs (list[dict[np.ndarray[N, K, H, W] |
          torch.Tensor[N, K, H, W]]]): Output feature maps from layers
          specified in outputs. Includes 'heatmap' if `return_heatmap` is
          True.
    """
    cfg = model.cfg
    device = next(model.parameters()).device
    meta = _bottom_up_meta(cfg)
    channel_order = cfg.test_pipeline[0].get('channel_order', 'rgb')
    pipeline = Compose([LoadImage(channel_order=channel_order)] +
                       cfg.test_pipeline[1:])
    data = {
        'img_or_path': img_or_path,
        'dataset': meta.dataset_name,
        'ann_info': {
            'image_size': cfg.data_cfg['image_size'],
            'num_joints': cfg.data_cfg['num_joints'],
            'flip_index': meta.flip_index,
        }
    }
    data = collate([pipeline(data)], samples_per_gpu=1)
    if device.type == 'cuda':
        data = scatter(data, [device])[0]
    else:
        data['img_metas'] = data['img_metas'].data[0]

    returned_outputs = []
    with OutputHook(model, outputs=outputs, as_tensor=False) as hook:
        with torch.no_grad():
            preds, scores, _, heatmap = model(
                img=data['img'],
                img_metas=data['img_metas'],
                return_loss=False,
                return_heatmap=return_heatmap)
        if return_heatmap:
            hook.layer_outputs['heatmap'] = heatmap
        returned_outputs.append(hook.layer_outputs)

    pose_results = []
    for pred, score in zip(preds, scores):
        extent = pred[:, :2].max(axis=0) - pred[:, :2].min(axis=0)
        pose_results.append({
            'keypoints': pred[:, :3],
            'score': score,
            'area': extent[0] * extent[1],
        })
    keep = oks_nms(pose_results, pose_nms_thr, sigmas=meta.sigmas)
    return [pose_results[i] for i in keep], returned_outputs


def vis_pose_result(model,
                    img,
                    result,
                    kpt_score_thr=0.3,
                    dataset='TopDownCocoDataset',
                    show=False,
                    out_file=None):
    """Visualize the detection results on the image.

    Args:
        model (nn.Module): The loaded pose model.
        img (str | np.ndarray): Image filename or loaded BGR image.
        result (list[dict]): The results to draw over img, each with
            'keypoints' ``np.ndarray[K, 3]`` and optionally 'bbox'.
        kpt_score_thr (float): The threshold to visualize the keypoints.
        dataset (str): Dataset name whose skeleton and colours are used.
        show (bool): Whether to show the image. Default: False.
        out_file (str | None): The filename of the output visualization
            image.

    Returns:
        np.ndarray[H, W, 3]: The drawn image.
    """
    if hasattr(model, 'module'):
        model = model.module
    meta = get_dataset_meta(dataset)
    if hasattr(model, 'show_result'):
        return model.show_result(
            img,
            result,
            skeleton=meta.skeleton,
            pose_kpt_color=meta.pose_kpt_color,
            pose_limb_color=meta.pose_link_color,
            radius=4,
            thickness=1,
            kpt_score_thr=kpt_score_thr,
            show=show,
            out_file=out_file)
    return _draw_result(img, result, meta, kpt_score_thr, show, out_file)


def _draw_result(img, result, meta, kpt_score_thr, show, out_file):
    """Draw boxes and poses with :mod:`mmpose.core.visualization` alone."""
    img = mmcv.imread(img).copy()
    bboxes = [np.asarray(r['bbox']) for r in result if 'bbox' in r]
    if bboxes:
        img = imshow_bboxes(img, np.vstack(bboxes)[:, :4], colors='green',
                            show=False)
    imshow_keypoints(img, [r['keypoints'] for r in result], meta.skeleton,
                     kpt_score_thr, meta.pose_kpt_color, meta.pose_link_color)
    if show:
        mmcv.imshow(img)
    if out_file is not None:
        mmcv.imwrite(img, out_file)
    return img
