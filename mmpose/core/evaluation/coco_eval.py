"""COCO-style keypoint evaluation as plain functions: rescoring, OKS NMS,
result files and ``COCOeval``.

Every dataset annotated in COCO keypoint format (top-down COCO, AIC,
CrowdPose, OCHuman, MHP, ..., and the bottom-up datasets) evaluates through
these functions; a dataset class only names its sigmas, ``iouType``,
``use_area`` and stats names.
"""
import json
import os
import tempfile
import warnings
from collections import OrderedDict

import numpy as np

from mmpose.utils import check
from ..post_processing import oks_nms, soft_oks_nms

#: ``COCOeval.stats`` names of the 'keypoints' iouType, in order.
COCO_STATS_NAMES = ('AP', 'AP .5', 'AP .75', 'AP (M)', 'AP (L)', 'AR',
                    'AR .5', 'AR .75', 'AR (M)', 'AR (L)')
#: ``COCOeval.stats`` names of CrowdPose's 'keypoints_crowd' iouType.
CROWDPOSE_STATS_NAMES = ('AP', 'AP .5', 'AP .75', 'AR', 'AR .5', 'AR .75',
                         'AP(E)', 'AP(M)', 'AP(H)')


def write_json_results(results, res_file):
    """Write results to a json file, atomically.

    The file is written beside ``res_file`` and moved into place, so a
    reader (or an interrupted run) never sees half a file. The folder is
    created if needed. Keys are sorted; a list holds one result per line.

    Args:
        results (list | dict): JSON-serialisable results.
        res_file (str): Path of the json file to write.
    """
    folder = os.path.dirname(os.path.abspath(res_file))
    os.makedirs(folder, exist_ok=True)
    fd, tmp_path = tempfile.mkstemp(
        dir=folder, prefix='.' + os.path.basename(res_file), suffix='.tmp')
    try:
        with os.fdopen(fd, 'w') as f:
            if isinstance(results, list) and results:
                # One result per line. The same json as 0.x's indent=4
                # dump, but json.dump with an indent runs json's pure-Python
                # encoder, which cost more than COCOeval itself.
                f.write('[\n    ' + ',\n    '.join(
                    json.dumps(r, sort_keys=True) for r in results) + '\n]')
            else:
                json.dump(results, f, sort_keys=True, indent=4)
        os.replace(tmp_path, res_file)
    except BaseException:
        if os.path.exists(tmp_path):
            os.remove(tmp_path)
        raise


def sort_and_unique(items, key='bbox_id'):
    """Sort results by ``key`` and drop repeated ones.

    A distributed sampler pads the last batch by repeating samples, so the
    same ``bbox_id`` can come back twice.

    Args:
        items (list[dict]): Results, each with ``key``.
        key (str): The field that identifies a result. Default: 'bbox_id'.

    Returns:
        list[dict]: A new sorted list, one result per ``key`` value.
    """
    items = sorted(items, key=lambda x: x[key])
    return [
        item for i, item in enumerate(items)
        if i == 0 or item[key] != items[i - 1][key]
    ]


def rescore_instances(instances, vis_thr):
    """Score each instance as its score x the mean score of its keypoints
    above ``vis_thr`` (0 if none is).

    Scores are compared with ``vis_thr`` in float64 as MMPose 0.x did.

    Note:
        num_keypoints: K

    Args:
        instances (list[dict]): Results of one image, each with
            ``keypoints`` (np.ndarray[K, 3]) and ``score``; their
            ``score`` is replaced.
        vis_thr (float): Keypoint score threshold.
    """
    if not instances:
        return
    kpt_scores = np.array(
        [np.asarray(p['keypoints'], dtype=np.float64)[:, 2]
         for p in instances],
        dtype=np.float64)
    valid = kpt_scores > vis_thr
    mean_score = np.where(valid, kpt_scores, 0).sum(axis=1) / np.maximum(
        valid.sum(axis=1), 1)
    for person, kpt_score in zip(instances, mean_score):
        person['score'] = kpt_score * person['score']


def rescore_and_nms(instances_per_image, vis_thr, oks_thr, sigmas=None,
                    use_nms=True, soft_nms=False):
    """Rescore the results of each image and suppress duplicates by OKS.

    Args:
        instances_per_image (Iterable[list[dict]]): Results grouped by
            image (``keypoints``, ``score``, ``area``, ...).
        vis_thr (float): Keypoint score threshold of the rescoring.
        oks_thr (float): OKS threshold of the (soft) NMS.
        sigmas (np.ndarray[K] | None): OKS sigmas; None for COCO's.
        use_nms (bool): Whether to run NMS at all. Default: True.
        soft_nms (bool): Soft OKS NMS instead of OKS NMS. Default: False.

    Returns:
        list[list[dict]]: The kept results of each image.
    """
    kept = []
    nms = soft_oks_nms if soft_nms else oks_nms
    for instances in instances_per_image:
        rescore_instances(instances, vis_thr)
        if use_nms and instances:
            keep = nms(list(instances), oks_thr, sigmas=sigmas)
            instances = [instances[i] for i in keep]
        kept.append(instances)
    return kept


