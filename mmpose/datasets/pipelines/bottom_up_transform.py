"""Bottom-up pipeline steps: multi-scale targets (heatmaps, AE tag indices,
part affinity fields), augmentation of the image, its masks and every
person's joints, and the multi-scale test inputs."""
import cv2
import numpy as np

from mmpose.core.codecs.associative_embedding import (AssociativeEmbedding,
                                                      ae_heatmaps,
                                                      ae_joint_indices)
from mmpose.core.post_processing import (get_affine_transform, get_warp_matrix,
                                         warp_affine_joints)
from mmpose.utils import check
from ..registry import PIPELINES
from .shared_transform import Compose


def _ceil_to_multiples_of(x, base=64):
    """Transform x to the integral multiple of the base."""
    return int(np.ceil(x / base)) * base


def _get_multi_scale_size(image,
                          input_size,
                          current_scale,
                          min_scale,
                          use_udp=False):
    """Get the size for multi-scale training.

    The shorter side becomes ``input_size`` (at ``min_scale``, rounded up
    to a multiple of 64) and the longer side keeps the aspect ratio, also a
    multiple of 64; then both are scaled by ``current_scale / min_scale``.

    Args:
        image: Input image (np.ndarray[H, W, C]).
        input_size (int): Size of the image input.
        current_scale (float): Scale factor.
        min_scale (float): Minimal scale.
        use_udp (bool): To use unbiased data processing.

    Returns:
        tuple: The resized size (w, h), the center (np.ndarray[2]) and the
            scale (np.ndarray[2]: pixels / 200, or pixels with UDP) of the
            image region the resized image shows.
    """
    h, w = image.shape[:2]

    # calculate the size for min_scale
    min_input_size = _ceil_to_multiples_of(min_scale * input_size, 64)
    short, long_ = (w, h) if w < h else (h, w)
    short_resized = int(min_input_size * current_scale / min_scale)
    long_resized = int(
        _ceil_to_multiples_of(min_input_size / short * long_, 64) *
        current_scale / min_scale)
    if use_udp:
        scale_short = short - 1.0
        scale_long = (long_resized - 1.0) / (short_resized - 1.0) * (
            short - 1.0)
    else:
        scale_short = short / 200.0
        scale_long = long_resized / short_resized * short / 200.0
    if w < h:
        size = (short_resized, long_resized)
        scale_w, scale_h = scale_short, scale_long
    else:
        size = (long_resized, short_resized)
        scale_w, scale_h = scale_long, scale_short
    if use_udp:
        center = (scale_w / 2.0, scale_h / 2.0)
    else:
        center = np.array([round(w / 2.0), round(h / 2.0)])
    return size, center, np.array([scale_w, scale_h])


def _resize_align_multi_scale(image, input_size, current_scale, min_scale):
    """Resize the images for multi-scale training.

    Args:
        image: Input image
        input_size (int): Size of the image input
        current_scale (float): Current scale
        min_scale (float): Minimal scale

    Returns:
        tuple: A tuple containing image info.

        - image_resized (np.ndarray): resized image
        - center (np.ndarray): center of image
        - scale (np.ndarray): scale
    """
    size_resized, center, scale = _get_multi_scale_size(
        image, input_size, current_scale, min_scale)
    trans = get_affine_transform(center, scale, 0, size_resized)
    image_resized = cv2.warpAffine(image, trans, size_resized)
    return image_resized, center, scale


def _resize_align_multi_scale_udp(image, input_size, current_scale, min_scale):
    """:func:`_resize_align_multi_scale` with UDP: the warp maps the first
    and last pixel centres onto each other, and center / scale are in
    pixels."""
    size_resized, _, _ = _get_multi_scale_size(image, input_size,
                                               current_scale, min_scale, False)
    _, center, scale = _get_multi_scale_size(image, input_size, min_scale,
                                             min_scale, True)
    trans = get_warp_matrix(
        theta=0,
        size_input=np.array(scale, dtype=np.float32),
        size_dst=np.array(size_resized, dtype=np.float32) - 1.0,
        size_target=np.array(scale, dtype=np.float32))
    image_resized = cv2.warpAffine(
        image.copy(), trans, size_resized, flags=cv2.INTER_LINEAR)
    return image_resized, center, scale


