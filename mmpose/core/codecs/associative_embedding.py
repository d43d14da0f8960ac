"""Associative embedding (Newell et al., NIPS 2017): Gaussian heatmaps of all
people in an image plus, per person, the flat indices of its visible joints
into the tag maps (what the AE loss pulls together / pushes apart); decoding
groups heatmap peaks into people by their tags."""
import numpy as np

from mmpose.utils import check
from ..post_processing.group import HeatmapParser
from .base import BaseKeypointCodec
from .builder import CODECS


def ae_heatmaps(joints, output_size, num_joints, sigma, use_udp=False):
    """Gaussian heatmaps of all people at once (0.14's HeatmapGenerator).

    Each visible joint whose truncated coordinates fall inside the map
    draws a Gaussian (peak 1, ``sigma``) in a window of ``6 sigma + 3``
    pixels, on the integer pixel or (UDP) on the sub-pixel location; people
    overlap by maximum.

    Note:
        Shape letters: M people, K keypoints, S x S heatmaps.

    Args:
        joints (np.ndarray[M, K, 3+]): x, y (heatmap pixels), visibility.
        output_size (int): Heatmap size S.
        num_joints (int): K.
        sigma (float): Gaussian sigma (0.14: ``output_size / 64`` if < 0).
        use_udp (bool): Sub-pixel Gaussian centres.

    Returns:
        np.ndarray[K, S, S]: float32 heatmaps.
    """
    if sigma < 0:
        sigma = output_size / 64
    hms = np.zeros((num_joints, output_size, output_size), dtype=np.float32)
    joints = np.asarray(joints, dtype=np.float64).reshape(-1, num_joints,
                                                          joints.shape[-1])
    # int() truncates towards zero, as 0.14 did
    xi = np.trunc(joints[..., 0]).astype(np.int64)
    yi = np.trunc(joints[..., 1]).astype(np.int64)
    keep = ((joints[..., 2] > 0) & (xi >= 0) & (yi >= 0) &
            (xi < output_size) & (yi < output_size))
    person, k = np.nonzero(keep)
    if person.size == 0:
        return hms
    x, y = xi[person, k], yi[person, k]
    size = len(np.arange(0, 6 * sigma + 3, 1))
    centre = 3 * sigma + 1
    offsets = np.arange(size, dtype=np.float32)
    if use_udp:
        dx = (joints[person, k, 0] - x)[:, None]
        dy = (joints[person, k, 1] - y)[:, None]
    else:
        dx = dy = np.zeros((len(x), 1))
    gx = np.exp(-(offsets[None] - (centre + dx))**2 / (2 * sigma**2))
    gy = np.exp(-(offsets[None] - (centre + dy))**2 / (2 * sigma**2))
    # window [ul, br) around each joint, clipped to the map
    ul_x = np.round(x - 3 * sigma - 1).astype(np.int64)
    ul_y = np.round(y - 3 * sigma - 1).astype(np.int64)
    br_x = np.round(x + 3 * sigma + 2).astype(np.int64)
    br_y = np.round(y + 3 * sigma + 2).astype(np.int64)
    cols = ul_x[:, None] + np.arange(size)
    rows = ul_y[:, None] + np.arange(size)
    col_ok = (cols >= 0) & (cols < np.minimum(br_x, output_size)[:, None])
    row_ok = (rows >= 0) & (rows < np.minimum(br_y, output_size)[:, None])
    # exp(a + b) = exp(a) exp(b): the 2-D Gaussian of each window in float32
    g = (gy[:, :, None] * gx[:, None, :]).astype(np.float32)
    ok = row_ok[:, :, None] & col_ok[:, None, :]
    n, r, c = np.nonzero(ok)
    np.maximum.at(hms, (k[n], rows[n, r], cols[n, c]), g[n, r, c])
    return hms


def ae_joint_indices(joints, max_num_people, num_joints, output_size,
                     tag_per_joint=True):
    """Encode the visible joints as (flat tag index, 1) (0.14's
    JointsEncoder).

    The index is ``k * S^2 + y * S + x`` (``y * S + x`` with one tag map);
    each person's visible joints are packed to the front of its row, as
    0.14 did. People beyond ``max_num_people`` are dropped (0.14 raised
    IndexError).

    Note:
        Shape letters: M people, K keypoints, S x S heatmaps.

    Args:
        joints (np.ndarray[M, K, 3+]): x, y (heatmap pixels), visibility.
        max_num_people (int): Rows of the result.
        num_joints (int): K.
        output_size (int): S.
        tag_per_joint (bool): One tag map per joint.

    Returns:
        np.ndarray[max_num_people, K, 2]: float32 (index, visible) pairs.
    """
    joints = np.asarray(joints, dtype=np.float64).reshape(
        -1, num_joints, joints.shape[-1])[:max_num_people]
    encoded = np.zeros((max_num_people, num_joints, 2), dtype=np.float32)
    x = np.trunc(joints[..., 0]).astype(np.int64)
    y = np.trunc(joints[..., 1]).astype(np.int64)
    visible = ((joints[..., 2] > 0) & (x >= 0) & (y >= 0) &
               (x < output_size) & (y < output_size))
    index = y * output_size + x
    if tag_per_joint:
        index = index + np.arange(num_joints) * output_size**2
    # slot of each visible joint within its person's row
    slot = np.cumsum(visible, axis=1) - 1
    person, k = np.nonzero(visible)
    encoded[person, slot[person, k], 0] = index[person, k]
    encoded[person, slot[person, k], 1] = 1
    return encoded


