"""Pipeline steps of the InterHand2.6M hand datasets: the hand-aware flip and
the relative root depth target."""
import numpy as np

from ..registry import PIPELINES
from .top_down_transform import TopDownRandomFlip


@PIPELINES.register_module()
class HandRandomFlip(TopDownRandomFlip):
    """Data augmentation with random image flip. A child class of
    TopDownRandomFlip.

    Besides the image, joints and center flipped by ``TopDownRandomFlip``,
    a flip swaps the two hand-type entries (right, left) and negates the
    depth of the left root relative to the right one. The flipped values
    are new arrays: the caller's ``hand_type`` is left untouched.

    Required keys: 'img', 'joints_3d', 'joints_3d_visible', 'center',
    'hand_type', 'rel_root_depth' and 'ann_info'.
    Modifies key: 'img', 'joints_3d', 'joints_3d_visible', 'center',
    'hand_type', 'rel_root_depth' and 'flipped'.

    Args:
        flip_prob (float): Probability of flip.
    """

    def __call__(self, results):
        """Perform data augmentation with random image flip."""
        results = super().__call__(results)
        if results['flipped']:
            # the first two entries are (right, left), as InterHand2.6M
            # writes them: a mirrored right hand looks like a left one
            hand_type = np.array(results['hand_type'], copy=True)
            hand_type[[0, 1]] = hand_type[[1, 0]]
            results['hand_type'] = hand_type
            results['rel_root_depth'] = -results['rel_root_depth']
        return results


@PIPELINES.register_module()
class HandGenerateRelDepthTarget:
    """Generate the target relative root depth.

    The depth of the left root relative to the right one, ``d``, in
    ``[-root_depth_bound / 2, root_depth_bound / 2]`` is mapped linearly
    onto the ``heatmap_size_root`` bins ``D``:
    ``target = (d / root_depth_bound + 0.5) * D``. The target counts (weight
    1) only where ``rel_root_valid`` and ``0 <= target <= D``.

    Required keys: 'rel_root_depth', 'rel_root_valid', 'ann_info'.
    Modified keys: 'target', 'target_weight'.

    ``results['ann_info']`` provides 'heatmap_size_root' (D) and
    'root_depth_bound'. Both outputs are ``np.ndarray[1]`` float32.
    """

    def __call__(self, results):
        """Generate the target relative root depth."""
        cfg = results['ann_info']
        bins = cfg['heatmap_size_root']
        target = (results['rel_root_depth'] / cfg['root_depth_bound'] +
                  0.5) * bins
        target_weight = results['rel_root_valid'] * (target >= 0) * (
            target <= bins)
        results['target'] = np.full(1, target, dtype=np.float32)
        results['target_weight'] = np.full(1, target_weight, dtype=np.float32)
        return results

    def __repr__(self):
        return f'{self.__class__.__name__}()'
