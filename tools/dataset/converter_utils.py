"""What the dataset converters under ``tools/dataset`` share: building and
writing COCO-format keypoint json, boxes from keypoints, the checks of their
inputs and the import of optional readers (h5py, spacepy).

The json they write is what MMPose's COCO-format loaders read: ``images``
(``id``, ``file_name``, ``height``, ``width``), ``annotations`` (``keypoints``
as a flat ``[x, y, v] * K`` list, ``num_keypoints``, ``bbox`` as
``[x, y, w, h]``, ``area``, ``iscrowd``, ``image_id``, ``id``,
``category_id``) and ``categories`` (``id``, ``name``, ``keypoints``,
``skeleton``).
"""
import argparse
import importlib
import json
import os
import os.path as osp
import time

import numpy as np


def converter_parser(description, data_root=None, contents=None,
                     seed_of=None):
    """The argument parser of a converter, with its common options.

    Args:
        description (str): What the tool does.
        data_root (str, optional): Default of ``--data-root`` (added when
            given), the dataset folder.
        contents (str, optional): What ``--data-root`` holds, for the help.
        seed_of (str, optional): What ``--seed`` (added when given, default
            0) seeds, for the help.

    Returns:
        argparse.ArgumentParser: The parser.
    """
    parser = argparse.ArgumentParser(description=description)
    if data_root is not None:
        parser.add_argument(
            '--data-root',
            default=data_root,
            help=f'folder with {contents} (default: {data_root})')
    if seed_of is not None:
        parser.add_argument(
            '--seed', type=int, default=0, help=f'seed of {seed_of}')
    return parser


def require_file(path, what):
    """Raise FileNotFoundError naming ``path`` and what it should hold."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'{what} {path!r} not found')
    return path


def import_optional(name, purpose, package=None):
    """Import an optional package, or say which one to install and why.

    Args:
        name (str): Module to import (e.g. ``'h5py'``, ``'spacepy.pycdf'``).
        purpose (str): What it is needed for, for the message.
        package (str, optional): The pip package, when not ``name``'s first
            part.

    Returns:
        module: The imported module.
    """
    try:
        return importlib.import_module(name)
    except ImportError as e:
        package = package or name.split('.')[0]
        raise ImportError(
            f'{purpose} needs the package {package!r}, which is not '
            f'installed: pip install {package} ({e})') from None


def coco_info(description):
    """The ``info`` block of a converted file, dated today."""
    return {
        'description': description,
        'version': '1.0',
        'year': time.strftime('%Y', time.localtime()),
        'date_created': time.strftime('%Y/%m/%d', time.localtime())
    }


def coco_category(name, keypoints, skeleton, supercategory='animal'):
    """The single keypoint category of a converted file.

    Args:
        name (str): Category name.
        keypoints (list[str]): Keypoint names, in order.
        skeleton (list[list[int]]): Limbs as 1-based keypoint id pairs.
        supercategory (str): Default: 'animal'.
    """
    return {
        'supercategory': supercategory,
        'id': 1,
        'name': name,
        'keypoints': list(keypoints),
        'skeleton': [[int(a), int(b)] for a, b in skeleton]
    }


def coco_image(img_id, file_name, height, width):
    """One ``images`` entry."""
    return {
        'id': int(img_id),
        'file_name': file_name,
        'height': int(height),
        'width': int(width)
    }


def keypoint_annotation(keypoints, image_id, ann_id, bbox, area=None,
                        **extra):
    """One ``annotations`` entry of category 1.

    Note:
        K: number of keypoints.

    Args:
        keypoints (np.ndarray[K, 3]): x, y and visibility (0: not
            labelled, 1: labelled but occluded, 2: visible).
        image_id (int): Id of the image.
        ann_id (int): Id of the annotation.
        bbox (Sequence[float]): ``[x, y, w, h]``.
        area (float, optional): Default: ``w * h``.
        **extra: More keys (e.g. ``segmentation``).

    Returns:
        dict: The annotation, with plain Python numbers.
    """
    keypoints = np.asarray(keypoints, dtype=np.float64)
    bbox = [float(v) for v in bbox]
    ann = {
        'keypoints': keypoints.reshape(-1).tolist(),
        'image_id': int(image_id),
        'id': int(ann_id),
        'num_keypoints': int(np.count_nonzero(keypoints[:, 2] > 0)),
        'bbox': bbox,
        'iscrowd': 0,
        'area': float(bbox[2] * bbox[3] if area is None else area),
        'category_id': 1
    }
    ann.update(extra)
    return ann


def bbox_from_points(points):
    """The pixel-inclusive box ``[x, y, w, h]`` around points: ``w`` is
    ``max - min + 1``, as MMPose's converters count the last pixel.

    Args:
        points (np.ndarray[P, 2]): x, y.

    Returns:
        list[float]: ``[x, y, w, h]``.
    """
    points = np.asarray(points, dtype=np.float64)
    if points.size == 0:
        raise ValueError('cannot make a box around no points')
    low, high = points.min(axis=0), points.max(axis=0)
    return [float(low[0]), float(low[1]), float(high[0] - low[0] + 1),
            float(high[1] - low[1] + 1)]


def write_coco_json(path, images, annotations, categories, description):
    """Write a COCO-format keypoint file (folders made as needed).

    Args:
        path (str): Output json.
        images (list[dict]): From :func:`coco_image`.
        annotations (list[dict]): From :func:`keypoint_annotation`.
        categories (list[dict]): From :func:`coco_category`.
        description (str): ``info.description``.

    Returns:
        dict: What was written.
    """
    content = {
        'info': coco_info(description),
        'images': images,
        'annotations': annotations,
        'categories': categories
    }
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    with open(path, 'w') as f:
        json.dump(content, f, indent=4)
    print(f'{path}: {len(images)} images, {len(annotations)} annotations')
    return content


def read_image_size(path):
    """Height and width of an image file, with an error naming it."""
    import cv2
    img = cv2.imread(path)
    if img is None:
        raise FileNotFoundError(
            f'image {path!r} is missing or cannot be decoded')
    return img.shape[:2]