@CODECS.register_module()
class AssociativeEmbedding(BaseKeypointCodec):
    """Associative embedding codec of one image at one heatmap scale.

    ``encode`` takes every person of the image (not one instance) and
    returns ``target`` (the heatmaps), ``target_weight`` (ones per keypoint)
    and ``joints`` (tag indices for the AE loss). ``decode`` groups
    heatmaps and tag maps into people with :class:`HeatmapParser`.

    Note:
        Shape letters: M people, K keypoints, S x S heatmaps, L tag dims.

    Args:
        image_size, heatmap_size: See :class:`BaseKeypointCodec`; the
            heatmap is square (``heatmap_size`` an int or (S, S)).
        num_joints (int): K.
        sigma (float): Gaussian sigma; < 0 means S / 64. Default: 2.
        max_num_people (int): People encoded and decoded. Default: 30.
        tag_per_joint (bool): One tag map per joint. Default: True.
        use_udp (bool): Sub-pixel Gaussians, and UDP decoding.
        **grouping: The other settings of :class:`HeatmapParser`
            (detection_threshold, tag_threshold, use_detection_val,
            ignore_too_much, nms_kernel, nms_padding, adjust, refine).
    """

    channels_per_keypoint = 2

    _GROUPING = dict(
        detection_threshold=0.1,
        tag_threshold=1,
        use_detection_val=True,
        ignore_too_much=False,
        nms_kernel=5,
        nms_padding=2,
        adjust=True,
        refine=True)

    def __init__(self,
                 image_size=None,
                 heatmap_size=None,
                 num_joints=17,
                 sigma=2,
                 max_num_people=30,
                 tag_per_joint=True,
                 use_udp=False,
                 **grouping):
        super().__init__(image_size, heatmap_size)
        unknown = set(grouping) - set(self._GROUPING)
        check(not unknown, f'unknown grouping settings: {sorted(unknown)}')
        self.num_joints = num_joints
        self.sigma = sigma
        self.max_num_people = max_num_people
        self.tag_per_joint = tag_per_joint
        self.use_udp = use_udp
        self.grouping = dict(self._GROUPING, **grouping)
        self._parser = None

    def _output_size(self):
        size = np.ravel(self.heatmap_size)
        check(
            size.size in (1, 2) and size[0] == size[-1],
            f'heatmap_size must be square, got {self.heatmap_size!r}')
        return int(size[0])

    def encode(self, joints, joints_visible=None):
        """Encode all people of an image.

        Args:
            joints (np.ndarray[M, K, 3+]): x, y in heatmap pixels and the
                visibility (used unless ``joints_visible`` is given).
            joints_visible (np.ndarray[M, K] | None): Visibility.

        Returns:
            dict: ``target`` (np.ndarray[K, S, S]), ``target_weight``
            (np.ndarray[K, 1], ones) and ``joints``
            (np.ndarray[max_num_people, K, 2], int32).
        """
        joints = np.asarray(joints, dtype=np.float64)
        if joints_visible is not None:
            joints = np.concatenate(
                (joints[..., :2],
                 np.asarray(joints_visible, np.float64).reshape(
                     joints.shape[:2] + (1, ))), axis=-1)
        size = self._output_size()
        target = ae_heatmaps(joints, size, self.num_joints, self.sigma,
                             self.use_udp)
        encoded = ae_joint_indices(joints, self.max_num_people,
                                   self.num_joints, size, self.tag_per_joint)
        return dict(
            target=target,
            target_weight=np.ones((self.num_joints, 1), dtype=np.float32),
            joints=encoded.astype(np.int32))

    @property
    def parser(self):
        """The :class:`HeatmapParser` of the grouping settings."""
        if self._parser is None:
            self._parser = HeatmapParser(
                dict(
                    self.grouping,
                    num_joints=self.num_joints,
                    max_num_people=self.max_num_people,
                    tag_per_joint=self.tag_per_joint,
                    use_udp=self.use_udp))
        return self._parser

    def decode(self, encoded):
        """Group heatmap peaks into people.

        Args:
            encoded (tuple): heatmaps (torch.Tensor[1, K, H, W]) and tags
                (torch.Tensor[1, K, H, W, L]).

        Returns:
            tuple: coords (np.ndarray[P, K, 2]) in heatmap pixels and scores
            (np.ndarray[P, K, 1]) of the P people found.
        """
        heatmaps, tags = encoded
        grouped, _ = self.parser.parse(heatmaps, tags,
                                       self.grouping['adjust'],
                                       self.grouping['refine'])
        people = grouped[0]
        return people[..., :2], people[..., 2:3]