def coco_keypoint_results(instances_per_image, cat_id, num_joints,
                          parts=None):
    """COCO result dicts (``image_id``, ``category_id``, ``keypoints``,
    ``score``, ``center``, ``scale``) of one keypoint category.

    Args:
        instances_per_image (Iterable[list[dict]]): Results grouped by
            image, each with ``image_id``, ``keypoints`` (np.ndarray[K, 3]),
            ``score``, ``center`` and ``scale``.
        cat_id (int): Category id of the results.
        num_joints (int): Keypoints per instance K.
        parts (Sequence[tuple[str, int]] | None): Result keys and their
            numbers of keypoints, in channel order, when the keypoints are
            written split (COCO-WholeBody: ``keypoints`` for the body,
            ``foot_kpts``, ...); the numbers add up to K. None writes all
            K under ``keypoints``.

    Returns:
        list[dict]: JSON-serialisable results.
    """
    if parts is None:
        parts = (('keypoints', num_joints), )
    check(
        sum(size for _, size in parts) == num_joints,
        f'parts {list(parts)} must add up to num_joints={num_joints}')
    cuts = np.cumsum([0] + [3 * size for _, size in parts]).tolist()
    spans = [(key, cuts[i], cuts[i + 1]) for i, (key, _) in enumerate(parts)]
    results = []
    for instances in instances_per_image:
        if not instances:
            continue
        keypoints = np.array([p['keypoints'] for p in instances]).reshape(
            -1, num_joints * 3).tolist()
        for p, kpts in zip(instances, keypoints):
            result = {
                'image_id': p['image_id'],
                'category_id': cat_id,
                'score': float(p['score']),
                'center': np.asarray(p['center']).tolist(),
                'scale': np.asarray(p['scale']).tolist()
            }
            result.update((key, kpts[start:end]) for key, start, end in spans)
            results.append(result)
    return results


def coco_keypoint_eval(coco_gt,
                       res_file,
                       sigmas=None,
                       iou_type='keypoints',
                       use_area=True,
                       stats_names=COCO_STATS_NAMES):
    """Run ``xtcocotools`` COCOeval on a result file.

    Args:
        coco_gt (xtcocotools.coco.COCO): Ground truth.
        res_file (str): Result json (see :func:`coco_keypoint_results`).
        sigmas (np.ndarray[K] | None): OKS sigmas; None for COCO's.
        iou_type (str): 'keypoints', or a variant such as CrowdPose's
            'keypoints_crowd' or a wholebody part ('keypoints_body', ...).
        use_area (bool): Whether OKS uses the annotation areas.
        stats_names (Sequence[str]): Names of ``COCOeval.stats``, in order.

    Returns:
        list[tuple[str, float]]: (name, value) for each of ``stats_names``.
    """
    return _run_cocoeval(coco_gt, coco_gt.loadRes(res_file), sigmas,
                         iou_type, use_area, stats_names)


def coco_wholebody_keypoint_eval(coco_gt,
                                 res_file,
                                 part_sigmas,
                                 use_area=True,
                                 stats_names=COCO_STATS_NAMES):
    """COCO-WholeBody evaluation: COCOeval of each part, then of the whole
    body, on one result file, as the official COCO-WholeBody evaluation and
    MMPose 0.x run it.

    Part ``p`` is evaluated with xtcocotools' iouType ``'keypoints_p'``
    (``body`` reads ``keypoints``, ``foot`` ``foot_kpts``, ``face``
    ``face_kpts``, ``lefthand`` / ``righthand`` ``lefthand_kpts`` /
    ``righthand_kpts``) and its own sigmas; ``'keypoints_wholebody'`` reads
    all of them with the sigmas concatenated. Each run prints its summary.

    Args:
        coco_gt (xtcocotools.coco.COCO): Ground truth with the part keys.
        res_file (str): Result json with the part keys (see
            :func:`coco_keypoint_results` with ``parts``).
        part_sigmas (dict[str, Sequence[float]]): Part name -> its OKS
            sigmas, in channel order (body, foot, face, lefthand,
            righthand).
        use_area (bool): Whether OKS uses the annotation areas.
        stats_names (Sequence[str]): Names of ``COCOeval.stats``, in order.

    Returns:
        OrderedDict[str, list[tuple[str, float]]]: For each part and then
        ``'wholebody'``, (name, value) for each of ``stats_names``.
    """
    coco_det = coco_gt.loadRes(res_file)
    runs = list(part_sigmas.items()) + [
        ('wholebody', np.concatenate(list(part_sigmas.values())))
    ]
    with warnings.catch_warnings():
        # Results carry one score per person, as 0.x writes them; the
        # fallback to it from '<part>_score' is intended.
        warnings.filterwarnings('ignore', r"'\w+_score' not found")
        return OrderedDict(
            (part,
             _run_cocoeval(coco_gt, coco_det, np.asarray(sigmas, np.float64),
                           f'keypoints_{part}', use_area, stats_names))
            for part, sigmas in runs)


def _run_cocoeval(coco_gt, coco_det, sigmas, iou_type, use_area,
                  stats_names):
    from xtcocotools.cocoeval import COCOeval
    coco_eval = COCOeval(
        coco_gt, coco_det, iou_type, sigmas, use_area=use_area)
    coco_eval.params.useSegm = None
    coco_eval.evaluate()
    coco_eval.accumulate()
    coco_eval.summarize()
    return list(zip(stats_names, (float(v) for v in coco_eval.stats)))