class HeatmapGenerator:
    """Generate heatmaps for bottom-up models.

    Args:
        num_joints (int): Number of keypoints
        output_size (int): Size of feature map
        sigma (int): Sigma of the heatmaps (< 0: ``output_size / 64``).
        use_udp (bool): To use unbiased data processing.
            Paper ref: Huang et al. The Devil is in the Details: Delving into
            Unbiased Data Processing for Human Pose Estimation (CVPR 2020).
    """

    def __init__(self, output_size, num_joints, sigma=-1, use_udp=False):
        self.output_size = output_size
        self.num_joints = num_joints
        self.sigma = output_size / 64 if sigma < 0 else sigma
        self.use_udp = use_udp

    def __call__(self, joints):
        """Generate heatmaps (np.ndarray[K, S, S]) of all people's joints
        (np.ndarray[M, K, 3+]); see
        :func:`mmpose.core.codecs.associative_embedding.ae_heatmaps`."""
        return ae_heatmaps(joints, self.output_size, self.num_joints,
                           self.sigma, self.use_udp)


class JointsEncoder:
    """Encodes the visible joints into (coordinates, score); The coordinate of
    one joint and its score are of `int` type.

    (idx * output_size**2 + y * output_size + x, 1) or (0, 0).

    Args:
        max_num_people(int): Max number of people in an image
        num_joints(int): Number of keypoints
        output_size(int): Size of feature map
        tag_per_joint(bool):  Option to use one tag map per joint.
    """

    def __init__(self, max_num_people, num_joints, output_size, tag_per_joint):
        self.max_num_people = max_num_people
        self.num_joints = num_joints
        self.output_size = output_size
        self.tag_per_joint = tag_per_joint

    def __call__(self, joints):
        """
        Note:
            Shape letters: M people, K keypoints.

        Args:
            joints (np.ndarray[M, K, 3+]): Joints in heatmap pixels.

        Returns:
            np.ndarray[max_num_people, K, 2]: (index, 1) of each visible
                joint, packed to the front of its person's row.
        """
        return ae_joint_indices(joints, self.max_num_people, self.num_joints,
                                self.output_size, self.tag_per_joint)


