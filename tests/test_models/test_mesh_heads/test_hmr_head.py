from pathlib import Path

import numpy as np
import pytest
import torch

from mmpose.models import build_head
from smpl_fixtures import write_smpl_files

SHARED = Path(__file__).resolve().parents[3] / '..' / 'shared'
SHARED_MEAN = SHARED / 'datasets' / 'smpl' / 'smpl_mean_params.npz'


def _head(in_channels=6, **kwargs):
    return build_head(
        dict(type='MeshHMRHead', in_channels=in_channels, **kwargs))


def _zero_decoders(head, pose_bias=0., shape_bias=0., cam_bias=0.):
    for layer, bias in ((head.decpose, pose_bias), (head.decshape, shape_bias),
                        (head.deccam, cam_bias)):
        torch.nn.init.zeros_(layer.weight)
        torch.nn.init.constant_(layer.bias, bias)


def test_keys_and_shapes_are_0_14s():
    head = _head(in_channels=2048)
    assert {
        k: tuple(v.shape)
        for k, v in head.state_dict().items()
    } == {
        'fc1.weight': (1024, 2048 + 144 + 10 + 3),
        'fc1.bias': (1024, ),
        'fc2.weight': (1024, 1024),
        'fc2.bias': (1024, ),
        'decpose.weight': (144, 1024),
        'decpose.bias': (144, ),
        'decshape.weight': (10, 1024),
        'decshape.bias': (10, ),
        'deccam.weight': (3, 1024),
        'deccam.bias': (3, ),
        'init_pose': (1, 144),
        'init_shape': (1, 10),
        'init_cam': (1, 3),
    }


def test_without_mean_params_starts_from_zero_pose_and_unit_camera():
    head = _head().eval()
    _zero_decoders(head)
    rotmat, shape, cam = head(torch.randn(2, 6, 3, 4))
    assert rotmat.shape == (2, 24, 3, 3)
    # 6D zeros normalise to zeros: no rotation is defined, so check only
    # the buffers the regression starts from.
    assert torch.equal(head.init_pose, torch.zeros(1, 144))
    torch.testing.assert_close(shape, torch.zeros(2, 10))
    torch.testing.assert_close(cam, torch.tensor([[1., 0, 0]] * 2))


def test_mean_params_are_the_start_and_each_round_adds_a_residual(tmp_path):
    files = write_smpl_files(tmp_path)
    head = _head(smpl_mean_params=files['smpl_mean_params']).eval()
    mean = files['mean_params']
    np.testing.assert_array_equal(head.init_pose[0].numpy(), mean['pose'])
    np.testing.assert_array_equal(head.init_shape[0].numpy(), mean['shape'])
    np.testing.assert_array_equal(head.init_cam[0].numpy(), mean['cam'])

    _zero_decoders(head)
    rotmat, shape, cam = head(torch.randn(3, 6, 2, 2))
    # The mean pose: root turned 180 degrees about x, the rest at rest.
    expected = torch.eye(3).repeat(3, 24, 1, 1)
    expected[:, 0] = torch.diag(torch.tensor([1., -1, -1]))
    torch.testing.assert_close(rotmat, expected, atol=1e-6, rtol=0)
    torch.testing.assert_close(shape,
                               torch.from_numpy(mean['shape']).expand(3, -1))
    # Three rounds (n_iter=3) each add the decoder's output (its bias).
    _zero_decoders(head, shape_bias=0.1, cam_bias=-0.2)
    _, shape, cam = head(torch.randn(3, 6, 2, 2))
    torch.testing.assert_close(
        shape,
        torch.from_numpy(mean['shape'] + 0.3).expand(3, -1))
    torch.testing.assert_close(
        cam,
        torch.from_numpy(mean['cam'] - 0.6).expand(3, -1))
    head = _head(smpl_mean_params=files['smpl_mean_params'], n_iter=1).eval()
    _zero_decoders(head, shape_bias=0.1)
    _, shape, _ = head(torch.randn(1, 6, 2, 2))
    torch.testing.assert_close(shape[0], torch.from_numpy(mean['shape'] + 0.1))


def test_features_reach_the_output_through_the_pooled_vector():
    head = _head().eval()
    head.init_weights()
    x = torch.randn(2, 6, 3, 4)
    # Only the spatial mean of the feature map matters.
    pooled = x.mean(dim=(2, 3), keepdim=True).expand_as(x)
    for a, b in zip(head(x), head(pooled)):
        torch.testing.assert_close(a, b)
    assert not torch.allclose(head(x)[1], head(x.flip(0))[1])


def test_missing_mean_params_file_is_named(tmp_path):
    missing = str(tmp_path / 'models' / 'smpl' / 'smpl_mean_params.npz')
    with pytest.raises(FileNotFoundError) as err:
        _head(smpl_mean_params=missing)
    assert missing in str(err.value)
    assert 'model.mesh_head.smpl_mean_params' in str(err.value)


@pytest.mark.skipif(not SHARED_MEAN.exists(), reason='needs ../shared')
def test_published_mean_params_load():
    head = _head(smpl_mean_params=str(SHARED_MEAN)).eval()
    with np.load(SHARED_MEAN) as mean:
        np.testing.assert_array_equal(head.init_pose[0].numpy(), mean['pose'])
        np.testing.assert_array_equal(head.init_cam[0].numpy(), mean['cam'])
    _zero_decoders(head)
    rotmat, _, _ = head(torch.zeros(1, 6, 1, 1))
    det = torch.linalg.det(rotmat[0].double())
    torch.testing.assert_close(det, torch.ones(24, dtype=torch.float64))
