"""Bottom-up test helpers: stage and flip aggregation of heatmaps and tags,
multi-scale aggregation, and mapping grouped people back to the image."""
import numpy as np
import torch
import torch.nn.functional as F

from ..post_processing import get_warp_matrix, warp_affine_joints
from ..post_processing.post_transforms import transform_preds_batch


def _resize(maps, size, align_corners):
    """Bilinear resize of ``maps`` (torch.Tensor[N, C, H, W]) to ``size``
    (height, width)."""
    return F.interpolate(
        maps, size=size, mode='bilinear', align_corners=align_corners)


def _average_stages(outputs, num_joints, with_heatmaps, with_ae,
                    align_corners, flip_index=None, tag_per_joint=True):
    """Average the heatmaps of the stages and collect their tags, after
    resizing every stage to the last one's size. With ``flip_index`` the
    outputs come from a flipped image: each is mirrored back and its
    channels permuted."""
    heatmaps_sum, num_heatmaps, tags, resized = 0, 0, [], []
    size = outputs[-1].shape[2:]
    for i, output in enumerate(outputs):
        if i != len(outputs) - 1:
            output = _resize(output, size, align_corners)
        if flip_index is not None:
            output = torch.flip(output, [3])
        resized.append(output)
        # starting index of the associative embeddings
        offset_feat = num_joints if with_heatmaps[i] else 0
        if with_heatmaps[i]:
            heatmaps = output[:, :num_joints]
            if flip_index is not None:
                heatmaps = heatmaps[:, flip_index]
            heatmaps_sum = heatmaps_sum + heatmaps
            num_heatmaps += 1
        if with_ae[i]:
            tag = output[:, offset_feat:]
            if flip_index is not None and tag_per_joint:
                tag = tag[:, flip_index]
            tags.append(tag)
    average = heatmaps_sum / num_heatmaps if num_heatmaps else None
    return resized, average, tags


def get_multi_stage_outputs(outputs,
                            outputs_flip,
                            num_joints,
                            with_heatmaps,
                            with_ae,
                            tag_per_joint=True,
                            flip_index=None,
                            project2image=True,
                            size_projected=None,
                            align_corners=False):
    """Inference the model to get multi-stage outputs (heatmaps & tags), and
    resize them to base sizes.

    Note:
        Shape letters: N batch, K keypoints, H x W heatmaps; C = K + tag
        channels for an output with heatmaps and tags.

    Args:
        outputs (list(torch.Tensor[N, C, H, W])): Outputs of network
        outputs_flip (list(torch.Tensor[N, C, H, W]) | None): Flip outputs
            of network (None without flip test).
        num_joints (int): Number of joints
        with_heatmaps (list[bool]): Option to output
            heatmaps for different stages.
        with_ae (list[bool]): Option to output
            ae tags for different stages.
        tag_per_joint (bool): Option to use one tag map per joint.
        flip_index (list[int]): Keypoint flip index.
        project2image (bool): Option to resize to base scale.
        size_projected ([w, h]): Base size of heatmaps.
        align_corners (bool): Align corners when performing interpolation.

    Returns:
        tuple: A tuple containing multi-stage outputs.

        - outputs (list(torch.Tensor)): List of simple outputs and
          flip outputs (resized to the last stage's size, the flipped ones
          mirrored back). Unlike 0.14 the ``outputs`` argument is left
          unchanged.
        - heatmaps (list(torch.Tensor[N, K, H, W])): The stage-averaged
          heatmaps, and the flipped-back ones with flip test.
        - tags (list(torch.Tensor)): The tag maps of every stage with tags
          (then those of the flipped image).
    """
    all_outputs = list(outputs)
    _, average, tags = _average_stages(outputs, num_joints, with_heatmaps,
                                       with_ae, align_corners)
    heatmaps = [] if average is None else [average]

    if outputs_flip is not None and flip_index:
        resized, average, flip_tags = _average_stages(
            outputs_flip, num_joints, with_heatmaps, with_ae, align_corners,
            flip_index, tag_per_joint)
        all_outputs.extend(resized)
        heatmaps.append(average)
        tags.extend(flip_tags)

    if project2image and size_projected:
        size = (size_projected[1], size_projected[0])
        heatmaps = [_resize(hms, size, align_corners) for hms in heatmaps]
        tags = [_resize(tms, size, align_corners) for tms in tags]

    return all_outputs, heatmaps, tags