class PAFGenerator:
    """Generate part affinity fields.

    A limb adds its unit vector to every pixel within ``limb_width`` of the
    segment's line (inside the limb's bounding box grown by
    ``limb_width``); overlapping limbs of the same type average.

    Unlike 0.14, whose mask was indexed ``[x, y]`` (transposed; a limb
    whose box reaches the last row, or column, of a non-square range
    raised IndexError), the mask here is indexed ``[y, x]`` inside the map.

    Args:
        output_size (int): Size of feature map.
        limb_width (int): Limb width of part affinity fields.
        skeleton (list[list]): connections of joints (0-based).
    """

    def __init__(self, output_size, limb_width, skeleton):
        self.output_size = output_size
        self.limb_width = limb_width
        self.skeleton = skeleton

    def _accumulate_paf_map_(self, pafs, src, dst, count):
        """Accumulate part affinity fields between two given joints.

        Args:
            pafs (np.ndarray[2, S, S]): paf maps (2 dimensions:x axis and
                y axis) for a certain limb connection; modified in place.
            src (np.ndarray[2,]): coordinates of the source joint.
            dst (np.ndarray[2,]): coordinates of the destination joint.
            count (np.ndarray[S, S]): count map that preserves the number
                of non-zero vectors at each point; modified in place.
        """
        limb_vec = dst - src
        norm = np.linalg.norm(limb_vec)
        unit_limb_vec = np.zeros(2) if norm == 0 else limb_vec / norm

        last = self.output_size - 1
        min_x = int(max(np.floor(min(src[0], dst[0]) - self.limb_width), 0))
        max_x = int(min(np.ceil(max(src[0], dst[0]) + self.limb_width), last))
        min_y = int(max(np.floor(min(src[1], dst[1]) - self.limb_width), 0))
        max_y = int(min(np.ceil(max(src[1], dst[1]) + self.limb_width), last))
        if min_x > max_x or min_y > max_y:
            return

        yy, xx = np.mgrid[min_y:max_y + 1, min_x:max_x + 1]
        dist = np.abs((xx - src[0]) * unit_limb_vec[1] -
                      (yy - src[1]) * unit_limb_vec[0])
        local = dist < self.limb_width
        window = (slice(min_y, max_y + 1), slice(min_x, max_x + 1))
        pafs[0][window][local] += unit_limb_vec[0]
        pafs[1][window][local] += unit_limb_vec[1]
        count[window] += local

    def __call__(self, joints):
        """Generate the target part affinity fields.

        Args:
            joints (np.ndarray[M, K, 3+]): Joints in heatmap pixels.

        Returns:
            np.ndarray[2L, S, S]: float32 x and y fields of each limb.
        """
        pafs = np.zeros(
            (len(self.skeleton) * 2, self.output_size, self.output_size),
            dtype=np.float32)
        for idx, sk in enumerate(self.skeleton):
            count = np.zeros((self.output_size, self.output_size),
                             dtype=np.float32)
            for p in joints:
                src, dst = p[sk[0]], p[sk[1]]
                if src[2] > 0 and dst[2] > 0:
                    self._accumulate_paf_map_(pafs[2 * idx:2 * idx + 2],
                                              src[:2], dst[:2], count)
            pafs[2 * idx:2 * idx + 2] /= np.maximum(count, 1)
        return pafs


def _check_scales(results, step):
    """The masks and joints lists have one entry per heatmap size."""
    mask, joints = results['mask'], results['joints']
    sizes = results['ann_info']['heatmap_size']
    check(
        isinstance(mask, list) and isinstance(joints, list)
        and len(mask) == len(joints) == len(sizes),
        f'{step}: mask and joints must be lists with one entry per heatmap '
        f'size ({len(sizes)}), got {type(mask).__name__} and '
        f'{type(joints).__name__}')


@PIPELINES.register_module()
class BottomUpRandomFlip:
    """Data augmentation with random image flip for bottom-up.

    Args:
        flip_prob (float): Probability of flip.
    """

    def __init__(self, flip_prob=0.5):
        self.flip_prob = flip_prob

    def __call__(self, results):
        """Perform data augmentation with random image flip."""
        _check_scales(results, 'BottomUpRandomFlip')
        image, mask, joints = results['img'], results['mask'], results[
            'joints']
        flip_index = results['ann_info']['flip_index']
        if np.random.random() < self.flip_prob:
            image = image[:, ::-1].copy()
            for i, output_size in enumerate(
                    results['ann_info']['heatmap_size']):
                mask[i] = mask[i][:, ::-1].copy()
                joints[i] = joints[i][:, flip_index]
                joints[i][:, :, 0] = output_size - joints[i][:, :, 0] - 1
        results['img'], results['mask'], results[
            'joints'] = image, mask, joints
        return results


