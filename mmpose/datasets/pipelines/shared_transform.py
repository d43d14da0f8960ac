import inspect
import os
from collections.abc import Sequence

import cv2
import mmcv
import numpy as np
import torch
from mmcv.parallel import DataContainer as DC

from mmpose.utils import check
from ..registry import PIPELINES


@PIPELINES.register_module()
class Compose:
    """Compose a data pipeline with a sequence of transforms.

    A ``ToTensor`` directly followed by a ``NormalizeTensor`` runs as one
    stage that converts and normalizes a uint8 image in a single pass; the
    result is the same, bit for bit, as running the two steps (see
    :attr:`stages`).

    Args:
        transforms (list[dict | callable]): Either config dicts of transforms
            or transform objects.
    """

    def __init__(self, transforms):
        check(
            isinstance(transforms, Sequence), 'transforms must be a sequence '
            f'of dicts or callables, got {type(transforms).__name__}')
        self.transforms = []
        for transform in transforms:
            if isinstance(transform, dict):
                transform = PIPELINES.build(transform)
                self.transforms.append(transform)
            elif callable(transform):
                self.transforms.append(transform)
            else:
                raise TypeError('each pipeline step must be a callable or a '
                                f'dict, but got {type(transform).__name__}')
        self._stages_of = None

    @property
    def stages(self):
        """list[callable]: What ``__call__`` runs, in order: ``transforms``
        with each adjacent ``ToTensor``, ``NormalizeTensor`` pair fused into
        one stage. Rebuilt when ``transforms`` has been changed."""
        if self._stages_of != self.transforms:
            self._stages = _fuse_steps(self.transforms)
            self._stages_of = list(self.transforms)
        return self._stages

    def __call__(self, data):
        """Call function to apply transforms sequentially.

        Args:
            data (dict): A result dict contains the data to transform.

        Returns:
            dict: Transformed data, or None when a step drops the sample.
        """
        for t in self.stages:
            data = t(data)
            if data is None:
                return None
        return data

    def __repr__(self):
        """Compute the string representation."""
        format_string = self.__class__.__name__ + '('
        for t in self.transforms:
            format_string += f'\n    {t}'
        format_string += '\n)'
        return format_string


def _fuse_steps(transforms):
    """``transforms`` with adjacent ToTensor, NormalizeTensor pairs replaced
    by one :class:`_ToNormalizedTensor` stage (exact types only: a subclass
    may change what a step does)."""
    stages = []
    for transform in transforms:
        if (stages and type(transform) is NormalizeTensor
                and type(stages[-1]) is ToTensor):
            stages[-1] = _ToNormalizedTensor(stages[-1], transform)
        else:
            stages.append(transform)
    return stages


class _ToNormalizedTensor:
    """``ToTensor`` then ``NormalizeTensor`` in one pass over uint8 images.

    Both steps work value by value within a channel, so on a uint8 image
    they amount to a per-channel lookup: the stage runs the two steps
    themselves (their ``__call__``) once on a ramp image holding every
    uint8 value in every channel, and maps each channel plane of an image
    through the resulting 256-entry tables (``cv2.LUT``). The tensor is the
    one the two steps give, bit for bit, and the float image in between is
    never made. The tables are rebuilt when the default dtype, the channel
    count or the step's ``mean``/``std`` change; other images (not uint8
    ``[H, W, C]`` arrays) go through the two steps.
    """

    def __init__(self, to_tensor, normalize):
        self.to_tensor = to_tensor
        self.normalize = normalize
        self._tables = {}

    def _lookup_tables(self, num_channels):
        """``np.ndarray[C, 256]``: the two steps' output for each uint8
        value of each channel; None where cv2.LUT cannot write it."""
        key = (torch.get_default_dtype(), num_channels,
               tuple(self.normalize.mean), tuple(self.normalize.std))
        if key not in self._tables:
            ramp = np.repeat(
                np.arange(256, dtype=np.uint8)[:, None, None],
                num_channels,
                axis=2)
            out = self.normalize(self.to_tensor(dict(img=ramp)))['img']
            tables = None
            if (isinstance(out, torch.Tensor) and out.device.type == 'cpu'
                    and out.dtype in (torch.float32, torch.float64)
                    and out.shape == (num_channels, 256, 1)):
                tables = out[:, :, 0].numpy()
            self._tables[key] = tables
        return self._tables[key]

    @staticmethod
    def _convert(img, tables):
        out = np.empty((img.shape[2], ) + img.shape[:2], dtype=tables.dtype)
        for plane, table, dst in zip(cv2.split(img), tables, out):
            cv2.LUT(plane, table, dst=dst)
        return torch.from_numpy(out)

    def __call__(self, results):
        imgs = results['img']
        frames = imgs if isinstance(imgs, (list, tuple)) else [imgs]
        tables = [
            self._lookup_tables(img.shape[2]) if isinstance(img, np.ndarray)
            and img.dtype == np.uint8 and img.ndim == 3 else None
            for img in frames
        ]
        if any(table is None for table in tables):
            return self.normalize(self.to_tensor(results))
        out = [self._convert(img, t) for img, t in zip(frames, tables)]
        results['img'] = out if isinstance(imgs, (list, tuple)) else out[0]
        return results

    def __repr__(self):
        return f'{self.to_tensor!r} + {self.normalize!r} (fused)'


