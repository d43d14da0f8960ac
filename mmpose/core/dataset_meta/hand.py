"""Hand keypoints (21): OneHand10K, FreiHand, Panoptic and RHD (its fingers
numbered tip to base). InterHand2.6M's renumbering is in ``interhand.py``."""
from .meta import DatasetMeta, palette_colors

_FINGERS = ('thumb', 'forefinger', 'middle_finger', 'ring_finger',
            'pinky_finger')
_SKELETON = [[1, 2 + 4 * f + j] if j == 0 else [1 + 4 * f + j, 2 + 4 * f + j]
             for f in range(5) for j in range(4)]
# One colour per finger, the wrist with the thumb.
_KPT_COLOR = palette_colors([0] + [4 * f for f in range(5) for _ in range(4)])
_LINK_COLOR = palette_colors([4 * f for f in range(5) for _ in range(4)])


def _hand_meta(dataset_name, base_to_tip=True):
    order = (1, 2, 3, 4) if base_to_tip else (4, 3, 2, 1)
    return DatasetMeta(
        dataset_name=dataset_name,
        keypoint_names=('wrist', ) +
        tuple(f'{finger}{i}' for finger in _FINGERS for i in order),
        skeleton=_SKELETON,
        pose_kpt_color=_KPT_COLOR,
        pose_link_color=_LINK_COLOR)


DATASET_TYPES = {
    'OneHand10KDataset': _hand_meta('onehand10k'),
    'FreiHandDataset': _hand_meta('freihand'),
    'PanopticDataset': _hand_meta('panoptic'),
    'Rhd2DDataset': _hand_meta('rhd', base_to_tip=False),
}
# The deprecated 0.x names read the same records.
DATASET_TYPES.update({
    'TopDownOneHand10KDataset': DATASET_TYPES['OneHand10KDataset'],
    'TopDownFreiHandDataset': DATASET_TYPES['FreiHandDataset'],
    'TopDownPanopticDataset': DATASET_TYPES['PanopticDataset'],
})