@PIPELINES.register_module()
class BottomUpRandomAffine:
    """Data augmentation with random scaling & rotating.

    The image is warped to ``image_size`` and each mask and joints entry to
    its heatmap size, around the image centre shifted by a random
    translation, scaled by a random factor of the image's short or long
    side and rotated by a random angle.

    0.14 passed the heatmap sizes (NumPy integers from the dataset's
    ``ann_info``) to ``cv2.warpAffine`` as ``dsize``, which today's OpenCV
    rejects; here the sizes are Python ints.

    Args:
        rot_factor (int): Rotating to [-rotation_factor, rotation_factor]
        scale_factor (float): Scaling to [1-scale_factor, 1+scale_factor]
        scale_type: wrt ``long`` or ``short`` length of the image.
        trans_factor: Translation factor.
        use_udp (bool): To use unbiased data processing.
            Paper ref: Huang et al. The Devil is in the Details: Delving into
            Unbiased Data Processing for Human Pose Estimation (CVPR 2020).
    """

    def __init__(self,
                 rot_factor,
                 scale_factor,
                 scale_type,
                 trans_factor,
                 use_udp=False):
        self.max_rotation = rot_factor
        self.min_scale = scale_factor[0]
        self.max_scale = scale_factor[1]
        self.scale_type = scale_type
        self.trans_factor = trans_factor
        self.use_udp = use_udp

    @staticmethod
    def _get_affine_matrix(center, scale, res, rot=0):
        """Generate transformation matrix: the square of side ``scale``
        around ``center`` onto ``res`` (h, w), rotated by ``rot``."""
        h = scale
        t = np.zeros((3, 3), dtype=np.float32)
        t[0, 0] = float(res[1]) / h
        t[1, 1] = float(res[0]) / h
        t[0, 2] = res[1] * (-float(center[0]) / h + .5)
        t[1, 2] = res[0] * (-float(center[1]) / h + .5)
        t[2, 2] = 1
        if rot != 0:
            rot = -rot  # To match direction of rotation from cropping
            rot_mat = np.zeros((3, 3), dtype=np.float32)
            rot_rad = rot * np.pi / 180
            sn, cs = np.sin(rot_rad), np.cos(rot_rad)
            rot_mat[0, :2] = [cs, -sn]
            rot_mat[1, :2] = [sn, cs]
            rot_mat[2, 2] = 1
            # Need to rotate around center
            t_mat = np.eye(3)
            t_mat[0, 2] = -res[1] / 2
            t_mat[1, 2] = -res[0] / 2
            t_inv = t_mat.copy()
            t_inv[:2, 2] *= -1
            t = np.dot(t_inv, np.dot(rot_mat, np.dot(t_mat, t)))
        return t

    def _matrix(self, center, scale, size, aug_rot):
        """The 2x3 warp onto a ``size`` x ``size`` output."""
        if self.use_udp:
            return get_warp_matrix(
                theta=aug_rot,
                size_input=center * 2.0,
                size_dst=np.array((size, size), dtype=np.float32) - 1.0,
                size_target=np.array((scale, scale), dtype=np.float32))
        return self._get_affine_matrix(center, scale, (size, size),
                                       aug_rot)[:2]

    def __call__(self, results):
        """Perform data augmentation with random scaling & rotating."""
        _check_scales(results, 'BottomUpRandomAffine')
        image, mask, joints = results['img'], results['mask'], results[
            'joints']
        ann_info = results['ann_info']
        input_size = int(ann_info['image_size'])

        height, width = image.shape[:2]
        if self.use_udp:
            center = np.array(((width - 1.0) / 2, (height - 1.0) / 2))
        else:
            center = np.array((width / 2, height / 2))
        if self.scale_type == 'long':
            scale = max(height, width) / 1.0
        elif self.scale_type == 'short':
            scale = min(height, width) / 1.0
        else:
            raise ValueError(f'Unknown scale type: {self.scale_type}')
        aug_scale = np.random.random() * (self.max_scale -
                                          self.min_scale) + self.min_scale
        scale *= aug_scale
        aug_rot = (np.random.random() * 2 - 1) * self.max_rotation

        if self.trans_factor > 0:
            dx = np.random.randint(-self.trans_factor * scale / 200.0,
                                   self.trans_factor * scale / 200.0)
            dy = np.random.randint(-self.trans_factor * scale / 200.0,
                                   self.trans_factor * scale / 200.0)
            center[0] += dx
            center[1] += dy

        flags = dict(flags=cv2.INTER_LINEAR) if self.use_udp else {}
        for i, output_size in enumerate(ann_info['heatmap_size']):
            output_size = int(output_size)
            mat = self._matrix(center, scale, output_size, aug_rot)
            warped = cv2.warpAffine((mask[i] * 255).astype(np.uint8), mat,
                                    (output_size, output_size), **flags)
            mask[i] = (warped / 255 > 0.5).astype(np.float32)
            joints[i][:, :, 0:2] = warp_affine_joints(joints[i][:, :, 0:2],
                                                      mat)
            if ann_info['scale_aware_sigma']:
                joints[i][:, :, 3] = joints[i][:, :, 3] / aug_scale
        mat_input = self._matrix(center, scale, input_size, aug_rot)
        image = cv2.warpAffine(image, mat_input, (input_size, input_size),
                               **flags)

        results['img'], results['mask'], results[
            'joints'] = image, mask, joints
        return results


