import sys
import types

import numpy as np
import pytest
import torch
from mmcv.parallel import DataContainer

from mmpose.datasets import PIPELINES
from mmpose.datasets.pipelines import (Albumentation, Collect, Compose,
                                       MultitaskGatherTarget, NormalizeTensor,
                                       PhotometricDistortion, RenameKeys,
                                       ToTensor)


def test_to_tensor_uint8_hwc_to_chw_scaled():
    img = np.zeros((2, 3, 3), dtype=np.uint8)
    img[1, 2] = [255, 51, 0]
    out = ToTensor()(dict(img=img))['img']
    assert isinstance(out, torch.Tensor)
    assert out.shape == (3, 2, 3) and out.dtype == torch.float32
    assert out[:, 1, 2].tolist() == pytest.approx([1.0, 0.2, 0.0])
    assert out.sum().item() == pytest.approx(1.2)


def test_to_tensor_float_and_list():
    img = np.full((2, 2, 3), 7.0, dtype=np.float32)
    out = ToTensor()(dict(img=[img, img[..., :1]]))['img']
    assert [o.shape for o in out] == [(3, 2, 2), (1, 2, 2)]
    # float images are not rescaled
    assert out[0].max().item() == 7.0
    gray = ToTensor()(dict(img=np.ones((4, 5), np.uint8) * 255))['img']
    assert gray.shape == (1, 4, 5) and gray.max().item() == 1.0


def test_normalize_tensor():
    img = torch.stack([torch.full((2, 2), v) for v in (0.5, 0.25, 1.0)])
    out = NormalizeTensor(
        mean=[0.5, 0.0, 0.5], std=[1.0, 0.5, 0.25])(dict(img=img))['img']
    assert out[:, 0, 0].tolist() == pytest.approx([0.0, 0.5, 2.0])
    # the input tensor is left untouched
    assert img[0, 0, 0].item() == 0.5


def test_tensor_steps_reject_what_torchvision_rejected():
    normalize = NormalizeTensor(mean=[0.5] * 3, std=[0.5] * 3)
    with pytest.raises(TypeError, match='float'):
        normalize(dict(img=torch.zeros(3, 2, 2, dtype=torch.uint8)))
    with pytest.raises(TypeError, match='Tensor'):
        normalize(dict(img=np.zeros((3, 2, 2), np.float32)))
    with pytest.raises(ValueError, match='C, H, W'):
        normalize(dict(img=torch.zeros(2, 2)))
    with pytest.raises(AssertionError, match='std'):
        NormalizeTensor(mean=[0.5] * 3, std=[0.5, 0, 0.5])
    with pytest.raises(TypeError, match='ndarray'):
        ToTensor()(dict(img=[[1, 2], [3, 4]]))
    with pytest.raises(ValueError, match='shape'):
        ToTensor()(dict(img=np.zeros((1, 2, 2, 3), np.uint8)))


def test_collect_structure_and_renaming():
    results = dict(
        img='IMG',
        target='T',
        image_file='a.jpg',
        center=np.array([1., 2.]),
        bbox_id=3,
        ann_info=dict(flip_pairs=[[1, 2]]))
    data = Collect(
        keys=['img', ('target', 'heatmap')],
        meta_keys=['image_file', ('center', 'c'), 'flip_pairs'])(
            results)
    assert set(data) == {'img', 'heatmap', 'img_metas'}
    assert data['img'] == 'IMG' and data['heatmap'] == 'T'
    meta = data['img_metas']
    assert isinstance(meta, DataContainer) and meta.cpu_only
    assert set(meta.data) == {'image_file', 'c', 'flip_pairs', 'bbox_id'}
    assert meta.data['flip_pairs'] == [[1, 2]]
    assert meta.data['bbox_id'] == 3

    data = Collect(keys=['img'], meta_keys=[], meta_name='metas')(dict(img=1))
    assert set(data) == {'img', 'metas'} and data['metas'].data == {}

    # a JSON-written config holds the (src, tgt) pair as a list
    data = Collect(keys=[['target', 'heatmap']], meta_keys=[['center', 'c']])(
        results)
    assert data['heatmap'] == 'T' and set(data['img_metas'].data) == {
        'c', 'bbox_id'}


