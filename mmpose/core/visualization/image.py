"""Drawing of boxes and keypoint skeletons on images (MMPose 0.x API)."""
import math

import cv2
import mmcv
import numpy as np
from mmcv.image import imwrite
from mmcv.visualization.image import imshow


def _as_bgr(colour):
    return tuple(int(c) for c in colour)


def imshow_bboxes(img,
                  bboxes,
                  labels=None,
                  colors='green',
                  text_color='white',
                  thickness=1,
                  font_scale=0.5,
                  show=True,
                  win_name='',
                  wait_time=0,
                  out_file=None):
    """Draw bounding boxes with optional labels on an image.

    Note:
        num_boxes: N

    Args:
        img (str | np.ndarray): Image path or BGR image ``np.ndarray[H, W, 3]``.
        bboxes (list[np.ndarray] | np.ndarray): Boxes ``(left, top, right,
            bottom)``; either one ``np.ndarray[N, 4 or 5]`` or a list of such
            arrays, one per group (each group gets its own colour and label).
        labels (list[str] | None): One label per group. Default: None.
        colors (list | str | tuple | mmcv.Color): One colour for all groups or
            one per group. Default: 'green'.
        text_color (str | tuple | mmcv.Color): Label colour. Default: 'white'.
        thickness (int): Box line thickness. Default: 1.
        font_scale (float): Label font scale. Default: 0.5.
        show (bool): Whether to show the image in a window. Default: True.
        win_name (str): Window name. Default: ''.
        wait_time (int): ``cv2.waitKey`` value when showing. Default: 0.
        out_file (str | None): Where to write the image. Default: None.

    Returns:
        np.ndarray[H, W, 3]: The image with boxes drawn.
    """
    img = mmcv.imread(img).copy()
    if isinstance(bboxes, np.ndarray) or (
            len(bboxes) and not isinstance(bboxes[0], np.ndarray)):
        bboxes = [np.asarray(bboxes)]
    if labels is not None:
        assert len(labels) == len(bboxes), (
            f'imshow_bboxes: got {len(labels)} labels for {len(bboxes)} box '
            'groups')
    if isinstance(colors, (str, mmcv.Color)) or (
            isinstance(colors, tuple) and len(colors) == 3
            and all(isinstance(c, int) for c in colors)):
        colors = [colors] * len(bboxes)
    colors = [mmcv.color_val(c) for c in colors]
    assert len(colors) == len(bboxes), (
        f'imshow_bboxes: got {len(colors)} colors for {len(bboxes)} box groups')
    text_color = mmcv.color_val(text_color)

    for i, group in enumerate(bboxes):
        group = np.asarray(group, dtype=np.float64)
        if group.size == 0:
            continue
        group = group.reshape(-1, group.shape[-1])
        for box in np.round(group[:, :4]).astype(np.int32):
            left_top, right_bottom = (box[0], box[1]), (box[2], box[3])
            cv2.rectangle(img, left_top, right_bottom, colors[i],
                          thickness=thickness)
            if labels is None:
                continue
            label = labels[i]
            (text_w, text_h), baseline = cv2.getTextSize(
                label, cv2.FONT_HERSHEY_DUPLEX, font_scale, 1)
            y_top = max(0, box[1] - text_h - baseline)
            cv2.rectangle(img, (box[0], y_top), (box[0] + text_w, box[1]),
                          colors[i], cv2.FILLED)
            cv2.putText(img, label, (box[0], box[1] - baseline),
                        cv2.FONT_HERSHEY_DUPLEX, font_scale, text_color)

    if show:
        imshow(img, win_name, wait_time)
    if out_file is not None:
        imwrite(img, out_file)
    return img


def _blend(img, drawn, weight):
    """Blend ``drawn`` into ``img`` in place with opacity ``weight``."""
    weight = float(np.clip(weight, 0.0, 1.0))
    cv2.addWeighted(drawn, weight, img, 1.0 - weight, 0, dst=img)


