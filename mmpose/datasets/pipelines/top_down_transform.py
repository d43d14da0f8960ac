import array
import functools

import cv2
import numpy as np

from mmpose.core.post_processing import (fliplr_joints, get_affine_transform,
                                         get_warp_matrix, warp_affine_joints)
from ..registry import PIPELINES
from .shared_transform import _map_images
from .top_down_target import TopDownGenerateTarget, TopDownGenerateTargetRegression  # noqa

# Image dtypes cv2.flip takes (others are flipped by NumPy).
_CV2_DTYPES = frozenset(
    np.dtype(t) for t in (np.uint8, np.int8, np.uint16, np.int16, np.int32,
                          np.float16, np.float32, np.float64))


def _hflip_image(img):
    """A horizontally flipped copy of an ``[H, W]`` or ``[H, W, C]`` image
    (C-contiguous, same shape and dtype)."""
    if img.dtype in _CV2_DTYPES and img.ndim in (2, 3):
        # cv2.flip copies several times faster than NumPy copies a view
        # with negative strides; the reshape keeps a trailing C=1 axis.
        return cv2.flip(img, 1).reshape(img.shape)
    return np.ascontiguousarray(img[:, ::-1])


def _image_width(img):
    return (img[0] if isinstance(img, (list, tuple)) else img).shape[1]


@PIPELINES.register_module()
class TopDownRandomFlip:
    """Data augmentation with random image flip.

    Required keys: 'img', 'joints_3d', 'joints_3d_visible', 'center' and
    'ann_info'. Modifies key: 'img', 'joints_3d', 'joints_3d_visible',
    'center' and 'flipped'.

    The flipped image is a new array (the input image is left untouched),
    as are the flipped joints and center.

    Args:
        flip_prob (float): Probability of flip.
    """

    def __init__(self, flip_prob=0.5):
        self.flip_prob = flip_prob

    def __call__(self, results):
        """Perform data augmentation with random image flip."""
        flipped = False
        if np.random.rand() <= self.flip_prob:
            flipped = True
            img = results['img']
            img_width = _image_width(img)
            results['img'] = _map_images(_hflip_image, img)
            results['joints_3d'], results['joints_3d_visible'] = \
                fliplr_joints(results['joints_3d'],
                              results['joints_3d_visible'], img_width,
                              results['ann_info']['flip_pairs'])
            center = np.array(results['center'], copy=True)
            center[0] = img_width - center[0] - 1
            results['center'] = center
        results['flipped'] = flipped
        return results

    def __repr__(self):
        return f'{self.__class__.__name__}(flip_prob={self.flip_prob})'


@functools.lru_cache(maxsize=16)
def _upper_body_mask(num_joints, upper_body_ids):
    """Tuple of K bools: which keypoints are upper-body ones."""
    is_upper = np.zeros(num_joints, dtype=bool)
    is_upper[list(upper_body_ids)] = True
    return tuple(is_upper.tolist())


