"""COCO-WholeBody keypoints (133): COCO's 17 body keypoints, 6 foot, 68 face
(the 300W layout), 21 left-hand and 21 right-hand keypoints, in that order.

The parts are written from the families that define them (COCO, 300W and
the 21-keypoint hand), so a table lives in one place.

Sigmas: the body's are COCO's 17; the foot, face and hand sigmas are those
of the official COCO-WholeBody evaluation (``sigmas_foot``, ``sigmas_face``,
``sigmas_lefthand`` and ``sigmas_righthand`` of
https://github.com/jin-s13/COCO-WholeBody, ``evaluation/myeval_wholebody.py``),
which MMPose 0.x copies into its dataset class; both hands share one list.
"""
import numpy as np

from .coco import COCO_META
from .face import DATASET_TYPES as _FACE_TYPES
from .hand import DATASET_TYPES as _HAND_TYPES
from .meta import DatasetMeta, palette_colors

#: Keypoints per part, in channel order (0.x's ``body_num``, ``foot_num``,
#: ``face_num``, ``left_hand_num``, ``right_hand_num``).
PART_SIZES = dict(body=17, foot=6, face=68, lefthand=21, righthand=21)

_FOOT_SIGMAS = (0.068, 0.066, 0.066, 0.092, 0.094, 0.094)
_FACE_SIGMAS = (
    0.042, 0.043, 0.044, 0.043, 0.040, 0.035, 0.031, 0.025, 0.020, 0.023,
    0.029, 0.032, 0.037, 0.038, 0.043, 0.041, 0.045, 0.013, 0.012, 0.011,
    0.011, 0.012, 0.012, 0.011, 0.011, 0.013, 0.015, 0.009, 0.007, 0.007,
    0.007, 0.012, 0.009, 0.008, 0.016, 0.010, 0.017, 0.011, 0.009, 0.011,
    0.009, 0.007, 0.013, 0.008, 0.011, 0.012, 0.010, 0.034, 0.008, 0.008,
    0.009, 0.008, 0.008, 0.007, 0.010, 0.008, 0.009, 0.009, 0.009, 0.007,
    0.007, 0.008, 0.011, 0.008, 0.008, 0.008, 0.01, 0.008)
_HAND_SIGMAS = (0.029, 0.022, 0.035, 0.037, 0.047, 0.026, 0.025, 0.024,
                0.035, 0.018, 0.024, 0.022, 0.026, 0.017, 0.021, 0.021,
                0.032, 0.02, 0.019, 0.022, 0.031)

#: Index of each part's first keypoint.
PART_OFFSETS = dict(
    zip(PART_SIZES, (int(n) for n in np.cumsum([0, *PART_SIZES.values()]))))
_HAND = _HAND_TYPES['OneHand10KDataset']
_HAND_NAMES = ('hand_root', ) + _HAND.keypoint_names[1:]


def _shift(pairs, part):
    """Index pairs of a part's own table moved to its place in the 133."""
    return [[a + PART_OFFSETS[part], b + PART_OFFSETS[part]] for a, b in pairs]


def _foot_and_hand_pairs():
    """Foot [17, 20], [18, 21], [19, 22] and hand [91 + i, 112 + i]."""
    return (_shift([[i, i + 3] for i in range(3)], 'foot') +
            _shift([[i, i + 21] for i in range(21)], 'lefthand'))


COCO_WHOLEBODY_META = DatasetMeta(
    dataset_name='coco_wholebody',
    keypoint_names=COCO_META.keypoint_names +
    tuple(f'{side}_{name}' for side in ('left', 'right')
          for name in ('big_toe', 'small_toe', 'heel')) +
    tuple(f'face-{i}' for i in range(68)) +
    tuple(f'{side}_{name}' for side in ('left', 'right')
          for name in _HAND_NAMES),
    # 0.x's order: body, foot, face (300W's pairs, each and all sorted),
    # hands
    flip_pairs=COCO_META.flip_pairs + _foot_and_hand_pairs()[:3] + _shift(
        sorted(sorted(pair)
               for pair in _FACE_TYPES['Face300WDataset'].flip_pairs),
        'face') + _foot_and_hand_pairs()[3:],
    upper_body_ids=COCO_META.upper_body_ids,
    lower_body_ids=COCO_META.lower_body_ids,
    sigmas=np.concatenate(
        [COCO_META.sigmas, _FOOT_SIGMAS, _FACE_SIGMAS, _HAND_SIGMAS,
         _HAND_SIGMAS]),
    # body, each ankle to its big toe, small toe and heel, then the hands
    skeleton=COCO_META.skeleton +
    [[ankle, toe] for ankle, first in ((16, 18), (17, 21))
     for toe in range(first, first + 3)] +
    _shift(_HAND.skeleton, 'lefthand') + _shift(_HAND.skeleton, 'righthand'),
    pose_kpt_color=np.concatenate([
        COCO_META.pose_kpt_color,
        palette_colors([0] * 6 + [19] * (68 + 42))
    ]),
    pose_link_color=np.concatenate([
        COCO_META.pose_link_color,
        palette_colors([16] * 6), _HAND.pose_link_color,
        _HAND.pose_link_color
    ]))

DATASET_TYPES = {
    'TopDownCocoWholeBodyDataset': COCO_WHOLEBODY_META,
}