def _map_images(func, img):
    """Apply ``func`` to an image, or to each image of a list (frames)."""
    if isinstance(img, (list, tuple)):
        return [func(i) for i in img]
    return func(img)


@PIPELINES.register_module()
class ToTensor:
    """Transform image to Tensor.

    As ``torchvision.transforms.functional.to_tensor`` (what 0.14 called):
    an ``[H, W, C]`` (or ``[H, W]``) array becomes a ``[C, H, W]`` tensor;
    uint8 images become the default float dtype divided by 255, other
    dtypes are kept. A list of images (frames) becomes a list of tensors.

    Required key: 'img'. Modifies key: 'img'.
    """

    @staticmethod
    def _to_tensor(img):
        if not isinstance(img, np.ndarray):
            raise TypeError('ToTensor expects np.ndarray images, got '
                            f'{type(img).__name__}')
        check(
            img.ndim in (2, 3),
            f'img must be [H, W] or [H, W, C], got shape {img.shape}')
        if img.ndim == 2:
            img = img[:, :, None]
        chw = img.transpose(2, 0, 1)
        if img.dtype != np.uint8:
            return torch.from_numpy(np.ascontiguousarray(chw))
        # NumPy, not torch ops: per-op thread start-up of torch dominates on
        # a 3x256x192 image (and stalls when cores are busy). Division by
        # 255 in the float dtype gives the same values as to_tensor.
        dtype = torch.empty(0).numpy().dtype
        out = np.empty(chw.shape, dtype=dtype)
        if 1 < img.shape[2] <= 4 and img.flags.c_contiguous:
            # Contiguous planes (cv2.split) convert faster than the strided
            # channel views of the HWC image; same division, same values.
            for plane, dst in zip(cv2.split(img), out):
                np.divide(plane, dtype.type(255), out=dst)
        else:
            np.divide(chw, dtype.type(255), out=out)
        return torch.from_numpy(out)

    def __call__(self, results):
        """Perform data transform.

        Args:
            results (dict): contain all information about training.
        """
        results['img'] = _map_images(self._to_tensor, results['img'])
        return results

    def __repr__(self):
        return f'{self.__class__.__name__}()'


@PIPELINES.register_module()
class NormalizeTensor:
    """Normalize the Tensor image (CxHxW), with mean and std.

    As ``torchvision.transforms.functional.normalize`` (what 0.14 called):
    ``(img - mean) / std`` per channel, in the dtype of the image; the input
    tensor is left untouched, the result is a new tensor.

    Required key: 'img'. Modifies key: 'img'.

    Args:
        mean (list[float]): Mean values of 3 channels.
        std (list[float]): Std values of 3 channels.
    """

    def __init__(self, mean, std):
        check(not (np.asarray(std) == 0).any(),
              f'std must not contain zeros, got {std}')
        self.mean = mean
        self.std = std

    def _normalize(self, img):
        if not isinstance(img, torch.Tensor):
            raise TypeError('NormalizeTensor expects torch.Tensor images, '
                            f'got {type(img).__name__}')
        if not img.is_floating_point():
            raise TypeError('NormalizeTensor expects a float tensor, got '
                            f'{img.dtype}')
        check(img.ndim >= 3,
              f'img must be [..., C, H, W], got shape {tuple(img.shape)}')
        if img.device.type != 'cpu' or img.requires_grad:
            mean = torch.as_tensor(
                self.mean, dtype=img.dtype, device=img.device).view(-1, 1, 1)
            std = torch.as_tensor(
                self.std, dtype=img.dtype, device=img.device).view(-1, 1, 1)
            return img.sub(mean).div_(std)
        # The same float operations in NumPy on CPU (see ToTensor).
        arr = img.numpy()
        mean = np.asarray(self.mean, dtype=arr.dtype).reshape(-1, 1, 1)
        std = np.asarray(self.std, dtype=arr.dtype).reshape(-1, 1, 1)
        out = np.subtract(arr, mean)
        np.divide(out, std, out=out)
        return torch.from_numpy(out)

    def __call__(self, results):
        results['img'] = _map_images(self._normalize, results['img'])
        return results

    def __repr__(self):
        return f'{self.__class__.__name__}(mean={self.mean}, std={self.std})'