def _num_scales(results):
    return results['ann_info']['num_scales']


@PIPELINES.register_module()
class BottomUpGenerateHeatmapTarget:
    """Generate multi-scale heatmap target for bottom-up.

    Adds ``target``: a list of np.ndarray[K, S, S], one per heatmap size.

    Args:
        sigma (int): Sigma of heatmap Gaussian
        use_udp (bool): To use unbiased data processing.
            Paper ref: Huang et al. The Devil is in the Details: Delving into
            Unbiased Data Processing for Human Pose Estimation (CVPR 2020).
    """

    def __init__(self, sigma, use_udp=False):
        self.sigma = sigma
        self.use_udp = use_udp

    def _generate(self, num_joints, heatmap_size):
        """Get heatmap generator."""
        return [
            HeatmapGenerator(output_size, num_joints, self.sigma, self.use_udp)
            for output_size in heatmap_size
        ]

    def __call__(self, results):
        """Generate multi-scale heatmap target for bottom-up."""
        generators = self._generate(results['ann_info']['num_joints'],
                                    results['ann_info']['heatmap_size'])
        results['target'] = [
            generators[i](results['joints'][i]).astype(np.float32)
            for i in range(_num_scales(results))
        ]
        return results


@PIPELINES.register_module()
class BottomUpGenerateTarget(BottomUpGenerateHeatmapTarget):
    """Generate multi-scale heatmap target for associate embedding.

    Adds ``targets`` (heatmaps per scale) and replaces ``masks`` (float32
    masks per scale) and ``joints`` (int32 tag indices per scale, see
    :class:`JointsEncoder`), encoded by the registered
    :class:`~mmpose.core.codecs.AssociativeEmbedding` codec of each scale.

    Args:
        sigma (int): Sigma of heatmap Gaussian
        max_num_people (int): Maximum number of people in an image
        use_udp (bool): To use unbiased data processing.
            Paper ref: Huang et al. The Devil is in the Details: Delving into
            Unbiased Data Processing for Human Pose Estimation (CVPR 2020).
    """

    def __init__(self, sigma, max_num_people, use_udp=False):
        super().__init__(sigma, use_udp)
        self.max_num_people = max_num_people

    def _generate(self, num_joints, heatmap_size):
        """The associative embedding codec of each heatmap size."""
        return [
            AssociativeEmbedding(
                heatmap_size=output_size,
                num_joints=num_joints,
                sigma=self.sigma,
                max_num_people=self.max_num_people,
                tag_per_joint=True,
                use_udp=self.use_udp) for output_size in heatmap_size
        ]

    def __call__(self, results):
        """Generate multi-scale heatmap target for bottom-up."""
        codecs = self._generate(results['ann_info']['num_joints'],
                                results['ann_info']['heatmap_size'])
        target_list = list()
        mask_list, joints_list = results['mask'], results['joints']
        for scale_id in range(_num_scales(results)):
            encoded = codecs[scale_id].encode(joints_list[scale_id])
            target_list.append(encoded['target'].astype(np.float32))
            mask_list[scale_id] = mask_list[scale_id].astype(np.float32)
            joints_list[scale_id] = encoded['joints'].astype(np.int32)
        results['masks'], results['joints'] = mask_list, joints_list
        results['targets'] = target_list
        return results