def test_collect_missing_key_is_named():
    with pytest.raises(KeyError, match='target_weight'):
        Collect(keys=['img', 'target_weight'], meta_keys=[])(dict(img=1))
    with pytest.raises(KeyError, match='scale'):
        Collect(keys=['img'], meta_keys=['scale'])(dict(img=1))
    # 0.14 asserted that a renamed key is a pair
    with pytest.raises(AssertionError, match='pair'):
        Collect(keys=[('img', 'a', 'b')], meta_keys=[])(dict(img=1))


def test_rename_keys():
    results = RenameKeys([('a', 'b'), ('c', 'c')])(dict(a=1, c=2))
    assert results == dict(b=1, c=2)
    with pytest.raises(KeyError, match="'x'"):
        RenameKeys([('x', 'y')])(dict(a=1))


def test_photometric_distortion_keeps_shape_and_range():
    rng = np.random.RandomState(0)
    img = rng.randint(0, 256, (16, 12, 3)).astype(np.uint8)
    step = PhotometricDistortion()
    np.random.seed(1)
    seen_change = False
    for _ in range(8):
        out = step(dict(img=img.copy()))['img']
        assert out.shape == img.shape and out.dtype == np.uint8
        seen_change |= not np.array_equal(out, img)
    assert seen_change


def test_photometric_convert_clips():
    img = np.array([[10, 200]], dtype=np.uint8)
    out = PhotometricDistortion.convert(img, alpha=2, beta=-30)
    assert out.tolist() == [[0, 255]]
    out = PhotometricDistortion.convert(img, alpha=1, beta=5)
    assert out.tolist() == [[15, 205]]


def test_albumentation_missing_package_is_named(monkeypatch):
    monkeypatch.setitem(sys.modules, 'albumentations', None)
    with pytest.raises(ImportError, match='albumentations'):
        Albumentation(transforms=[dict(type='Blur')])
    # 0.14 raised RuntimeError: code catching that still works
    with pytest.raises(RuntimeError, match='albumentations'):
        Albumentation(transforms=[dict(type='Blur')])


def test_albumentation_with_stand_in_module(monkeypatch):
    calls = []

    class Invert:

        def __init__(self, p=1.0):
            self.p = p

        def __call__(self, image):
            return 255 - image

    class OneOf:

        def __init__(self, transforms, p=1.0):
            self.transforms = transforms

    class AlbuCompose:

        def __init__(self, transforms):
            self.transforms = transforms

        def __call__(self, **kwargs):
            calls.append(sorted(kwargs))
            kwargs['image'] = self.transforms[0](kwargs['image'])
            return kwargs

    fake = types.ModuleType('albumentations')
    fake.Invert, fake.OneOf, fake.Compose = Invert, OneOf, AlbuCompose
    monkeypatch.setitem(sys.modules, 'albumentations', fake)

    step = Albumentation(transforms=[
        dict(type='Invert', p=1.0),
        dict(type='OneOf', transforms=[dict(type='Invert')], p=0.5)
    ])
    assert isinstance(step.aug.transforms[1].transforms[0], Invert)
    img = np.zeros((2, 2, 3), np.uint8)
    out = step(dict(img=img, center=1))
    # only the keymap's keys go to albumentations; the others stay
    assert calls == [['image']]
    assert set(out) == {'img', 'center'} and out['img'].min() == 255
    assert out['center'] == 1
    assert Albumentation.mapper(dict(a=1, b=2), {'a': 'x'}) == dict(x=1, b=2)
    # as 0.14: getattr on the module fails, a config that is not a dict
    # with a type fails its check
    with pytest.raises(AttributeError, match='NoSuchTransform'):
        Albumentation(transforms=[dict(type='NoSuchTransform')])
    with pytest.raises(AssertionError, match='"type"'):
        Albumentation(transforms=[dict(p=1.0)])


