"""Time ``HeatmapParser.parse`` against a port of 0.14's grouping loop.

Usage: ``python tools/benchmark_grouping.py [--people 20] [--size 128]
[--repeat 5] [--runs 5] [--seed 0] [--test-config CONFIG]``

The reference follows 0.14's code: the pure-Python ``munkres`` matcher per
joint type, dicts keyed by tags, and per-person / per-joint Python loops in
adjust and refine. The benchmark checks both group the same people and
prints the times.

With ``--test-config`` it also splits the CPU time of one bottom-up test
(flip test, a 512x512 image) into the network's forward passes and the
rest: the forward passes run on the config's model (random weights), whose
outputs are then replaced by a scene of ``--people`` people at the outputs'
sizes, so that grouping sees a realistic number of detections.
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

# Run from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from mmpose.core.post_processing.group import HeatmapParser  # noqa: E402

COCO_ORDER = [0, 1, 2, 3, 4, 5, 6, 11, 12, 7, 8, 9, 10, 13, 14, 15, 16]


def _munkres_match(scores):
    from munkres import Munkres
    return np.array(Munkres().compute(scores.tolist())).astype(int)


def reference_match_by_tag(tag_k, loc_k, val_k, cfg, matcher=None):
    """0.14's ``_match_by_tag`` for one image."""
    matcher = matcher or _munkres_match
    num_joints = cfg['num_joints']
    order = COCO_ORDER if num_joints == 17 else list(range(num_joints))
    default_ = np.zeros((num_joints, 3 + tag_k.shape[2]), dtype=np.float32)
    joint_dict, tag_dict = {}, {}
    for i in range(num_joints):
        idx = order[i]
        tags = tag_k[idx]
        joints = np.concatenate((loc_k[idx], val_k[idx, :, None], tags), 1)
        mask = joints[:, 2] > cfg['detection_threshold']
        tags, joints = tags[mask], joints[mask]
        if joints.shape[0] == 0:
            continue
        if i == 0 or len(joint_dict) == 0:
            for tag, joint in zip(tags, joints):
                key = tag[0]
                joint_dict.setdefault(key, np.copy(default_))[idx] = joint
                tag_dict[key] = [tag]
            continue
        grouped_keys = list(joint_dict.keys())[:cfg['max_num_people']]
        grouped_tags = [np.mean(tag_dict[k], axis=0) for k in grouped_keys]
        if (cfg['ignore_too_much']
                and len(grouped_keys) == cfg['max_num_people']):
            continue
        diff = joints[:, None, 3:] - np.array(grouped_tags)[None, :, :]
        diff_normed = np.linalg.norm(diff, ord=2, axis=2)
        diff_saved = np.copy(diff_normed)
        if cfg['use_detection_val']:
            diff_normed = np.round(diff_normed) * 100 - joints[:, 2:3]
        num_added, num_grouped = diff.shape[0], diff.shape[1]
        if num_added > num_grouped:
            diff_normed = np.concatenate(
                (diff_normed,
                 np.zeros(
                     (num_added, num_added - num_grouped), dtype=np.float32) +
                 1e10),
                axis=1)
        for row, col in matcher(diff_normed):
            if (row < num_added and col < num_grouped
                    and diff_saved[row][col] < cfg['tag_threshold']):
                key = grouped_keys[col]
                joint_dict[key][idx] = joints[row]
                tag_dict[key].append(tags[row])
            else:
                key = tags[row][0]
                joint_dict.setdefault(key,
                                      np.copy(default_))[idx] = joints[row]
                tag_dict[key] = [tags[row]]
    return np.array([joint_dict[k] for k in joint_dict]).astype(np.float32)


