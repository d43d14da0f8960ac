"""InterHand2.6M keypoints: one hand (21, 2D) and both hands (42, 3D).

InterHand2.6M numbers each finger from its tip to its base and puts the
wrist last (0: 'thumb4', ..., 19: 'pinky_finger1', 20: 'wrist'); in 3D the
right hand (0-20, 'r_' names) comes before the left one (21-41, 'l_'
names). The tables are the 21-keypoint hand's, renumbered.
"""
from .hand import DATASET_TYPES as _HAND_TYPES
from .meta import DatasetMeta

_HAND = _HAND_TYPES['OneHand10KDataset']
#: For each InterHand2.6M keypoint, its index in the hand table (wrist,
#: thumb1..thumb4, forefinger1..., base to tip).
_FROM_HAND = [1 + 4 * f + 3 - j for f in range(5) for j in range(4)] + [0]
_TO_INTERHAND = {hand: inter for inter, hand in enumerate(_FROM_HAND)}


def _renumbered(offset=0):
    """The hand's names, 1-based skeleton, keypoint and link colours in
    InterHand2.6M order, the keypoints moved by ``offset``."""
    names = tuple(_HAND.keypoint_names[i] for i in _FROM_HAND)
    skeleton = [[_TO_INTERHAND[a - 1] + 1 + offset,
                 _TO_INTERHAND[b - 1] + 1 + offset]
                for a, b in _HAND.skeleton]
    return names, skeleton, _HAND.pose_kpt_color[_FROM_HAND]


_NAMES, _SKELETON, _KPT_COLOR = _renumbered()

INTERHAND2D_META = DatasetMeta(
    dataset_name='interhand2d',
    keypoint_names=_NAMES,
    skeleton=_SKELETON,
    pose_kpt_color=_KPT_COLOR,
    pose_link_color=_HAND.pose_link_color)

INTERHAND3D_META = DatasetMeta(
    dataset_name='interhand3d',
    keypoint_names=tuple(f'{side}_{name}' for side in 'rl'
                         for name in _NAMES),
    # a flip turns the right hand into the left one
    flip_pairs=[[i, 21 + i] for i in range(21)],
    skeleton=_SKELETON + _renumbered(offset=21)[1],
    pose_kpt_color=list(_KPT_COLOR) * 2,
    pose_link_color=list(_HAND.pose_link_color) * 2)

DATASET_TYPES = {
    'InterHand2DDataset': INTERHAND2D_META,
    'InterHand3DDataset': INTERHAND3D_META,
}
