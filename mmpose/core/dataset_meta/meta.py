"""The record that describes one dataset family's keypoints.

Datasets (``ann_info``), ``apis/inference.py`` (flip pairs, drawing) and
visualisation all read the same record, so the numbers live in one place per
dataset family (``dataset_meta/<family>.py``) instead of in if/elif chains.
"""
from dataclasses import dataclass, field

import numpy as np

#: The MMPose 0.x drawing palette; metadata colours are rows of it.
PALETTE = ((255, 128, 0), (255, 153, 51), (255, 178, 102), (230, 230, 0),
           (255, 153, 255), (153, 204, 255), (255, 102, 255), (255, 51, 255),
           (102, 178, 255), (51, 153, 255), (255, 153, 153), (255, 102, 102),
           (255, 51, 51), (153, 255, 153), (102, 255, 102), (51, 255, 51),
           (0, 255, 0), (0, 0, 255), (255, 0, 0), (255, 255, 255))


def palette_colors(indices):
    """list[tuple[int, int, int]]: The :data:`PALETTE` rows ``indices``."""
    return [PALETTE[i] for i in indices]


@dataclass
class DatasetMeta:
    """Keypoint metadata of one dataset family.

    Note:
        num_keypoints: K
        num_links: L

    Args:
        dataset_name (str): Short name stored in every db entry
            (``results['dataset']``), e.g. ``'coco'``.
        keypoint_names (Sequence[str]): K keypoint names in channel order.
        flip_pairs (Sequence[Sequence[int]]): 0-based index pairs that swap
            under a horizontal flip.
        upper_body_ids (Sequence[int]): 0-based ids of upper-body keypoints
            (half-body augmentation).
        lower_body_ids (Sequence[int]): 0-based ids of lower-body keypoints.
        joint_weights (Sequence[float] | None): Per-keypoint loss weights
            (K,). None means all ones.
        sigmas (Sequence[float] | None): Per-keypoint OKS sigmas (K,), as
            COCOeval and OKS NMS use them (already divided by 10).
        skeleton (Sequence[Sequence[int]]): Links as 1-based keypoint index
            pairs, as in COCO annotation files and MMPose 0.x.
        pose_kpt_color (Sequence[Sequence[int]] | None): Drawing colour of
            each keypoint, ``[K, 3]``.
        pose_link_color (Sequence[Sequence[int]] | None): Drawing colour of
            each skeleton link, ``[L, 3]``.
    """
    dataset_name: str
    keypoint_names: tuple
    flip_pairs: list = field(default_factory=list)
    upper_body_ids: tuple = ()
    lower_body_ids: tuple = ()
    joint_weights: np.ndarray = None
    sigmas: np.ndarray = None
    skeleton: list = field(default_factory=list)
    pose_kpt_color: np.ndarray = None
    pose_link_color: np.ndarray = None

    def __post_init__(self):
        self.keypoint_names = tuple(self.keypoint_names)
        num = len(self.keypoint_names)
        self.flip_pairs = [list(pair) for pair in self.flip_pairs]
        self.upper_body_ids = tuple(self.upper_body_ids)
        self.lower_body_ids = tuple(self.lower_body_ids)
        self.skeleton = [list(link) for link in self.skeleton]
        if self.joint_weights is None:
            self.joint_weights = np.ones(num, dtype=np.float32)
        self.joint_weights = np.array(self.joint_weights, dtype=np.float32)
        if self.sigmas is not None:
            self.sigmas = np.array(self.sigmas, dtype=np.float64)
        for name in ('pose_kpt_color', 'pose_link_color'):
            if getattr(self, name) is not None:
                setattr(self, name, np.array(getattr(self, name)))
        self._check(num)

    def _check(self, num):
        """Fail at import time when a table does not match K or L."""
        ids = [i for pair in self.flip_pairs for i in pair]
        ids += list(self.upper_body_ids) + list(self.lower_body_ids)
        ids += [i - 1 for link in self.skeleton for i in link]
        if ids and not 0 <= min(ids) <= max(ids) < num:
            raise ValueError(f'{self.dataset_name}: keypoint ids in '
                             f'flip_pairs/body ids/skeleton must index the '
                             f'{num} keypoint_names')
        sizes = dict(joint_weights=self.joint_weights, sigmas=self.sigmas,
                     pose_kpt_color=self.pose_kpt_color)
        for name, value in sizes.items():
            if value is not None and len(value) != num:
                raise ValueError(f'{self.dataset_name}: {name} has '
                                 f'{len(value)} entries, expected {num}')
        if (self.pose_link_color is not None
                and len(self.pose_link_color) != len(self.skeleton)):
            raise ValueError(f'{self.dataset_name}: pose_link_color has '
                             f'{len(self.pose_link_color)} entries, expected '
                             f'one per skeleton link ({len(self.skeleton)})')

    @property
    def num_keypoints(self):
        """int: Number of keypoints K."""
        return len(self.keypoint_names)

    @property
    def flip_index(self):
        """list[int]: For each keypoint, the index it becomes when flipped
        (the bottom-up ``flip_index``)."""
        index = list(range(self.num_keypoints))
        for left, right in self.flip_pairs:
            index[left], index[right] = right, left
        return index

    def ann_info(self):
        """The entries a dataset's ``ann_info`` takes from its metadata.

        Returns:
            dict: ``flip_pairs``, ``upper_body_ids``, ``lower_body_ids`` and
            ``joint_weights`` (np.ndarray[K, 1], float32), as MMPose 0.x
            datasets hold them.
        """
        return dict(
            flip_pairs=self.flip_pairs,
            upper_body_ids=self.upper_body_ids,
            lower_body_ids=self.lower_body_ids,
            joint_weights=self.joint_weights.reshape(-1, 1))

    @property
    def pose_limb_color(self):
        """np.ndarray[L, 3]: MMPose 0.x name of :attr:`pose_link_color`."""
        return self.pose_link_color