@PIPELINES.register_module()
class BottomUpGeneratePAFTarget:
    """Generate multi-scale heatmaps and part affinity fields (PAF) target for
    bottom-up. Paper ref: Cao et al. Realtime Multi-Person 2D Human Pose
    Estimation using Part Affinity Fields (CVPR 2017).

    Adds ``target``: a list of np.ndarray[2L, S, S], one per heatmap size.

    Args:
        limb_width (int): Limb width of part affinity fields
        skeleton (list[list] | None): Limbs as 0-based joint pairs; None
            takes ``ann_info['skeleton']``.
    """

    def __init__(self, limb_width, skeleton=None):
        self.limb_width = limb_width
        self.skeleton = skeleton

    def _generate(self, heatmap_size, skeleton):
        """Get PAF generator."""
        return [
            PAFGenerator(output_size, self.limb_width, skeleton)
            for output_size in heatmap_size
        ]

    def __call__(self, results):
        """Generate multi-scale part affinity fields for bottom-up."""
        skeleton = self.skeleton
        if skeleton is None:
            skeleton = results['ann_info'].get('skeleton')
            check(
                skeleton is not None,
                'BottomUpGeneratePAFTarget needs a skeleton (argument or '
                "ann_info['skeleton'])")
        generators = self._generate(results['ann_info']['heatmap_size'],
                                    skeleton)
        results['target'] = [
            generators[i](results['joints'][i]).astype(np.float32)
            for i in range(_num_scales(results))
        ]
        return results


@PIPELINES.register_module()
class BottomUpGetImgSize:
    """Get multi-scale image sizes for bottom-up, including base_size and
    test_scale_factor. Keep the ratio and the image is resized to
    `results['ann_info']['image_size']×current_scale`.

    Args:
        test_scale_factor (List[float]): Multi scale
        current_scale (int): default 1
        use_udp (bool): To use unbiased data processing.
            Paper ref: Huang et al. The Devil is in the Details: Delving into
            Unbiased Data Processing for Human Pose Estimation (CVPR 2020).
    """

    def __init__(self, test_scale_factor, current_scale=1, use_udp=False):
        self.test_scale_factor = test_scale_factor
        self.min_scale = min(test_scale_factor)
        self.current_scale = current_scale
        self.use_udp = use_udp

    def __call__(self, results):
        """Get multi-scale image sizes for bottom-up."""
        input_size = results['ann_info']['image_size']
        base_size, center, scale = _get_multi_scale_size(
            results['img'], input_size, self.current_scale, self.min_scale,
            self.use_udp)
        results['ann_info']['test_scale_factor'] = self.test_scale_factor
        results['ann_info']['base_size'] = base_size
        results['ann_info']['center'] = center
        results['ann_info']['scale'] = scale
        return results


@PIPELINES.register_module()
class BottomUpResizeAlign:
    """Resize multi-scale size and align transform for bottom-up.

    Adds ``ann_info['aug_data']``: the image resized to each test scale
    (largest first) and passed through ``transforms``, as
    torch.Tensor[1, C, H, W].

    Args:
        transforms (List): ToTensor & Normalize
        use_udp (bool): To use unbiased data processing.
            Paper ref: Huang et al. The Devil is in the Details: Delving into
            Unbiased Data Processing for Human Pose Estimation (CVPR 2020).
    """

    def __init__(self, transforms, use_udp=False):
        self.transforms = Compose(transforms)
        if use_udp:
            self._resize_align_multi_scale = _resize_align_multi_scale_udp
        else:
            self._resize_align_multi_scale = _resize_align_multi_scale

    def __call__(self, results):
        """Resize multi-scale size and align transform for bottom-up."""
        input_size = results['ann_info']['image_size']
        test_scale_factor = sorted(
            results['ann_info']['test_scale_factor'], reverse=True)
        aug_data = []
        for s in test_scale_factor:
            _results = results.copy()
            image_resized, _, _ = self._resize_align_multi_scale(
                _results['img'], input_size, s, min(test_scale_factor))
            _results['img'] = image_resized
            _results = self.transforms(_results)
            aug_data.append(_results['img'].unsqueeze(0))
        results['ann_info']['aug_data'] = aug_data
        return results