@PIPELINES.register_module()
class TopDownHalfBodyTransform:
    """Data augmentation with half-body transform. Keep only the upper body or
    the lower body at random.

    Required keys: 'joints_3d', 'joints_3d_visible', and 'ann_info'.
    Modifies key: 'scale' and 'center'.

    Args:
        num_joints_half_body (int): Threshold of performing
            half-body transform. If the body has fewer number
            of joints (< num_joints_half_body), ignore this step.
        prob_half_body (float): Probability of half-body transform.
    """

    def __init__(self, num_joints_half_body=8, prob_half_body=0.3):
        self.num_joints_half_body = num_joints_half_body
        self.prob_half_body = prob_half_body

    @staticmethod
    def half_body_transform(cfg, joints_3d, joints_3d_visible):
        """Get center&scale for half-body transform.

        Note:
            num_keypoints: K

        Args:
            cfg (dict): ``ann_info`` with 'num_joints', 'upper_body_ids' and
                'image_size'.
            joints_3d (np.ndarray[K, 3]): Coordinates of keypoints.
            joints_3d_visible (np.ndarray[K, 3]): Visibility of keypoints.

        Returns:
            tuple: ``(center, scale)`` as ``np.ndarray[2]`` float32, or
            ``(None, None)`` when fewer than 2 joints are selected.
        """
        # Plain Python on the few keypoints of one sample (array calls cost
        # more than the arithmetic here). The scalar arithmetic is float64,
        # as NumPy 1 did it for 0.x (NumPy 2 would keep float32 where the
        # image size is a list); the mean stays NumPy's float32 one.
        num_joints = cfg['num_joints']
        visible = np.asarray(joints_3d_visible)[:num_joints, 0].tolist()
        joints = np.asarray(joints_3d[:num_joints], dtype=np.float32).tolist()
        is_upper = _upper_body_mask(num_joints, tuple(cfg['upper_body_ids']))
        upper_joints, lower_joints = [], []
        for joint, vis, upper in zip(joints, visible, is_upper):
            if vis > 0:
                (upper_joints if upper else lower_joints).append(joint)

        # 0.x draws from randn here (not rand): kept so seeded runs match.
        if np.random.randn() < 0.5 and len(upper_joints) > 2:
            selected_joints = upper_joints
        elif len(lower_joints) > 2:
            selected_joints = lower_joints
        else:
            selected_joints = upper_joints

        if len(selected_joints) < 2:
            return None, None

        selected = np.array(selected_joints, dtype=np.float32)
        center = (selected.sum(axis=0) / len(selected))[:2]
        xs = [joint[0] for joint in selected_joints]
        ys = [joint[1] for joint in selected_joints]
        # float32 differences, as 0.x's np.amax - np.amin
        w, h = array.array('f', (max(xs) - min(xs), max(ys) - min(ys)))

        image_size = cfg['image_size']
        aspect_ratio = float(image_size[0] / image_size[1])
        if w > aspect_ratio * h:
            h = w * 1.0 / aspect_ratio
        elif w < aspect_ratio * h:
            w = h * aspect_ratio

        scale = np.array([w / 200.0, h / 200.0], dtype=np.float32)
        scale = scale * 1.5
        return center, scale

    def __call__(self, results):
        """Perform data augmentation with half-body transform."""
        joints_3d_visible = results['joints_3d_visible']
        if (joints_3d_visible[:, 0].sum() > self.num_joints_half_body
                and np.random.rand() < self.prob_half_body):
            c_half_body, s_half_body = self.half_body_transform(
                results['ann_info'], results['joints_3d'], joints_3d_visible)
            if c_half_body is not None and s_half_body is not None:
                results['center'] = c_half_body
                results['scale'] = s_half_body
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}('
                f'num_joints_half_body={self.num_joints_half_body}, '
                f'prob_half_body={self.prob_half_body})')


@PIPELINES.register_module()
class TopDownGetRandomScaleRotation:
    """Data augmentation with random scaling & rotating.

    Required key: 'scale'. Modifies key: 'scale' and 'rotation'.

    Args:
        rot_factor (int): Rotating to ``[-2*rot_factor, 2*rot_factor]``.
        scale_factor (float): Scaling to ``[1-scale_factor, 1+scale_factor]``.
        rot_prob (float): Probability of random rotation.
    """

    def __init__(self, rot_factor=40, scale_factor=0.5, rot_prob=0.6):
        self.rot_factor = rot_factor
        self.scale_factor = scale_factor
        self.rot_prob = rot_prob

    def __call__(self, results):
        """Perform data augmentation with random scaling & rotating."""
        sf = self.scale_factor
        rf = self.rot_factor
        # Python floats, not np.clip results: a NumPy float64 scalar would
        # promote a float32 scale to float64 under NumPy 2 (NEP 50), and
        # np.clip on scalars is slow.
        s_factor = min(max(float(np.random.randn()) * sf + 1, 1 - sf), 1 + sf)
        r_factor = min(max(float(np.random.randn()) * rf, -rf * 2), rf * 2)
        r = r_factor if np.random.rand() <= self.rot_prob else 0
        results['scale'] = results['scale'] * s_factor
        results['rotation'] = r
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}(rot_factor={self.rot_factor}, '
                f'scale_factor={self.scale_factor}, '
                f'rot_prob={self.rot_prob})')