def aggregate_results(scale,
                      aggregated_heatmaps,
                      tags_list,
                      heatmaps,
                      tags,
                      test_scale_factor,
                      project2image,
                      flip_test,
                      align_corners=False):
    """Aggregate multi-scale outputs.

    Note:
        Shape letters: N batch, K keypoints, H x W heatmaps.

    Args:
        scale (int): current scale
        aggregated_heatmaps (torch.Tensor | None): Aggregated heatmaps.
        tags_list (list(torch.Tensor)): Tags list of previous scale.
        heatmaps (List(torch.Tensor[N, K, H, W])): A batch of heatmaps.
        tags (List(torch.Tensor[N, K, H, W])): A batch of tag maps.
        test_scale_factor (List(int)): Multi-scale factor for testing.
        project2image (bool): Option to resize to base scale.
        flip_test (bool): Option to use flip test.
        align_corners (bool): Align corners when performing interpolation.

    Returns:
        tuple: a tuple containing aggregated results.

        - aggregated_heatmaps (torch.Tensor): Heatmaps with multi scale
          (summed, in place as in 0.14 when it was given).
        - tags_list (list(torch.Tensor[N, K, H, W, 1])): Tag list of multi
          scale (``tags_list``, extended by the tags of scale 1 only).
    """
    if scale == 1 or len(test_scale_factor) == 1:
        if aggregated_heatmaps is not None and not project2image:
            tags = [
                _resize(tms, aggregated_heatmaps.shape[2:], align_corners)
                for tms in tags
            ]
        for tms in tags:
            tags_list.append(torch.unsqueeze(tms, dim=4))

    heatmaps_avg = (heatmaps[0] +
                    heatmaps[1]) / 2.0 if flip_test else heatmaps[0]

    if aggregated_heatmaps is None:
        aggregated_heatmaps = heatmaps_avg
    elif project2image:
        aggregated_heatmaps += heatmaps_avg
    else:
        aggregated_heatmaps += _resize(heatmaps_avg,
                                       aggregated_heatmaps.shape[2:],
                                       align_corners)

    return aggregated_heatmaps, tags_list


def get_group_preds(grouped_joints,
                    center,
                    scale,
                    heatmap_size,
                    use_udp=False):
    """Transform the grouped joints back to the image.

    Note:
        Shape letters: P people, K keypoints, L tag dims.

    Args:
        grouped_joints (list[np.ndarray[P, K, 3 + L]]): Grouped person
            joints (of one image, as the first list entry).
        center (np.ndarray[2, ]): Center of the bounding box (x, y).
        scale (np.ndarray[2, ]): Scale of the bounding box
            wrt [width, height] (pixels / 200; with UDP, in pixels).
        heatmap_size (np.ndarray[2, ]): Size of the destination heatmaps.
        use_udp (bool): Unbiased data processing.
             Paper ref: Huang et al. The Devil is in the Details: Delving into
             Unbiased Data Processing for Human Pose Estimation (CVPR 2020).

    Returns:
        list[np.ndarray[K, 3 + L]]: List of the pose result for each person
            (x, y in the image, then the other columns unchanged; 0.14 set
            them to 1 without UDP).
    """
    people = grouped_joints[0]
    if len(people) == 0:
        return []
    if use_udp:
        heatmap_size_t = np.array(heatmap_size, dtype=np.float32) - 1.0
        trans = get_warp_matrix(
            theta=0,
            size_input=heatmap_size_t,
            size_dst=scale,
            size_target=heatmap_size_t)
        people[..., :2] = warp_affine_joints(people[..., :2], trans)
        return list(people)
    # One transform_preds for all people. 0.14's transform_preds set every
    # column but x and y to 1 (scores included); here they are kept.
    num_people = len(people)
    coords = transform_preds_batch(
        people, np.tile(np.asarray(center, dtype=np.float64), (num_people, 1)),
        np.tile(np.asarray(scale, dtype=np.float64), (num_people, 1)),
        heatmap_size)
    return list(coords)