def test_albumentation_with_record_keys():
    """A top-down record's other keys (image_file, center, ...) pass by
    albumentations untouched (its recent releases reject unknown keys)."""
    pytest.importorskip('albumentations')
    # one 2 x 2 hole
    hole = dict(max_height=2, max_width=2, min_height=2, min_width=2)
    step = Albumentation(transforms=[
        dict(type='CoarseDropout', max_holes=1, min_holes=1, fill_value=0,
             p=1.0, **hole)
    ])
    img = np.full((6, 6, 3), 255, np.uint8)
    center = np.array([3., 3.])
    out = step(dict(img=img, image_file='a.jpg', center=center))
    assert out['image_file'] == 'a.jpg' and out['center'] is center
    assert (out['img'] == 0).all(-1).sum() == 4


class _SetTarget:
    """Writes its value into the results' target arrays in place (as a
    step may), or makes them when they are absent."""

    def __init__(self, value):
        self.value = value

    def __call__(self, results):
        if 'target' not in results:
            results['target'] = np.zeros(2)
            results['target_weight'] = np.zeros(2)
        results['target'][:] = self.value
        results['target_weight'][:] = -self.value
        return results


def test_multitask_gather_target():
    step = MultitaskGatherTarget(
        pipeline_list=[[_SetTarget(1)], [_SetTarget(2)]],
        pipeline_indices=[1, 0, 1])
    results = step(dict())
    # each head keeps its own copy, though the steps reuse one array
    assert [t.tolist() for t in results['target']] == [[2, 2], [1, 1], [2, 2]]
    assert [t[0] for t in results['target_weight']] == [-2, -1, -2]
    for error in (ValueError, AssertionError):
        with pytest.raises(error, match='index 2'):
            MultitaskGatherTarget([[_SetTarget(1)]], [2])


def test_compose_builds_registered_steps():
    pipeline = Compose([
        dict(type='RenameKeys', key_pairs=[('a', 'b')]),
        lambda r: dict(r, c=3)
    ])
    assert pipeline(dict(a=1)) == dict(b=1, c=3)
    with pytest.raises(AssertionError, match='sequence'):
        Compose(dict(type='RenameKeys', key_pairs=[]))
    with pytest.raises(TypeError, match='int'):
        Compose([1])
    for name in ('ToTensor', 'NormalizeTensor', 'Collect', 'RenameKeys',
                 'PhotometricDistortion', 'Albumentation',
                 'MultitaskGatherTarget', 'LoadImageFromFile'):
        assert name in PIPELINES.module_dict


def test_to_tensor_and_normalize_match_torchvision():
    tvf = pytest.importorskip('torchvision.transforms.functional')
    rng = np.random.RandomState(0)
    img = rng.randint(0, 256, (9, 7, 3)).astype(np.uint8)
    mean, std = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
    ours = NormalizeTensor(mean, std)(ToTensor()(dict(img=img)))['img']
    ref = tvf.normalize(tvf.to_tensor(img), mean=mean, std=std)
    assert ours.dtype == ref.dtype
    assert torch.equal(ours, ref)


def test_normalize_tensor_leaves_its_input_untouched():
    img = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    mean, std = [0.1, 0.2, 0.3], [0.5, 0.25, 2.0]
    tensor = ToTensor()(dict(img=img))['img']
    held = tensor.clone()
    out = NormalizeTensor(mean, std)(dict(img=tensor))['img']
    assert out is not tensor and torch.equal(tensor, held)
    expected = (held - torch.tensor(mean)[:, None, None]
                ) / torch.tensor(std)[:, None, None]
    assert torch.allclose(out, expected)


