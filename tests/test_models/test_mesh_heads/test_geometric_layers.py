import math

import numpy as np
import pytest
import torch

from mmpose.models.mesh_heads.geometric_layers import (batch_rodrigues,
                                                       quat_to_rotmat,
                                                       rot6d_to_rotmat)
from mmpose.utils import ArgumentError

# 90 degrees about x, y and z, written out by hand (columns are the images
# of the unit axes).
RX90 = [[1, 0, 0], [0, 0, -1], [0, 1, 0]]
RY90 = [[0, 0, 1], [0, 1, 0], [-1, 0, 0]]
RZ90 = [[0, -1, 0], [1, 0, 0], [0, 0, 1]]
EYE = np.eye(3).tolist()


def _assert_rotations(rotmat):
    rotmat = rotmat.double()
    eye = torch.eye(3, dtype=torch.float64).expand_as(rotmat)
    torch.testing.assert_close(
        rotmat @ rotmat.transpose(1, 2), eye, atol=1e-5, rtol=0)
    torch.testing.assert_close(
        torch.linalg.det(rotmat),
        torch.ones(len(rotmat), dtype=torch.float64),
        atol=1e-5,
        rtol=0)


def test_batch_rodrigues_quarter_turns_and_zero():
    half_pi = math.pi / 2
    theta = torch.tensor([[half_pi, 0, 0], [0, half_pi, 0], [0, 0, half_pi],
                          [0, 0, 0], [-half_pi, 0, 0]])
    expected = torch.tensor(
        np.array([RX90, RY90, RZ90, EYE,
                  np.transpose(RX90)]),
        dtype=torch.float32)
    torch.testing.assert_close(
        batch_rodrigues(theta), expected, atol=1e-6, rtol=0)


def test_batch_rodrigues_random_are_rotations_with_their_axis_fixed():
    theta = torch.randn(50, 3, generator=torch.Generator().manual_seed(0))
    rotmat = batch_rodrigues(theta)
    assert rotmat.shape == (50, 3, 3)
    _assert_rotations(rotmat)
    # The axis is fixed and the trace is 1 + 2 cos(angle).
    torch.testing.assert_close(
        (rotmat @ theta[:, :, None])[..., 0], theta, atol=1e-5, rtol=0)
    angle = theta.norm(dim=1)
    torch.testing.assert_close(
        rotmat.diagonal(dim1=1, dim2=2).sum(1),
        1 + 2 * torch.cos(angle),
        atol=1e-5,
        rtol=0)


def test_quat_to_rotmat_hand_values_and_normalisation():
    c = math.cos(math.pi / 4)
    quat = torch.tensor([[c, c, 0, 0], [c, 0, c, 0], [c, 0, 0, c],
                         [2., 0, 0, 0], [0, 0, 0, 3.]])
    # (0, 0, 0, 1) is 180 degrees about z.
    rz180 = [[-1, 0, 0], [0, -1, 0], [0, 0, 1]]
    expected = torch.tensor([RX90, RY90, RZ90, EYE, rz180],
                            dtype=torch.float32)
    torch.testing.assert_close(
        quat_to_rotmat(quat), expected, atol=1e-6, rtol=0)
    _assert_rotations(quat_to_rotmat(torch.randn(20, 4)))


def test_rot6d_to_rotmat_gram_schmidt():
    # Layout (a1x, a2x, a1y, a2y, a1z, a2z): columns a1 and a2 of a 3x2.
    x = torch.tensor([
        [1., 0, 0, 1, 0, 0],  # identity
        [0, -1, 1, 0, 0, 0],  # a1 = y, a2 = -x: 90 degrees about z
        [2., 1, 0, 3, 0, 0],  # a1 = 2x, a2 = x + 3y: identity after GS
        [1., 0, 0, 0, 0, 1],  # a1 = x, a2 = z: y -> z, 90 degrees about x
    ])
    expected = torch.tensor([EYE, RZ90, EYE, RX90], dtype=torch.float32)
    torch.testing.assert_close(rot6d_to_rotmat(x), expected, atol=1e-6, rtol=0)


def test_rot6d_to_rotmat_random_and_batched_layout():
    x = torch.randn(4, 24 * 6, generator=torch.Generator().manual_seed(1))
    rotmat = rot6d_to_rotmat(x)
    assert rotmat.shape == (96, 3, 3)
    _assert_rotations(rotmat)
    # The first column is a1 normalised, for every joint of every sample.
    a1 = x.reshape(-1, 3, 2)[:, :, 0]
    torch.testing.assert_close(
        rotmat[:, :, 0], a1 / a1.norm(dim=1, keepdim=True), atol=1e-6, rtol=0)


@pytest.mark.parametrize('fn, shape', [(batch_rodrigues, (2, 4)),
                                       (quat_to_rotmat, (2, 3)),
                                       (rot6d_to_rotmat, (2, 5))])
def test_bad_shapes(fn, shape):
    with pytest.raises(ArgumentError, match='shape'):
        fn(torch.zeros(shape))
