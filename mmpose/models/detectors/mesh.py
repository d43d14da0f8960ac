import contextlib
import io

import mmcv
import numpy as np
import torch
from mmcv.image import imwrite
from mmcv.visualization.image import imshow

from mmpose.core.post_processing.post_transforms import transform_preds_batch
from mmpose.core.visualization import imshow_keypoints
from mmpose.utils import check
from .. import builder
from ..mesh_heads.discriminator import SMPLDiscriminator
from ..mesh_heads.hmr_head import MEAN_PARAMS, check_smpl_files
from ..registry import POSENETS
from .base import BasePose


def set_requires_grad(nets, requires_grad=False):
    """Set requires_grad for all the parameters of the networks.

    Args:
        nets (nn.Module | list[nn.Module]): A network or a list of networks
            (None entries are skipped).
        requires_grad (bool): Whether the networks' parameters get gradients.
            Default: False.
    """
    if not isinstance(nets, list):
        nets = [nets]
    for net in nets:
        if net is not None:
            for param in net.parameters():
                param.requires_grad = requires_grad


def build_smpl(smpl, mesh_head=None):
    """Build smplx's neutral SMPL model from a mesh config's ``smpl`` dict.

    Every SMPL file the model needs is checked first (also the head's mean
    parameters, when ``mesh_head`` names them), so one error lists all that
    are missing.

    Args:
        smpl (dict): ``smpl_path``, the folder holding ``SMPL_NEUTRAL.pkl``
            (or that file), and ``joints_regressor``, the ``.npy`` regressor.
        mesh_head (dict | None): The mesh head config.

    Returns:
        tuple[nn.Module, torch.Tensor]: The ``smplx.SMPL`` model and the
        joints regressor [1, K, V].

    Raises:
        FileNotFoundError: Naming the missing files and their config keys.
    """
    check(
        isinstance(smpl, dict) and 'smpl_path' in smpl
        and 'joints_regressor' in smpl,
        'smpl must be a dict with smpl_path and joints_regressor, '
        f'got {smpl!r}')
    model_file = smpl['smpl_path']
    if mmcv.is_str(model_file) and not model_file.endswith('.pkl'):
        model_file = f'{model_file.rstrip("/")}/SMPL_NEUTRAL.pkl'
    files = [(model_file, 'model.smpl.smpl_path',
              'SMPL neutral model (SMPL_NEUTRAL.pkl)'),
             (smpl['joints_regressor'], 'model.smpl.joints_regressor',
              'SMPL joints regressor (joints_regressor_cmr.npy)')]
    mean_params = (mesh_head or {}).get('smpl_mean_params')
    if mean_params is not None:
        files.append((mean_params, *MEAN_PARAMS))
    check_smpl_files(*files)
    try:
        from smplx import SMPL
    except ImportError as e:
        raise ImportError('ParametricMesh needs the smplx package: '
                          'pip install smplx') from e
    # smplx prints a notice for every 10-beta model (every SMPL release).
    with contextlib.redirect_stdout(io.StringIO()):
        model = SMPL(model_path=model_file)
    regressor = np.load(smpl['joints_regressor'])
    num_vertices = model.v_template.shape[0]
    check(
        regressor.ndim == 2 and regressor.shape[1] == num_vertices,
        f'the joints regressor {smpl["joints_regressor"]!r} must have shape '
        f'[K, {num_vertices}] (one column per SMPL vertex), '
        f'got {regressor.shape}')
    return model, torch.tensor(regressor, dtype=torch.float).unsqueeze(0)