def imshow_keypoints(img,
                     pose_result,
                     skeleton=None,
                     kpt_score_thr=0.3,
                     pose_kpt_color=None,
                     pose_link_color=None,
                     radius=4,
                     thickness=1,
                     show_keypoint_weight=False):
    """Draw keypoints and skeleton links on an image.

    Note:
        num_persons: N
        num_keypoints: K
        num_links: L

    Args:
        img (str | np.ndarray): Image path or BGR image ``np.ndarray[H, W, 3]``
            (drawn on in place when an array is given).
        pose_result (list[np.ndarray]): N arrays ``np.ndarray[K, 3]`` holding
            x, y and score of each keypoint.
        skeleton (list[list[int]] | None): L links as 1-based keypoint index
            pairs, as in COCO annotations. Default: None.
        kpt_score_thr (float): Keypoints (and links touching them) with a
            score at or below this are not drawn. Default: 0.3.
        pose_kpt_color (np.ndarray[K, 3] | None): Colour per keypoint; None
            draws no keypoints.
        pose_link_color (np.ndarray[L, 3] | None): Colour per link; None
            draws no links.
        radius (int): Keypoint circle radius. Default: 4.
        thickness (int): Link line thickness. Default: 1.
        show_keypoint_weight (bool): Make keypoints and links as opaque as
            their scores. Default: False.

    Returns:
        np.ndarray[H, W, 3]: The image with keypoints drawn.
    """
    img = mmcv.imread(img)
    img_h, img_w = img.shape[:2]
    # Scores are compared in float64, as 0.x did before NumPy 2 (NEP 50
    # would otherwise round the threshold to the scores' float32).
    thr = np.float64(kpt_score_thr)
    for kpts in pose_result:
        kpts = np.asarray(kpts)
        scores = kpts[:, 2].astype(np.float64)
        shown = scores > thr
        if pose_kpt_color is not None:
            assert len(pose_kpt_color) == len(kpts), (
                f'imshow_keypoints: pose_kpt_color has {len(pose_kpt_color)} '
                f'colours for {len(kpts)} keypoints')
            for kid in np.flatnonzero(shown):
                centre = (int(kpts[kid, 0]), int(kpts[kid, 1]))
                colour = _as_bgr(pose_kpt_color[kid])
                if show_keypoint_weight:
                    drawn = img.copy()
                    cv2.circle(drawn, centre, radius, colour, -1)
                    _blend(img, drawn, scores[kid])
                else:
                    cv2.circle(img, centre, radius, colour, -1)

        if skeleton is None or pose_link_color is None:
            continue
        assert len(pose_link_color) == len(skeleton), (
            f'imshow_keypoints: pose_link_color has {len(pose_link_color)} '
            f'colours for {len(skeleton)} skeleton links')
        for link_id, (start, end) in enumerate(skeleton):
            start, end = start - 1, end - 1
            pos1 = (int(kpts[start, 0]), int(kpts[start, 1]))
            pos2 = (int(kpts[end, 0]), int(kpts[end, 1]))
            inside = all(0 < p[0] < img_w and 0 < p[1] < img_h
                         for p in (pos1, pos2))
            if not (inside and shown[start] and shown[end]):
                continue
            colour = _as_bgr(pose_link_color[link_id])
            if not show_keypoint_weight:
                cv2.line(img, pos1, pos2, colour, thickness=thickness)
                continue
            drawn = img.copy()
            mid = (int(np.mean([pos1[0], pos2[0]])),
                   int(np.mean([pos1[1], pos2[1]])))
            length = math.hypot(pos1[0] - pos2[0], pos1[1] - pos2[1])
            angle = math.degrees(
                math.atan2(pos1[1] - pos2[1], pos1[0] - pos2[0]))
            stick_width = 2
            polygon = cv2.ellipse2Poly(mid, (int(length / 2), stick_width),
                                       int(angle), 0, 360, 1)
            cv2.fillConvexPoly(drawn, polygon, colour)
            _blend(img, drawn, 0.5 * (scores[start] + scores[end]))
    return img