def _split_key(key):
    """Return (source, target) for a key given as 'name' or (src, tgt).

    A pair may be a list too: configs written as JSON (and mmcv's
    ``Config.dump``) turn tuples into lists.
    """
    if isinstance(key, (tuple, list)):
        check(
            len(key) == 2,
            f'a renamed key must be a (key_src, key_tgt) pair, got {key!r}')
        return tuple(key)
    return key, key


def _take(results, key, step):
    try:
        return results[key]
    except KeyError:
        raise KeyError(f'{step}: key {key!r} is not in the results (keys: '
                       f'{", ".join(map(str, results))})') from None


@PIPELINES.register_module()
class Collect:
    """Collect data from the loader relevant to the specific task.

    This keeps the items in ``keys`` as it is, and collects items in
    ``meta_keys`` into a meta item called ``meta_name``. This is usually the
    last stage of the data loader pipeline. For example, when keys='imgs',
    meta_keys=('filename', 'label', 'original_shape'),
    meta_name='img_metas', the results will be a dict with keys 'imgs' and
    'img_metas', where 'img_metas' is a DataContainer (cpu_only=True) of
    another dict with keys 'filename', 'label', 'original_shape'.

    Entries of ``results['ann_info']`` are also looked up, so
    ``'flip_pairs'`` can be a meta key.

    Args:
        keys (Sequence[str|tuple]): Required keys to be collected. If a tuple
            (key, key_new) is given as an element, the item retrieved by key
            will be renamed as key_new in collected data.
        meta_keys (Sequence[str|tuple]): Keys that are collected under
            meta_name. The contents of the meta_name dictionary depends on
            meta_keys.
        meta_name (str): The name of the key that contains meta information.
            This key is always populated. Default: "img_metas".
    """

    def __init__(self, keys, meta_keys, meta_name='img_metas'):
        self.keys = keys
        self.meta_keys = meta_keys
        self.meta_name = meta_name

    def __call__(self, results):
        """Collect the keys and the meta dict."""
        if 'ann_info' in results:
            results.update(results['ann_info'])
        data = {}
        for key in self.keys:
            key_src, key_tgt = _split_key(key)
            data[key_tgt] = _take(results, key_src, 'Collect')
        meta = {}
        for key in self.meta_keys:
            key_src, key_tgt = _split_key(key)
            meta[key_tgt] = _take(results, key_src, 'Collect (meta_keys)')
        if 'bbox_id' in results:
            meta['bbox_id'] = results['bbox_id']
        data[self.meta_name] = DC(meta, cpu_only=True)
        return data

    def __repr__(self):
        return (f'{self.__class__.__name__}(keys={self.keys}, '
                f'meta_keys={self.meta_keys}, meta_name={self.meta_name!r})')


@PIPELINES.register_module()
class RenameKeys:
    """Rename the keys.

    Args:
        key_pairs (Sequence[tuple]): Required keys to be renamed. If a tuple
            (key_src, key_tgt) is given as an element, the item retrieved by
            key_src will be renamed as key_tgt.
    """

    def __init__(self, key_pairs):
        self.key_pairs = key_pairs

    def __call__(self, results):
        """Rename keys."""
        for key_pair in self.key_pairs:
            key_src, key_tgt = _split_key(tuple(key_pair))
            results[key_tgt] = _take(results, key_src, 'RenameKeys')
            if key_tgt != key_src:
                del results[key_src]
        return results

    def __repr__(self):
        return f'{self.__class__.__name__}(key_pairs={self.key_pairs})'


