import os.path as osp

import numpy as np
import torch
import torch.nn as nn
from mmcv.cnn import xavier_init

from mmpose.utils import check
from ..registry import HEADS
from .geometric_layers import rot6d_to_rotmat

SMPL_FILES_DOC = 'docs/data_preparation/3d_body_mesh.md'


def check_smpl_files(*files):
    """Fail early, naming every missing file and where it goes, when the
    SMPL-related files a mesh model needs are not there.

    SMPL's model files are licensed and cannot ship with mmpose, so a fresh
    checkout never has them; without this check the error would surface
    deep inside smplx or numpy, one file at a time.

    Args:
        *files (tuple[str, str, str]): Per file: its path (or SMPL model
            folder) as the config names it, the config key that names it,
            and what the file is.

    Raises:
        FileNotFoundError: If any of the files does not exist.
    """
    missing = [
        f'{what} not found: {path!r} (config key `{config_key}`)'
        for path, config_key, what in files if not osp.exists(path)
    ]
    if missing:
        raise FileNotFoundError(
            '; '.join(missing) + '. SMPL model files are licensed and do '
            'not ship with mmpose: download them and put them there (see '
            f'{SMPL_FILES_DOC}).')


MEAN_PARAMS = ('model.mesh_head.smpl_mean_params',
               'SMPL mean parameters (smpl_mean_params.npz)')


@HEADS.register_module()
class MeshHMRHead(nn.Module):
    """SMPL parameters regressor head of "End-to-end Recovery of Human Shape
    and Pose" (HMR, CVPR 2018).

    Starting from the mean SMPL parameters, ``n_iter`` rounds of an MLP on
    the pooled image feature and the current estimate each add a residual to
    the pose (6D rotations), shape and camera.

    Note:
        batch size: N
        channels: C
        feature map height and width: H, W

    Args:
        in_channels (int): Number of input channels C.
        smpl_mean_params (str | None): Path to the ``.npz`` with the mean
            SMPL parameters (``pose`` [144], 24 6D rotations; ``shape``
            [10]; ``cam`` [3]). None starts from zero pose and shape and the
            camera (1, 0, 0). Default: None.
        n_iter (int): Number of regression rounds. Default: 3.
    """

    def __init__(self, in_channels, smpl_mean_params=None, n_iter=3):
        super().__init__()
        check(n_iter >= 1, f'n_iter must be at least 1, got {n_iter}')
        self.in_channels = in_channels
        self.n_iter = n_iter

        npose = 24 * 6
        nbeta = 10
        ncam = 3
        hidden_dim = 1024

        self.fc1 = nn.Linear(in_channels + npose + nbeta + ncam, hidden_dim)
        self.drop1 = nn.Dropout()
        self.fc2 = nn.Linear(hidden_dim, hidden_dim)
        self.drop2 = nn.Dropout()
        self.decpose = nn.Linear(hidden_dim, npose)
        self.decshape = nn.Linear(hidden_dim, nbeta)
        self.deccam = nn.Linear(hidden_dim, ncam)

        if smpl_mean_params is None:
            init_pose = torch.zeros([1, npose])
            init_shape = torch.zeros([1, nbeta])
            init_cam = torch.FloatTensor([[1, 0, 0]])
        else:
            check_smpl_files((smpl_mean_params, *MEAN_PARAMS))
            with np.load(smpl_mean_params) as mean_params:
                mean = {
                    key:
                    torch.from_numpy(mean_params[key].astype(
                        np.float32)).reshape(1, -1)
                    for key in ('pose', 'shape', 'cam')
                }
            init_pose, init_shape, init_cam = (mean['pose'], mean['shape'],
                                               mean['cam'])
        self.register_buffer('init_pose', init_pose)
        self.register_buffer('init_shape', init_shape)
        self.register_buffer('init_cam', init_cam)

    def forward(self, x):
        """Forward function.

        Args:
            x (torch.Tensor[N, C, H, W]): Image feature map.

        Returns:
            tuple[torch.Tensor]: ``pred_rotmat`` [N, 24, 3, 3] (joint
            rotations), ``pred_shape`` [N, 10] (SMPL betas) and
            ``pred_cam`` [N, 3] (weak-perspective scale and x, y
            translation).
        """
        batch_size = x.shape[0]
        x = x.mean(dim=(-2, -1))
        pred_pose = self.init_pose.expand(batch_size, -1)
        pred_shape = self.init_shape.expand(batch_size, -1)
        pred_cam = self.init_cam.expand(batch_size, -1)
        for _ in range(self.n_iter):
            xc = torch.cat([x, pred_pose, pred_shape, pred_cam], 1)
            xc = self.drop1(self.fc1(xc))
            xc = self.drop2(self.fc2(xc))
            pred_pose = self.decpose(xc) + pred_pose
            pred_shape = self.decshape(xc) + pred_shape
            pred_cam = self.deccam(xc) + pred_cam
        pred_rotmat = rot6d_to_rotmat(pred_pose).view(batch_size, 24, 3, 3)
        return pred_rotmat, pred_shape, pred_cam

    def init_weights(self):
        """Initialize the output layers with Xavier (gain 0.01), so the first
        estimate stays close to the mean parameters."""
        for layer in (self.decpose, self.decshape, self.deccam):
            xavier_init(layer, gain=0.01)