_MEAN, _STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def test_compose_fuses_to_tensor_and_normalize_bit_for_bit():
    tvf = pytest.importorskip('torchvision.transforms.functional')
    to_tensor, normalize = ToTensor(), NormalizeTensor(_MEAN, _STD)
    pipeline = Compose([to_tensor, normalize])
    assert pipeline.transforms == [to_tensor, normalize]
    assert len(pipeline.stages) == 1
    # every uint8 value in every channel
    img = np.stack(
        np.meshgrid(np.arange(256), np.arange(3), indexing='ij'),
        -1)[..., 0].astype(np.uint8)
    img = np.repeat(img[:, None, :], 2, axis=1)  # [256, 2, 3]
    out = pipeline(dict(img=img))['img']
    ref = tvf.normalize(tvf.to_tensor(img), mean=_MEAN, std=_STD)
    assert out.dtype == ref.dtype and out.shape == ref.shape == (3, 256, 2)
    assert torch.equal(out, ref)
    # a list of frames and a float64 default dtype take the same path
    frames = pipeline(dict(img=[img, img[:5]]))['img']
    assert torch.equal(frames[0], ref) and torch.equal(frames[1], ref[:, :5])
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        out64 = pipeline(dict(img=img))['img']
        ref64 = tvf.normalize(tvf.to_tensor(img), mean=_MEAN, std=_STD)
    finally:
        torch.set_default_dtype(default)
    assert out64.dtype == torch.float64 and torch.equal(out64, ref64)


@pytest.mark.parametrize(
    'img',
    [
        np.full((4, 5, 3), 0.5, np.float32),  # float: not rescaled
        np.arange(20, dtype=np.uint8).reshape(4, 5),  # one channel, 3 means
        np.arange(60, dtype=np.uint8).reshape(4, 5, 3)[:, ::2],  # strided
    ])
def test_fused_stage_falls_back_to_the_two_steps(img):
    to_tensor, normalize = ToTensor(), NormalizeTensor(_MEAN, _STD)
    fused = Compose([to_tensor, normalize])(dict(img=img))['img']
    separate = normalize(to_tensor(dict(img=img)))['img']
    assert fused.shape == separate.shape and torch.equal(fused, separate)


def test_fused_stage_follows_the_public_attributes_of_the_steps():
    # mean/std changed after the first call, a one-value mean broadcast
    # over 3 channels, 4-channel images: always what the two steps give
    img = np.random.RandomState(0).randint(0, 256, (5, 4, 3)).astype(np.uint8)
    to_tensor, normalize = ToTensor(), NormalizeTensor(_MEAN, _STD)
    pipeline = Compose([to_tensor, normalize])
    assert len(pipeline.stages) == 1
    for mean, std, image in [(_MEAN, _STD, img), ([0.1, 0.2, 0.3], _STD, img),
                             ([0.5], [0.25], img),
                             ([0.1] * 4, [0.2] * 4,
                              np.dstack([img, img[..., :1]]))]:
        normalize.mean, normalize.std = mean, std
        fused = pipeline(dict(img=image))['img']
        separate = normalize(to_tensor(dict(img=image)))['img']
        assert torch.equal(fused, separate)
        expected = (torch.from_numpy(image).permute(2, 0, 1).float() / 255 -
                    torch.tensor(mean)[:, None, None]
                    ) / torch.tensor(std)[:, None, None]
        assert torch.allclose(fused, expected, atol=1e-6)


def test_compose_stages_follow_changes_to_transforms():

    class Scale(ToTensor):

        def __call__(self, results):
            results = super().__call__(results)
            results['img'] = results['img'] * 2
            return results

    img = np.full((2, 2, 3), 51, np.uint8)
    pipeline = Compose([ToTensor(), NormalizeTensor([0, 0, 0], [1, 1, 1])])
    assert pipeline(dict(img=img))['img'].max().item() == pytest.approx(0.2)
    # a subclass may do more than its base: it is not fused
    pipeline.transforms[0] = Scale()
    assert len(pipeline.stages) == 2
    assert pipeline(dict(img=img))['img'].max().item() == pytest.approx(0.4)
    pipeline.transforms.append(lambda results: None)
    assert pipeline(dict(img=img)) is None