@PIPELINES.register_module()
class PhotometricDistortion:
    """Apply photometric distortion to image sequentially, every
    transformation is applied with a probability of 0.5. The position of
    random contrast is in second or second to last.

    1. random brightness
    2. random contrast (mode 0)
    3. convert color from BGR to HSV
    4. random saturation
    5. random hue
    6. convert color from HSV to BGR
    7. random contrast (mode 1)
    8. randomly swap channels

    Required key: 'img' (uint8). Modifies key: 'img'.

    Args:
        brightness_delta (int): delta of brightness.
        contrast_range (tuple): range of contrast.
        saturation_range (tuple): range of saturation.
        hue_delta (int): delta of hue.
    """

    def __init__(self,
                 brightness_delta=32,
                 contrast_range=(0.5, 1.5),
                 saturation_range=(0.5, 1.5),
                 hue_delta=18):
        self.brightness_delta = brightness_delta
        self.contrast_lower, self.contrast_upper = contrast_range
        self.saturation_lower, self.saturation_upper = saturation_range
        self.hue_delta = hue_delta

    @staticmethod
    def convert(img, alpha=1, beta=0):
        """Multiple with alpha and add beta with clip."""
        img = img.astype(np.float32) * alpha + beta
        img = np.clip(img, 0, 255)
        return img.astype(np.uint8)

    def brightness(self, img):
        """Brightness distortion."""
        if np.random.randint(2):
            return self.convert(
                img,
                beta=np.random.uniform(-self.brightness_delta,
                                       self.brightness_delta))
        return img

    def contrast(self, img):
        """Contrast distortion."""
        if np.random.randint(2):
            return self.convert(
                img,
                alpha=np.random.uniform(self.contrast_lower,
                                        self.contrast_upper))
        return img

    def saturation(self, img):
        """Saturation distortion."""
        if np.random.randint(2):
            img = mmcv.bgr2hsv(img)
            img[:, :, 1] = self.convert(
                img[:, :, 1],
                alpha=np.random.uniform(self.saturation_lower,
                                        self.saturation_upper))
            img = mmcv.hsv2bgr(img)
        return img

    def hue(self, img):
        """Hue distortion."""
        if np.random.randint(2):
            img = mmcv.bgr2hsv(img)
            img[:, :,
                0] = (img[:, :, 0].astype(int) +
                      np.random.randint(-self.hue_delta, self.hue_delta)) % 180
            img = mmcv.hsv2bgr(img)
        return img

    @staticmethod
    def swap_channels(img):
        """Randomly permute the channels."""
        if np.random.randint(2):
            img = img[..., np.random.permutation(3)]
        return img

    def __call__(self, results):
        """Call function to perform photometric distortion on images.

        Args:
            results (dict): Result dict from loading pipeline.

        Returns:
            dict: Result dict with images distorted.
        """
        img = results['img']
        img = self.brightness(img)
        # mode == 1: random contrast first, mode == 0: random contrast last
        mode = np.random.randint(2)
        if mode == 1:
            img = self.contrast(img)
        img = self.saturation(img)
        img = self.hue(img)
        if mode == 0:
            img = self.contrast(img)
        img = self.swap_channels(img)
        results['img'] = img
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}('
                f'brightness_delta={self.brightness_delta}, '
                f'contrast_range=({self.contrast_lower}, '
                f'{self.contrast_upper}), '
                f'saturation_range=({self.saturation_lower}, '
                f'{self.saturation_upper}), '
                f'hue_delta={self.hue_delta})')


class _MissingAlbumentationsError(ImportError, RuntimeError):
    """albumentations is not installed (0.14 raised RuntimeError here; an
    ImportError is what newer code expects, so this is both)."""


def _import_albumentations():
    # albumentations asks PyPI for a newer version on import unless told
    # not to; training must not reach the network.
    os.environ.setdefault('NO_ALBUMENTATIONS_UPDATE', '1')
    try:
        import albumentations
    except ImportError as e:
        raise _MissingAlbumentationsError(
            'Albumentation needs the optional package "albumentations"; '
            'install it with `pip install -r requirements/optional.txt`'
        ) from e
    return albumentations


