from .bottom_up_eval import (aggregate_results, get_group_preds,
                             get_multi_stage_outputs)
from .eval_hooks import DistEvalHook, EvalHook
from .pose3d_eval import compute_similarity_transform, keypoint_mpjpe
from .top_down_eval import (keypoint_auc, keypoint_epe, keypoint_nme,
                            keypoint_pck_accuracy,
                            keypoints_from_heatmaps, keypoints_from_regression,
                            pose_pck_accuracy, post_dark_udp)

__all__ = [
    'EvalHook', 'DistEvalHook',
    'pose_pck_accuracy', 'keypoints_from_heatmaps',
    'keypoints_from_regression', 'keypoint_pck_accuracy', 'keypoint_auc',
    'keypoint_epe', 'keypoint_nme', 'keypoint_mpjpe', 'compute_similarity_transform',
    'post_dark_udp'
]
__all__ += [
    'aggregate_results', 'get_group_preds', 'get_multi_stage_outputs'
]
