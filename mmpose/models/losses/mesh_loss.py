import torch
import torch.nn as nn

from mmpose.utils import check
from ..mesh_heads.geometric_layers import batch_rodrigues
from ..registry import LOSSES


def perspective_projection(points, rotation, translation, focal_length,
                           camera_center):
    """Project 3D points into the image with a pinhole camera.

    Note:
        batch size: N
        point number: K

    Args:
        points (torch.Tensor[N, K, 3]): 3D points.
        rotation (torch.Tensor[N, 3, 3]): Camera rotation.
        translation (torch.Tensor[N, 3]): Camera translation.
        focal_length (float | torch.Tensor[N]): Focal length in pixels.
        camera_center (torch.Tensor[N, 2]): Principal point in pixels.

    Returns:
        torch.Tensor[N, K, 2]: The projected points in image space.
    """
    points = torch.einsum('nij,nkj->nki', rotation, points)
    points = points + translation.unsqueeze(1)
    projected = points[..., :2] / points[..., 2:]
    if torch.is_tensor(focal_length) and focal_length.dim() > 0:
        focal_length = focal_length.view(-1, 1, 1)
    return projected * focal_length + camera_center.unsqueeze(1)


@LOSSES.register_module()
class MeshLoss(nn.Module):
    """Mix loss for 3D human mesh: on the 2D joints (reprojected with the
    predicted camera), the 3D joints, the mesh vertices and the SMPL
    parameters (when the output has them).

    Note:
        batch size: N
        keypoint number: K
        vertex number: V

    Args:
        joints_2d_loss_weight (float): Weight of the loss on 2D joints.
        joints_3d_loss_weight (float): Weight of the loss on 3D joints.
        vertex_loss_weight (float): Weight of the loss on 3D vertices.
        smpl_pose_loss_weight (float): Weight of the loss on SMPL pose.
        smpl_beta_loss_weight (float): Weight of the loss on SMPL shape.
        img_res (int): Input image resolution.
        focal_length (float): Focal length of the camera model.
            Default: 5000.
    """

    def __init__(self,
                 joints_2d_loss_weight,
                 joints_3d_loss_weight,
                 vertex_loss_weight,
                 smpl_pose_loss_weight,
                 smpl_beta_loss_weight,
                 img_res,
                 focal_length=5000):
        super().__init__()
        check(img_res > 1, f'img_res must be more than 1, got {img_res}')
        self.criterion_vertex = nn.L1Loss(reduction='none')
        self.criterion_joints_2d = nn.SmoothL1Loss(reduction='none')
        self.criterion_joints_3d = nn.SmoothL1Loss(reduction='none')
        self.criterion_regr = nn.MSELoss(reduction='none')

        self.joints_2d_loss_weight = joints_2d_loss_weight
        self.joints_3d_loss_weight = joints_3d_loss_weight
        self.vertex_loss_weight = vertex_loss_weight
        self.smpl_pose_loss_weight = smpl_pose_loss_weight
        self.smpl_beta_loss_weight = smpl_beta_loss_weight
        self.focal_length = focal_length
        self.img_res = img_res

    def joints_2d_loss(self, pred_joints_2d, gt_joints_2d, joints_2d_visible):
        """Smooth-L1 loss on the 2D joints, weighted by their visibility.

        Args:
            pred_joints_2d (torch.Tensor[N, K, 2]): Predicted joints.
            gt_joints_2d (torch.Tensor[N, K, 2]): Ground truth.
            joints_2d_visible (torch.Tensor[N, K, 1]): Visibility.

        Returns:
            torch.Tensor: The mean over all elements.
        """
        conf = joints_2d_visible.float()
        return (conf *
                self.criterion_joints_2d(pred_joints_2d, gt_joints_2d)).mean()

    def joints_3d_loss(self, pred_joints_3d, gt_joints_3d, joints_3d_visible):
        """Smooth-L1 loss on the 3D joints after centring both on the pelvis
        (the mean of joints 2 and 3, the hips), weighted by visibility.

        Args:
            pred_joints_3d (torch.Tensor[N, K, 3]): Predicted joints.
            gt_joints_3d (torch.Tensor[N, K, 3]): Ground truth.
            joints_3d_visible (torch.Tensor[N, K, 1]): Visibility.

        Returns:
            torch.Tensor: The mean over all elements (0 for an empty batch).
        """
        if len(gt_joints_3d) == 0:
            return pred_joints_3d.sum() * 0
        conf = joints_3d_visible.float()
        gt_joints_3d = gt_joints_3d - gt_joints_3d[:, 2:4].mean(
            dim=1, keepdim=True)
        pred_joints_3d = pred_joints_3d - pred_joints_3d[:, 2:4].mean(
            dim=1, keepdim=True)
        return (conf *
                self.criterion_joints_3d(pred_joints_3d, gt_joints_3d)).mean()

    def vertex_loss(self, pred_vertices, gt_vertices, has_smpl):
        """L1 loss on the mesh vertices of the samples with SMPL labels.

        Args:
            pred_vertices (torch.Tensor[N, V, 3]): Predicted vertices.
            gt_vertices (torch.Tensor[N, V, 3]): Ground truth.
            has_smpl (torch.Tensor[N]): 1 where the sample has SMPL labels.

        Returns:
            torch.Tensor: The mean over all elements.
        """
        conf = has_smpl.float().view(-1, 1, 1)
        return (conf *
                self.criterion_vertex(pred_vertices, gt_vertices)).mean()

    def smpl_losses(self, pred_rotmat, pred_betas, gt_pose, gt_betas,
                    has_smpl):
        """MSE losses on the SMPL pose (as rotation matrices) and shape of
        the samples with SMPL labels.

        Args:
            pred_rotmat (torch.Tensor[N, 24, 3, 3]): Predicted rotations.
            pred_betas (torch.Tensor[N, 10]): Predicted shape.
            gt_pose (torch.Tensor[N, 72]): Ground-truth axis-angle pose.
            gt_betas (torch.Tensor[N, 10]): Ground-truth shape.
            has_smpl (torch.Tensor[N]): 1 where the sample has SMPL labels.

        Returns:
            tuple[torch.Tensor]: The pose loss and the shape loss.
        """
        conf = has_smpl.float()
        gt_rotmat = batch_rodrigues(gt_pose.reshape(-1, 3)).view(-1, 24, 3, 3)
        loss_regr_pose = (conf.view(-1, 1, 1, 1) *
                          self.criterion_regr(pred_rotmat, gt_rotmat)).mean()
        loss_regr_betas = (conf.view(-1, 1) *
                           self.criterion_regr(pred_betas, gt_betas)).mean()
        return loss_regr_pose, loss_regr_betas

    def project_points(self, points_3d, camera):
        """Project 3D points with the predicted weak-perspective camera.

        The camera (s, tx, ty) becomes a perspective camera at depth
        ``2 * focal_length / (img_res * s)`` with the principal point at the
        image centre, which is the origin of the result.

        Note:
            batch size: N
            point number: K

        Args:
            points_3d (torch.Tensor[N, K, 3]): 3D points.
            camera (torch.Tensor[N, 3]): Camera parameters (scale,
                translation_x, translation_y).

        Returns:
            torch.Tensor[N, K, 2]: The projected points in pixels, relative
            to the image centre.
        """
        batch_size = points_3d.shape[0]
        cam_t = torch.stack([
            camera[:, 1], camera[:, 2], 2 * self.focal_length /
            (self.img_res * camera[:, 0] + 1e-9)
        ],
                            dim=-1)
        rotation = torch.eye(
            3, device=points_3d.device,
            dtype=points_3d.dtype).expand(batch_size, -1, -1)
        return perspective_projection(
            points_3d,
            rotation=rotation,
            translation=cam_t,
            focal_length=self.focal_length,
            camera_center=camera.new_zeros([batch_size, 2]))

    def forward(self, output, target):
        """Forward function.

        Args:
            output (dict): Predictions: ``vertices`` [N, V, 3],
                ``joints_3d`` [N, K, 3], ``camera`` [N, 3] and optionally
                ``pose`` [N, 24, 3, 3] and ``beta`` [N, 10].
            target (dict): Ground truth: ``vertices`` [N, V, 3],
                ``joints_3d`` [N, K, 3], ``joints_3d_visible`` [N, K, 1],
                ``joints_2d`` [N, K, 2] (pixels of the input image, origin
                top left), ``joints_2d_visible`` [N, K, 1], ``pose``
                [N, 72], ``beta`` [N, 10] and ``has_smpl`` [N].

        Returns:
            dict: ``vertex_loss``, ``smpl_pose_loss`` and ``smpl_beta_loss``
            (when ``output`` has ``pose`` and ``beta``), ``joints_3d_loss``
            and ``joints_2d_loss``, each times its weight.
        """
        losses = {}
        has_smpl = target['has_smpl']
        losses['vertex_loss'] = self.vertex_loss(
            output['vertices'], target['vertices'],
            has_smpl) * self.vertex_loss_weight

        if 'pose' in output and 'beta' in output:
            loss_regr_pose, loss_regr_betas = self.smpl_losses(
                output['pose'], output['beta'], target['pose'], target['beta'],
                has_smpl)
            losses['smpl_pose_loss'] = (
                loss_regr_pose * self.smpl_pose_loss_weight)
            losses['smpl_beta_loss'] = (
                loss_regr_betas * self.smpl_beta_loss_weight)

        pred_joints_3d = output['joints_3d']
        losses['joints_3d_loss'] = self.joints_3d_loss(
            pred_joints_3d, target['joints_3d'],
            target['joints_3d_visible']) * self.joints_3d_loss_weight

        # Both sides in [-1, 1]: the projection's origin is the image centre,
        # the ground truth's the top-left corner.
        scale = 2 / (self.img_res - 1)
        pred_joints_2d = self.project_points(pred_joints_3d,
                                             output['camera']) * scale
        gt_joints_2d = target['joints_2d'] * scale - 1
        losses['joints_2d_loss'] = self.joints_2d_loss(
            pred_joints_2d, gt_joints_2d,
            target['joints_2d_visible']) * self.joints_2d_loss_weight
        return losses