@PIPELINES.register_module()
class Albumentation:
    """Albumentation augmentation (pixel-level transforms only).

    Adds custom pixel-level transformations from the Albumentations library
    (an optional dependency, imported when this step is built). Please visit
    https://albumentations.readthedocs.io to get more information.

    An example of ``transforms``:

    .. code-block:: python

        [
            dict(type='RandomBrightnessContrast',
                 brightness_limit=[0.1, 0.3],
                 contrast_limit=[0.1, 0.3],
                 p=0.2),
            dict(type='ChannelShuffle', p=0.1),
            dict(type='OneOf',
                 transforms=[
                     dict(type='Blur', blur_limit=3, p=1.0),
                     dict(type='MedianBlur', blur_limit=3, p=1.0)
                 ],
                 p=0.1),
        ]

    Args:
        transforms (list[dict]): A list of Albumentation transformations.
        keymap (dict): Contains {'input key': 'albumentation-style key'},
            e.g., {'img': 'image'}.
    """

    def __init__(self, transforms, keymap=None):
        self._albu = _import_albumentations()
        self.transforms = transforms
        self.aug = self._albu.Compose(
            [self.albu_builder(t) for t in self.transforms])
        self.keymap_to_albu = dict(keymap) if keymap else {'img': 'image'}
        self.keymap_back = {v: k for k, v in self.keymap_to_albu.items()}

    def albu_builder(self, cfg):
        """Import a module from albumentations.

        It resembles some of :func:`build_from_cfg` logic.

        Args:
            cfg (dict): Config dict. It should at least contain the key
                "type".

        Returns:
            obj: The constructed object.
        """
        check(
            isinstance(cfg, dict) and 'type' in cfg,
            'each albumentations transform must be a dict with a "type" '
            f'key, got {cfg!r}')
        args = cfg.copy()
        obj_type = args.pop('type')
        if isinstance(obj_type, str):
            obj_cls = getattr(self._albu, obj_type, None)
            if obj_cls is None:
                raise AttributeError(
                    f'albumentations has no transform {obj_type!r}')
        elif inspect.isclass(obj_type):
            obj_cls = obj_type
        else:
            raise TypeError('type must be a str or a class, got '
                            f'{type(obj_type).__name__}')
        if 'transforms' in args:
            args['transforms'] = [
                self.albu_builder(transform)
                for transform in args['transforms']
            ]
        return obj_cls(**args)

    @staticmethod
    def mapper(d, keymap):
        """Dictionary mapper.

        Renames keys according to keymap provided.

        Args:
            d (dict): old dict
            keymap (dict): {'old_key': 'new_key'}

        Returns:
            dict: new dict.
        """
        return {keymap.get(k, k): v for k, v in d.items()}

    def __call__(self, results):
        # Only the keymap's keys go through albumentations: its recent
        # releases reject keys they do not know ('image_file', 'center', ...)
        # where 0.14's passed them through untouched.
        albu_in = {
            albu_key: results[key]
            for key, albu_key in self.keymap_to_albu.items() if key in results
        }
        results = dict(results)
        results.update(self.mapper(self.aug(**albu_in), self.keymap_back))
        return results

    def __repr__(self):
        return f'{self.__class__.__name__}(transforms={self.transforms})'


@PIPELINES.register_module()
class MultitaskGatherTarget:
    """Gather the targets for multitask heads.

    Args:
        pipeline_list (list[list]): List of pipelines for all heads.
        pipeline_indices (list[int]): Pipeline index of each head.
    """

    def __init__(self, pipeline_list, pipeline_indices):
        self.pipelines = [Compose(pipeline) for pipeline in pipeline_list]
        self.pipeline_indices = pipeline_indices
        for ind in pipeline_indices:
            check(
                0 <= ind < len(self.pipelines), f'pipeline index {ind} is '
                f'out of range for {len(self.pipelines)} pipelines')

    def __call__(self, results):
        """Run each head's pipeline and gather its target(s).

        Each head's pipeline runs on the same results; the targets are
        copied, as in 0.14, so a later head cannot change an earlier one's.
        """
        target, target_weight = [], []
        for ind in self.pipeline_indices:
            results_head = self.pipelines[ind](results)
            target.append(results_head['target'].copy())
            target_weight.append(results_head['target_weight'].copy())
        results['target'] = target
        results['target_weight'] = target_weight
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}(pipelines={self.pipelines}, '
                f'pipeline_indices={self.pipeline_indices})')