@POSENETS.register_module()
class ParametricMesh(BasePose):
    """Model-based 3D human mesh detector. Take a single color image as input
    and output 3D joints, SMPL parameters and camera parameters.

    The generator (``backbone`` + ``mesh_head``) regresses SMPL parameters
    and a weak-perspective camera; SMPL turns them into a mesh, and a fixed
    regressor turns the mesh into joints. With ``disc`` and ``loss_gan`` an
    SMPL discriminator is trained against real parameters (``mosh_theta``)
    as an adversarial prior.

    Args:
        backbone (dict): Backbone modules to extract feature.
        mesh_head (dict): Mesh head to process feature.
        smpl (dict): Config for SMPL model: ``smpl_path`` (folder with
            ``SMPL_NEUTRAL.pkl``) and ``joints_regressor`` (``.npy`` file).
        disc (dict): Discriminator for SMPL parameters (arguments of
            ``SMPLDiscriminator``). Default: None.
        loss_gan (dict): Config for adversarial loss. Default: None.
        loss_mesh (dict): Config for mesh loss. Default: None.
        train_cfg (dict): Config for training (``disc_step``).
            Default: None.
        test_cfg (dict): Config for testing. Default: None.
        pretrained (str): Path to the pretrained models.
    """

    # yapf: disable
    def __init__(self, backbone, mesh_head, smpl, disc=None, loss_gan=None,
                 loss_mesh=None, train_cfg=None, test_cfg=None,
                 pretrained=None):
        # yapf: enable
        super().__init__()
        # SMPL files first: without them nothing below is worth building.
        self.smpl, joints_regressor = build_smpl(smpl, mesh_head)
        self.register_buffer('joints_regressor', joints_regressor)
        self.backbone = builder.build_backbone(backbone)
        self.mesh_head = builder.build_head(mesh_head)
        self.generator = torch.nn.Sequential(self.backbone, self.mesh_head)

        self.with_gan = disc is not None and loss_gan is not None
        if self.with_gan:
            self.discriminator = SMPLDiscriminator(**disc)
            self.loss_gan = builder.build_loss(loss_gan)
        self.disc_step_count = 0

        self.train_cfg = train_cfg
        self.test_cfg = test_cfg
        self.loss_mesh = builder.build_loss(loss_mesh)
        self.init_weights(pretrained=pretrained)

    def init_weights(self, pretrained=None):
        """Weight initialization for model."""
        self.backbone.init_weights(pretrained)
        self.mesh_head.init_weights()
        if self.with_gan:
            self.discriminator.init_weights()

    def _smpl_vertices(self, pose, beta, pose2rot):
        """Mesh vertices of SMPL poses (root rotation first) and shapes."""
        if pose2rot:
            global_orient, body_pose = pose[:, :3], pose[:, 3:]
        else:
            global_orient, body_pose = pose[:, :1], pose[:, 1:]
        return self.smpl(
            betas=beta,
            body_pose=body_pose,
            global_orient=global_orient,
            pose2rot=pose2rot).vertices

    def train_step(self, data_batch, optimizer, **kwargs):
        """Train step function.

        In this function, the detector will finish the train step following
        the pipeline: 1. get fake and real SMPL parameters 2. optimize
        discriminator (if have) 3. optimize generator.

        If ``train_cfg['disc_step'] > 1``, the train step will contain
        multiple iterations for optimizing discriminator with different input
        data and only one iteration for optimizing generator after
        ``disc_step`` iterations for discriminator.

        Note:
            batch size: N
            keypoint number: K

        Args:
            data_batch (dict): ``img`` [N, 3, H, W], ``joints_2d`` [N, K, 2],
                ``joints_2d_visible`` [N, K, 1], ``joints_3d`` [N, K, 3],
                ``joints_3d_visible`` [N, K, 1], ``pose`` [N, 72], ``beta``
                [N, 10], ``has_smpl`` [N] and, for the discriminator,
                ``mosh_theta`` [N, 85] (camera, axis-angle pose, shape).
            optimizer (dict[torch.optim.Optimizer]): Dict with optimizers for
                generator and discriminator (if have).

        Returns:
            dict: ``loss``, ``log_vars`` (information for the logger) and
            ``num_samples``.
        """
        img = data_batch['img']
        num_samples = len(img)
        pred_pose, pred_beta, pred_camera = self.generator(img)
        disc_step = (self.train_cfg or {}).get('disc_step', 1)

        if self.with_gan and disc_step > 0:
            set_requires_grad(self.discriminator, True)
            fake_data = (pred_camera.detach(), pred_pose.detach(),
                         pred_beta.detach())
            mosh_theta = data_batch['mosh_theta']
            real_data = (mosh_theta[:, :3], mosh_theta[:,
                                                       3:75], mosh_theta[:,
                                                                         75:])
            disc_losses = dict(
                real_loss=self.loss_gan(
                    self.discriminator(real_data),
                    target_is_real=True,
                    is_disc=True),
                fake_loss=self.loss_gan(
                    self.discriminator(fake_data),
                    target_is_real=False,
                    is_disc=True))
            loss_disc, log_vars_d = self._parse_losses(disc_losses)
            optimizer['discriminator'].zero_grad()
            loss_disc.backward()
            optimizer['discriminator'].step()
            self.disc_step_count = (self.disc_step_count + 1) % disc_step
            if self.disc_step_count != 0:
                return dict(
                    loss=loss_disc,
                    log_vars=log_vars_d,
                    num_samples=num_samples)

        pred_vertices = self._smpl_vertices(
            pred_pose, pred_beta, pose2rot=False)
        with torch.no_grad():
            gt_vertices = self._smpl_vertices(
                data_batch['pose'].float(),
                data_batch['beta'].float(),
                pose2rot=True)
        pred = dict(
            pose=pred_pose,
            beta=pred_beta,
            camera=pred_camera,
            vertices=pred_vertices,
            joints_3d=self.get_3d_joints_from_mesh(pred_vertices))
        target = {
            key: data_batch[key]
            for key in [
                'pose', 'beta', 'has_smpl', 'joints_3d', 'joints_2d',
                'joints_3d_visible', 'joints_2d_visible'
            ]
        }
        target['vertices'] = gt_vertices
        losses = self.loss_mesh(pred, target)

        if self.with_gan:
            # The generator is judged, the discriminator stays as it is.
            set_requires_grad(self.discriminator, False)
            pred_score = self.discriminator(
                (pred_camera, pred_pose, pred_beta))
            losses['adv_loss'] = self.loss_gan(
                pred_score, target_is_real=True, is_disc=False)

        loss, log_vars = self._parse_losses(losses)
        optimizer['generator'].zero_grad()
        loss.backward()
        optimizer['generator'].step()
        return dict(loss=loss, log_vars=log_vars, num_samples=num_samples)

    def forward_train(self, *args, **kwargs):
        """Forward function for training.

        For ParametricMesh, we do not use this interface: ``train_step``
        steps both optimizers itself.
        """
        raise NotImplementedError('This interface should not be used in '
                                  'current training schedule. Please use '
                                  '`train_step` for training.')

    def val_step(self, data_batch, **kwargs):
        """Forward function for evaluation.

        Args:
            data_batch (dict): Contain data for forward.

        Returns:
            dict: The output of ``forward_test``.
        """
        return self.forward_test(**data_batch, **kwargs)

    def forward_dummy(self, img):
        """Used for computing network FLOPs.

        See ``tools/get_flops.py``.

        Args:
            img (torch.Tensor): Input image.

        Returns:
            tuple[torch.Tensor]: The generator's output (rotations, shape,
            camera).
        """
        return self.generator(img)

    def forward_test(self, img, img_metas, **kwargs):
        """Defines the computation performed at every call when testing.

        Note:
            batch size: N
            keypoint number: K
            vertex number: V

        Args:
            img (torch.Tensor[N, 3, H, W]): Input images.
            img_metas (list[dict]): Per image ``image_file``, ``center``,
                ``scale`` and optionally ``bbox_score``.
            return_vertices (bool): Also return the mesh vertices.
                Default: False.
            return_faces (bool): Also return the mesh faces. Default: False.

        Returns:
            dict: ``keypoints_3d`` np.ndarray[N, K, 3], ``smpl_pose``
            np.ndarray[N, 24, 3, 3] (rotation matrices), ``smpl_beta``
            np.ndarray[N, 10], ``camera`` np.ndarray[N, 3] (scale, x and y
            translation), ``bboxes`` np.ndarray[N, 6] (center, scale, area,
            score), ``image_path`` list[str] and, when asked for,
            ``vertices`` np.ndarray[N, V, 3] and ``faces`` np.ndarray[F, 3].
            The keys are those MMPose 0.x's later releases use; every image
            of the batch is handled (0.14 asserted one per batch).
        """
        check(
            img.size(0) == len(img_metas),
            f'got {img.size(0)} images and {len(img_metas)} img_metas')
        pred_pose, pred_beta, pred_camera = self.generator(img)
        pred_vertices = self._smpl_vertices(
            pred_pose, pred_beta, pose2rot=False)
        pred_joints_3d = self.get_3d_joints_from_mesh(pred_vertices)

        def to_numpy(tensor):
            return tensor.detach().cpu().numpy()

        all_preds = dict(
            keypoints_3d=to_numpy(pred_joints_3d),
            smpl_pose=to_numpy(pred_pose),
            smpl_beta=to_numpy(pred_beta),
            camera=to_numpy(pred_camera))
        if kwargs.get('return_vertices', False):
            all_preds['vertices'] = to_numpy(pred_vertices)
        if kwargs.get('return_faces', False):
            all_preds['faces'] = np.asarray(self.smpl.faces)

        all_boxes = np.zeros((len(img_metas), 6), dtype=np.float32)
        for i, meta in enumerate(img_metas):
            all_boxes[i, 0:2] = np.asarray(meta['center']).reshape(-1)[:2]
            all_boxes[i, 2:4] = np.broadcast_to(
                np.asarray(meta['scale'], np.float32).reshape(-1)[:2], 2)
            all_boxes[i, 5] = np.asarray(meta.get('bbox_score',
                                                  1.0)).reshape(-1)[0]
        all_boxes[:, 4] = np.prod(all_boxes[:, 2:4] * 200.0, axis=1)
        all_preds['bboxes'] = all_boxes
        all_preds['image_path'] = [meta['image_file'] for meta in img_metas]
        return all_preds

    def get_3d_joints_from_mesh(self, vertices):
        """Get 3D joints from 3D mesh using predefined joints regressor.

        Args:
            vertices (torch.Tensor[N, V, 3]): Mesh vertices.

        Returns:
            torch.Tensor[N, K, 3]: The regressed joints.
        """
        return torch.matmul(self.joints_regressor, vertices)

    def forward(self, img, img_metas=None, return_loss=False, **kwargs):
        """Forward function.

        Calls either forward_train or forward_test depending on whether
        return_loss=True.

        Note:
            batch size: N
            image channels, height, width: C (3), H, W

        Args:
            img (torch.Tensor[N, C, H, W]): Input images.
            img_metas (list(dict)): Information about data augmentation
                (``image_file``, ``center``, ``scale``, ``rotation``,
                ``bbox_score``).
            return_loss (bool): Option to return loss. `return loss=True`
                for training, `return loss=False` for validation & test.

        Returns:
            Return predicted 3D joints, SMPL parameters, boxes and image
            paths (see ``forward_test``).
        """
        if return_loss:
            return self.forward_train(img, img_metas, **kwargs)
        return self.forward_test(img, img_metas, **kwargs)

    def project_joints(self, result):
        """Project the predicted 3D joints into the original images.

        The weak-perspective camera places them in the input crop (as
        ``MeshLoss`` does); the box (center, scale) maps the crop back.

        Note:
            batch size: N
            keypoint number: K

        Args:
            result (dict): The output of ``forward_test`` (``keypoints_3d``,
                ``camera``, ``bboxes``).

        Returns:
            np.ndarray[N, K, 2]: Joints in original image pixels.
        """
        img_res = self.loss_mesh.img_res
        joints_crop = self.loss_mesh.project_points(
            torch.as_tensor(result['keypoints_3d'], dtype=torch.float64),
            torch.as_tensor(result['camera'], dtype=torch.float64)).numpy()
        boxes = result['bboxes']
        return transform_preds_batch(joints_crop + (img_res - 1) / 2,
                                     boxes[:, 0:2], boxes[:, 2:4],
                                     [img_res, img_res])

    def show_result(self,
                    img,
                    result,
                    pose_kpt_color=None,
                    radius=4,
                    thickness=1,
                    win_name='',
                    show=False,
                    wait_time=0,
                    out_file=None,
                    **kwargs):
        """Visualize the results: the predicted 3D joints projected into the
        image with the predicted camera.

        Note:
            keypoint number: K

        Args:
            img (str | np.ndarray): Image path or BGR image.
            result (dict): The output of ``forward_test``.
            pose_kpt_color (np.ndarray[K, 3] | None): Keypoint colours;
                None draws all in green.
            radius (int): Keypoint radius. Default: 4.
            thickness (int): Unused (no skeleton is drawn); kept for the
                arguments other detectors' ``show_result`` take. Default: 1.
            win_name (str): Title of the window when shown. Default: ''.
            show (bool): Show the drawing in a window. Default: False.
            wait_time (int): Milliseconds to wait for a key when shown (0:
                until one is pressed). Default: 0.
            out_file (str | None): Where to write the drawing. Default: None.

        Returns:
            np.ndarray[H, W, 3]: The image with the joints drawn.
        """
        img = mmcv.imread(img).copy()
        joints = self.project_joints(result)
        num_joints = joints.shape[1]
        if pose_kpt_color is None:
            pose_kpt_color = np.tile([[0, 255, 0]], (num_joints, 1))
        scored = np.concatenate(
            [joints, np.ones(joints.shape[:2] + (1, ))], axis=2)
        imshow_keypoints(
            img,
            list(scored),
            kpt_score_thr=0,
            pose_kpt_color=pose_kpt_color,
            radius=radius)
        if out_file is not None:
            imwrite(img, out_file)
        if show:
            imshow(img, win_name, wait_time)
        return img