@LOSSES.register_module()
class GANLoss(nn.Module):
    """Define GAN loss.

    Args:
        gan_type (str): Support 'vanilla', 'lsgan', 'wgan', 'hinge'.
        real_label_val (float): The value for real label. Default: 1.0.
        fake_label_val (float): The value for fake label. Default: 0.0.
        loss_weight (float): Loss weight. Default: 1.0. Note that
            loss_weight is only for generators; and it is always 1.0 for
            discriminators.
    """

    def __init__(self,
                 gan_type,
                 real_label_val=1.0,
                 fake_label_val=0.0,
                 loss_weight=1.0):
        super().__init__()
        self.gan_type = gan_type
        self.loss_weight = loss_weight
        self.real_label_val = real_label_val
        self.fake_label_val = fake_label_val

        if self.gan_type == 'vanilla':
            self.loss = nn.BCEWithLogitsLoss()
        elif self.gan_type == 'lsgan':
            self.loss = nn.MSELoss()
        elif self.gan_type == 'wgan':
            self.loss = self._wgan_loss
        elif self.gan_type == 'hinge':
            self.loss = nn.ReLU()
        else:
            raise NotImplementedError(
                f'GAN type {self.gan_type} is not implemented; '
                "use 'vanilla', 'lsgan', 'wgan' or 'hinge'.")

    @staticmethod
    def _wgan_loss(input, target):
        """WGAN loss: minus the mean score for real, the mean for fake.

        Args:
            input (torch.Tensor): Input tensor.
            target (bool): Target label.

        Returns:
            torch.Tensor: The loss.
        """
        return -input.mean() if target else input.mean()

    def get_target_label(self, input, target_is_real):
        """Get target label.

        Args:
            input (torch.Tensor): Input tensor.
            target_is_real (bool): Whether the target is real or fake.

        Returns:
            bool | torch.Tensor: The target itself for 'wgan'; otherwise a
            tensor shaped as ``input`` filled with the real or fake label
            value.
        """
        if self.gan_type == 'wgan':
            return target_is_real
        target_val = (
            self.real_label_val if target_is_real else self.fake_label_val)
        return input.new_full(input.size(), target_val)

    def forward(self, input, target_is_real, is_disc=False):
        """Forward function.

        Args:
            input (torch.Tensor): The input for the loss module, i.e., the
                network prediction.
            target_is_real (bool): Whether the target is real or fake.
            is_disc (bool): Whether the loss is for discriminators or not.
                Default: False.

        Returns:
            torch.Tensor: GAN loss value (times ``loss_weight`` unless
            ``is_disc``).
        """
        if self.gan_type == 'hinge':
            if is_disc:
                input = -input if target_is_real else input
                loss = self.loss(1 + input).mean()
            else:
                loss = -input.mean()
        else:
            loss = self.loss(input,
                             self.get_target_label(input, target_is_real))
        return loss if is_disc else loss * self.loss_weight