def reference_top_k(heatmaps, tags, cfg):
    """0.14's ``HeatmapParser.top_k`` (tag_per_joint): NMS by MaxPool2d."""
    pool = torch.nn.MaxPool2d(cfg['nms_kernel'], 1, cfg['nms_padding'])
    heatmaps = heatmaps * torch.eq(pool(heatmaps), heatmaps).float()
    N, K, H, W = heatmaps.size()
    val_k, ind = heatmaps.view(N, K, -1).topk(cfg['max_num_people'], dim=2)
    tags = tags.view(tags.size(0), tags.size(1), W * H, -1)
    tag_k = torch.stack(
        [torch.gather(tags[..., i], 2, ind) for i in range(tags.size(3))],
        dim=3)
    ind_k = torch.stack((ind % W, ind // W), dim=3)
    return tag_k.numpy(), ind_k.numpy(), val_k.numpy()


def reference_parse(heatmaps,
                    tags,
                    cfg,
                    adjust=True,
                    refine=True,
                    matcher=None):
    """0.14's ``HeatmapParser.parse`` (non-UDP) with the loops above."""
    top = reference_top_k(heatmaps, tags, cfg)
    ans = [
        reference_match_by_tag(t, loc, v, cfg, matcher)
        for t, loc, v in zip(*top)
    ]
    _, _, H, W = heatmaps.shape
    if adjust:
        for batch_id, people in enumerate(ans):
            for people_id, people_i in enumerate(people):
                for joint_id, joint in enumerate(people_i):
                    if joint[2] > 0:
                        x, y = joint[0:2]
                        xx, yy = int(x), int(y)
                        tmp = heatmaps[batch_id][joint_id]
                        if tmp[min(H - 1, yy + 1), xx] > tmp[max(0, yy - 1),
                                                             xx]:
                            y += 0.25
                        else:
                            y -= 0.25
                        if tmp[yy, min(W - 1, xx + 1)] > tmp[yy,
                                                             max(0, xx - 1)]:
                            x += 0.25
                        else:
                            x -= 0.25
                        ans[batch_id][people_id, joint_id,
                                      0:2] = (x + 0.5, y + 0.5)
    scores = [i[:, 2].mean() for i in ans[0]]
    if refine:
        heatmap = heatmaps[0].cpu().numpy()
        tag = tags[0].cpu().numpy()
        for i in range(len(ans[0])):
            ans[0][i] = _reference_refine(heatmap, tag, ans[0][i])
    return ans, scores


def _reference_refine(heatmap, tag, keypoints):
    K, H, W = heatmap.shape
    if len(tag.shape) == 3:
        tag = tag[..., None]
    tags = []
    for i in range(K):
        if keypoints[i, 2] > 0:
            x, y = keypoints[i][:2].astype(int)
            x = np.clip(x, 0, W - 1)
            y = np.clip(y, 0, H - 1)
            tags.append(tag[i, y, x])
    prev_tag = np.mean(tags, axis=0)
    ans = []
    for _heatmap, _tag in zip(heatmap, tag):
        distance_tag = (((_tag - prev_tag[None, None, :])**2).sum(axis=2)**0.5)
        norm_heatmap = _heatmap - np.round(distance_tag)
        y, x = np.unravel_index(np.argmax(norm_heatmap), _heatmap.shape)
        xx, yy = x.copy(), y.copy()
        val = _heatmap[y, x]
        x = x + 0.5
        y = y + 0.5
        if _heatmap[yy, min(W - 1, xx + 1)] > _heatmap[yy, max(0, xx - 1)]:
            x += 0.25
        else:
            x -= 0.25
        if _heatmap[min(H - 1, yy + 1), xx] > _heatmap[max(0, yy - 1), xx]:
            y += 0.25
        else:
            y -= 0.25
        ans.append((x, y, val))
    ans = np.array(ans)
    for i in range(K):
        if ans[i, 2] > 0 and keypoints[i, 2] == 0:
            keypoints[i, :3] = ans[i, :3]
    return keypoints


def make_scene(num_people=20, size=128, num_joints=17, seed=0, missing=0.1):
    """Heatmaps and tags of ``num_people`` people at random places.

    Each person gets a distinct tag (spaced 2 apart, beyond the threshold of
    1); a joint is a Gaussian peak (sigma 2) with the person's tag in a
    5x5 patch around it; a ``missing`` fraction of joints has a weak peak
    (0.05, below the detection threshold) for refine to recover.

    Returns:
        tuple: heatmaps (torch.Tensor[1, K, S, S]), tags
            (torch.Tensor[1, K, S, S, 1]) and the joint locations
            (np.ndarray[P, K, 2], integer pixels) and person tags.
    """
    rng = np.random.default_rng(seed)
    heatmaps = np.zeros((num_joints, size, size), np.float32)
    tags = np.zeros((num_joints, size, size), np.float32)
    person_tags = 2.0 * np.arange(1, num_people + 1)
    yy, xx = np.mgrid[0:size, 0:size]
    locs = np.zeros((num_people, num_joints, 2), np.int64)
    for k in range(num_joints):
        # distinct cells of an 8-px grid keep peaks of one joint apart
        cells = rng.choice((size // 8)**2, num_people, replace=False)
        locs[:, k, 0] = (cells % (size // 8)) * 8 + 4
        locs[:, k, 1] = (cells // (size // 8)) * 8 + 4
        for p in range(num_people):
            x, y = locs[p, k]
            peak = 0.05 if rng.random() < missing else rng.uniform(0.5, 1.0)
            g = peak * np.exp(-((xx - x)**2 + (yy - y)**2) / 8.0)
            heatmaps[k] = np.maximum(heatmaps[k], g)
            tags[k, y - 2:y + 3, x - 2:x + 3] = person_tags[p]
    return (torch.from_numpy(heatmaps)[None],
            torch.from_numpy(tags)[None, ..., None], locs, person_tags)


def grouping_cfg(num_joints=17, max_num_people=30):
    return dict(
        num_joints=num_joints,
        max_num_people=max_num_people,
        detection_threshold=0.1,
        tag_threshold=1,
        use_detection_val=True,
        ignore_too_much=False,
        tag_per_joint=True,
        nms_kernel=5,
        nms_padding=2)


def _best_time(func, repeat):
    """Best CPU time of this process over ``repeat`` runs (one thread), so
    that other processes on a shared machine weigh less on the figure."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        func()
        times.append(time.process_time() - start)
    return min(times)


def test_time_split(config, num_people, seed=0):
    """CPU seconds of one bottom-up test: (total, in forward passes)."""
    from mmcv import Config

    from mmpose.apis import inference_bottom_up_pose_model, init_pose_model
    model = init_pose_model(Config.fromfile(config), device='cpu')
    forward = model._head_outputs
    spent = []

    def scene_outputs(img):
        start = time.process_time()
        outputs = forward(img)
        spent.append(time.process_time() - start)
        # one scene at the largest output size, resized for the others
        hm, tag, _, _ = make_scene(
            num_people, outputs[-1].shape[-1], seed=seed)
        maps = torch.cat([hm, tag[..., 0]], 1)
        if len(spent) % 2 == 0:  # the mirror image's pass
            maps = maps.flip(3)
        return [
            torch.nn.functional.interpolate(
                maps, size=out.shape[2:], mode='nearest')[:, :out.shape[1]]
            for out in outputs
        ]

    model._head_outputs = scene_outputs
    img = np.random.default_rng(seed).integers(
        0, 255, (512, 512, 3), dtype=np.uint8)
    start = time.process_time()
    results, _ = inference_bottom_up_pose_model(model, img)
    total = time.process_time() - start
    return total, sum(spent), len(results)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--people', type=int, default=20)
    parser.add_argument('--size', type=int, default=128)
    parser.add_argument('--repeat', type=int, default=5)
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--test-config', default=None)
    args = parser.parse_args()

    if args.test_config:
        total, forward, found = test_time_split(args.test_config, args.people,
                                                args.seed)
        print(f'{args.test_config}: {total:.2f} s CPU, forward passes '
              f'{forward:.2f} s, the rest {total - forward:.2f} s '
              f'({(total - forward) / total:.1%}); {found} people')

    torch.set_num_threads(1)
    heatmaps, tags, _, _ = make_scene(args.people, args.size, seed=args.seed)
    cfg = grouping_cfg()
    ours = HeatmapParser(cfg)
    got, got_scores = ours.parse(heatmaps, tags)
    ref, ref_scores = reference_parse(heatmaps, tags, cfg)
    np.testing.assert_allclose(got[0], ref[0], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(got_scores, ref_scores, rtol=1e-5)

    # Interleaved runs, each the best of ``repeat`` calls; the median
    # ratio over the runs (the machine may be shared).
    ratios, t_ours, t_ref = [], [], []
    for _ in range(args.runs):
        t_ours.append(
            _best_time(lambda: ours.parse(heatmaps, tags), args.repeat))
        t_ref.append(
            _best_time(lambda: reference_parse(heatmaps, tags, cfg),
                       args.repeat))
        ratios.append(t_ours[-1] / t_ref[-1])
    print(f'{args.people} people, 17 x {args.size} x {args.size}: '
          f'{len(got[0])} grouped, same as the 0.14 port')
    print(f'HeatmapParser.parse: {np.median(t_ours) * 1e3:.1f} ms; '
          f'0.14 port (munkres): {np.median(t_ref) * 1e3:.1f} ms; '
          f'ratio {np.median(ratios):.3f} (median of {args.runs} runs; '
          f'{min(ratios):.3f}-{max(ratios):.3f})')


if __name__ == '__main__':
    main()
