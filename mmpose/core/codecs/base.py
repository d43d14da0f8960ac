"""The interface every keypoint codec follows."""
from abc import ABCMeta, abstractmethod

import numpy as np

from mmpose.utils import ArgumentError, check
from ..post_processing.post_transforms import flip_back


def check_option(name, value, options):
    """Raise :class:`ArgumentError` unless ``value`` is one of ``options``.

    Args:
        name (str): The argument's name, for the message.
        value: The given value.
        options (tuple): The accepted values.
    """
    check(value in options,
          f'{name} must be one of {options}, got {value!r}')


class BaseKeypointCodec(metaclass=ABCMeta):
    """Encode keypoints into training targets and decode model outputs.

    A codec is the one place that knows an encoding: the target-generating
    pipeline step calls ``encode`` for one instance, and the head (or
    ``keypoints_from_heatmaps`` / ``keypoints_from_regression``) calls
    ``decode`` on a batch and ``flip_back`` in the flip test. Both work in
    the target space (heatmap pixels or normalised coordinates); mapping
    back to the image is the caller's business.

    Adding an encoding:

    1. Subclass this class in ``mmpose/core/codecs/<name>.py`` and register
       it with ``@CODECS.register_module()`` (``from .builder import
       CODECS``); export it from ``mmpose/core/codecs/__init__.py``. Configs
       then build it with ``build_codec(dict(type='<Name>', ...))``.
    2. ``encode`` returns a dict holding at least ``target`` and
       ``target_weight``; an encoding that needs more (associative
       embedding tags, offset maps, ...) adds its own keys. A pipeline step
       stores every key of the dict in its results, so a new encoding adds
       keys, not a new interface.
    3. ``decode`` returns ``(coords, scores)`` in the target space.
    4. Set ``channels_per_keypoint`` when the model predicts more than one
       map per keypoint, and override :meth:`flip_back` when the output is
       not one heatmap per keypoint. Set ``use_udp`` when target space and
       image are related by UDP's pixel-centre convention.
    5. Add an encode -> decode round-trip test in ``tests/test_codecs``.

    Args:
        image_size (array-like[2] | None): Input image size (w, h); needed by
            ``encode``.
        heatmap_size (array-like[2] | None): Target size (w, h); needed by
            heatmap ``encode``.
    """

    #: Output channels the model predicts per keypoint.
    channels_per_keypoint = 1
    #: Whether decoded coordinates map to the image with UDP's convention.
    use_udp = False

    def __init__(self, image_size=None, heatmap_size=None):
        self.image_size = image_size
        self.heatmap_size = heatmap_size

    def _sizes(self):
        """``image_size`` and ``heatmap_size`` as float64 arrays (w, h)."""
        if self.image_size is None or self.heatmap_size is None:
            raise ArgumentError(
                f'{type(self).__name__}.encode needs image_size and '
                f'heatmap_size, got {self.image_size!r} and '
                f'{self.heatmap_size!r}')
        return (np.asarray(self.image_size, dtype=np.float64),
                np.asarray(self.heatmap_size, dtype=np.float64))

    @abstractmethod
    def encode(self, joints_3d, joints_3d_visible):
        """Encode the keypoints of one instance.

        Note:
            num_keypoints: K

        Args:
            joints_3d (np.ndarray[K, 3]): Keypoints (x, y, z) in the input
                image.
            joints_3d_visible (np.ndarray[K, 3]): Visibility (first column).

        Returns:
            dict: ``target`` and ``target_weight`` (np.ndarray), plus any
            further arrays the encoding needs.
        """

    @abstractmethod
    def decode(self, encoded):
        """Decode a batch of model outputs.

        Args:
            encoded (np.ndarray): Model outputs, batch first.

        Returns:
            tuple: (coords np.ndarray[N, K, 2] in target space,
            scores np.ndarray[N, K, 1]).
        """

    def flip_back(self, output, flip_pairs):
        """Flip the outputs of a horizontally flipped input back.

        The default flips one heatmap per keypoint.

        Note:
            Shapes: N batch size, C channels, H x W heatmap.

        Args:
            output (np.ndarray[N, C, H, W]): Outputs of the flipped input.
            flip_pairs (list[tuple]): Pairs of mirrored keypoints.

        Returns:
            np.ndarray[N, C, H, W]: The outputs as for the unflipped input
            (a new array).
        """
        return flip_back(output, flip_pairs)