@PIPELINES.register_module()
class TopDownRandomTranslation:
    """Data augmentation with random translation.

    Required key: 'scale' and 'center'. Modifies key: 'center'.

    Note:
        bbox height: H
        bbox width: W

    Args:
        trans_factor (float): Translating center to
            ``[-trans_factor, trans_factor] * [W, H] + center``.
    """

    def __init__(self, trans_factor=0.15):
        self.trans_factor = trans_factor

    def __call__(self, results):
        """Perform data augmentation with random translation."""
        offset = self.trans_factor * (2 * np.random.rand(2) - 1)
        offset = offset * results['scale'] * 200
        # A new array: the center may be shared with the dataset's records.
        results['center'] = (results['center'] + offset).astype(
            np.asarray(results['center']).dtype, copy=False)
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}('
                f'trans_factor={self.trans_factor})')


def _warp_visible_joints(joints_3d, joints_3d_visible, trans):
    """A copy of ``joints_3d`` with the visible joints' (x, y) mapped by the
    affine matrix ``trans``.

    0.14 called ``affine_transform`` joint by joint. This runs once per
    training sample on a few keypoints, where array calls cost more than
    the arithmetic: it is done on Python floats, the same float64 products
    and sums (``x * a + y * b + c``), rounded to the joints' dtype at the
    end; the pipeline test compares it with 0.14's loop.
    """
    joints_3d = np.asarray(joints_3d)
    (a, b, c), (d, e, f) = np.asarray(trans, dtype=np.float64).tolist()
    joints = joints_3d.tolist()
    for joint, visible in zip(joints,
                              np.asarray(joints_3d_visible)[:, 0].tolist()):
        if visible > 0.0:
            x, y = joint[0], joint[1]
            joint[0] = x * a + y * b + c
            joint[1] = x * d + y * e + f
    return np.array(joints, dtype=joints_3d.dtype)


@PIPELINES.register_module()
class TopDownAffine:
    """Affine transform the image to make input.

    Required keys: 'img', 'joints_3d', 'joints_3d_visible', 'ann_info',
    'scale', 'rotation' and 'center'. Modified keys: 'img', 'joints_3d', and
    'joints_3d_visible'.

    Args:
        use_udp (bool): To use unbiased data processing.
            Paper ref: Huang et al. The Devil is in the Details: Delving into
            Unbiased Data Processing for Human Pose Estimation (CVPR 2020).
    """

    def __init__(self, use_udp=False):
        self.use_udp = use_udp

    def __call__(self, results):
        """Crop and warp the box region to ``ann_info['image_size']``."""
        image_size = results['ann_info']['image_size']
        c = results['center']
        s = results['scale']
        r = results['rotation']
        if self.use_udp:
            image_size = np.asarray(image_size)
            trans = get_warp_matrix(r, c * 2.0, image_size - 1.0, s * 200.0)
            joints_3d = np.array(results['joints_3d'], copy=True)
            joints_3d[:, 0:2] = warp_affine_joints(joints_3d[:, 0:2], trans)
        else:
            trans = get_affine_transform(c, s, r, image_size)
            # 0.x moves only visible joints; invisible ones keep their
            # (zeroed) coordinates.
            joints_3d = _warp_visible_joints(results['joints_3d'],
                                             results['joints_3d_visible'],
                                             trans)

        dsize = (int(image_size[0]), int(image_size[1]))
        results['img'] = _map_images(
            lambda img: cv2.warpAffine(
                img, trans, dsize, flags=cv2.INTER_LINEAR), results['img'])
        results['joints_3d'] = joints_3d
        return results

    def __repr__(self):
        return f'{self.__class__.__name__}(use_udp={self.use_udp})'
