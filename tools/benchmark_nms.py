"""Time ``oks_nms`` / ``soft_oks_nms`` against a per-pair Python reference.

Usage: ``python tools/benchmark_nms.py [--num 400] [--seed 0]``

The reference computes OKS one pair and one keypoint at a time, as a plain
reading of the OKS formula would; the benchmark checks that both give the
same kept indices and prints the speed-ups.
"""
import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

# Run from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from mmpose.core.post_processing import oks_nms, soft_oks_nms  # noqa: E402

# The 17 COCO keypoint sigmas as published with the COCO keypoint API
# (cocoeval.py), written out here so that the reference does not share them
# with the implementation.
REFERENCE_COCO_SIGMAS = [
    .26, .25, .25, .35, .35, .79, .79, .72, .72, .62, .62, 1.07, 1.07, .87,
    .87, .89, .89
]
REFERENCE_COCO_SIGMAS = [s / 10.0 for s in REFERENCE_COCO_SIGMAS]


def reference_oks(g, d, a_g, a_d, sigmas=None, vis_thr=None):
    """OKS of one pair of flattened (x, y, v) keypoint lists, pure Python."""
    sigmas = REFERENCE_COCO_SIGMAS if sigmas is None else sigmas
    total, count = 0.0, 0
    for k, sigma in enumerate(sigmas):
        xg, yg, vg = g[3 * k:3 * k + 3]
        xd, yd, vd = d[3 * k:3 * k + 3]
        if vis_thr is not None and not (vg > vis_thr and vd > vis_thr):
            continue
        sq_dist = (xd - xg)**2 + (yd - yg)**2
        e = sq_dist / (2 * sigma)**2 / ((a_g + a_d) / 2 +
                                        np.spacing(1)) / 2
        total += math.exp(-e)
        count += 1
    # 0.x stores OKS as float32 before thresholding.
    return float(np.float32(total / count)) if count else 0.0


def _db_lists(kpts_db):
    kpts = [list(np.asarray(k['keypoints'], dtype=float).ravel())
            for k in kpts_db]
    return kpts, [float(k['score']) for k in kpts_db], [
        float(k['area']) for k in kpts_db
    ]


def reference_oks_nms(kpts_db, thr, sigmas=None, vis_thr=None):
    """Greedy OKS NMS with one OKS call per pair."""
    kpts, scores, areas = _db_lists(kpts_db)
    order = sorted(range(len(kpts)), key=lambda i: -scores[i])
    keep = []
    while order:
        i = order.pop(0)
        keep.append(i)
        order = [
            j for j in order if reference_oks(kpts[i], kpts[j], areas[i],
                                              areas[j], sigmas, vis_thr) <= thr
        ]
    return keep


def reference_soft_oks_nms(kpts_db, thr, max_dets=20, sigmas=None,
                           vis_thr=None):
    """Soft OKS NMS (Gaussian decay) with one OKS call per pair."""
    kpts, scores, areas = _db_lists(kpts_db)
    ranked = sorted(((scores[i], i) for i in range(len(kpts))),
                    key=lambda t: -t[0])
    keep = []
    while ranked and len(keep) < max_dets:
        _, i = ranked.pop(0)
        keep.append(i)
        ranked = sorted(
            ((s * math.exp(-reference_oks(kpts[i], kpts[j], areas[i],
                                          areas[j], sigmas, vis_thr)**2 / thr),
              j) for s, j in ranked),
            key=lambda t: -t[0])
    return keep


def random_detections(num, seed=0, num_keypoints=17):
    """``num`` detections clustered around ``num // 10`` people, so that NMS
    has overlaps to suppress."""
    rng = np.random.RandomState(seed)
    num_people = max(1, num // 10)
    people = rng.rand(num_people, num_keypoints, 2) * 600
    owner = rng.randint(num_people, size=num)
    xy = people[owner] + rng.randn(num, num_keypoints, 2) * rng.choice(
        [1., 5., 20.], size=(num, 1, 1))
    vis = rng.rand(num, num_keypoints, 1)
    kpts = np.concatenate([xy, vis], axis=2)
    scores = rng.rand(num)
    areas = rng.rand(num) * 20000 + 2000
    return [
        dict(keypoints=kpts[i], score=scores[i], area=areas[i])
        for i in range(num)
    ]


def _best_time(fn, repeat):
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def run(num=400, seed=0, repeat=5):
    """Time both implementations; return {case: (ref_s, vec_s, speed-up)}."""
    kpts_db = random_detections(num, seed)
    cases = {
        'oks_nms(thr=0.9)': (lambda: oks_nms(kpts_db, 0.9),
                             lambda: reference_oks_nms(kpts_db, 0.9)),
        'oks_nms(thr=0.5, vis_thr=0.2)':
        (lambda: oks_nms(kpts_db, 0.5, vis_thr=0.2),
         lambda: reference_oks_nms(kpts_db, 0.5, vis_thr=0.2)),
        'soft_oks_nms(thr=0.3)':
        (lambda: soft_oks_nms(kpts_db, 0.3),
         lambda: reference_soft_oks_nms(kpts_db, 0.3)),
        f'soft_oks_nms(thr=0.3, max_dets={num})':
        (lambda: soft_oks_nms(kpts_db, 0.3, max_dets=num),
         lambda: reference_soft_oks_nms(kpts_db, 0.3, max_dets=num)),
    }
    results = {}
    for name, (vectorised, reference) in cases.items():
        vec_s, kept = _best_time(vectorised, repeat)
        ref_s, ref_kept = _best_time(reference, 1)
        if list(kept) != list(ref_kept):
            raise AssertionError(f'{name}: vectorised kept {list(kept)} but '
                                 f'the reference kept {ref_kept}')
        results[name] = (ref_s, vec_s, ref_s / vec_s, len(kept))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--num', type=int, default=400)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--repeat', type=int, default=5)
    args = parser.parse_args()
    print(f'{args.num} random detections, 17 keypoints (seed {args.seed})')
    for name, (ref_s, vec_s, speedup, kept) in run(args.num, args.seed,
                                                    args.repeat).items():
        print(f'{name:40s} kept {kept:4d}  reference {ref_s * 1e3:9.1f} ms  '
              f'vectorised {vec_s * 1e3:7.2f} ms  speed-up {speedup:6.1f}x')


if __name__ == '__main__':
    main()
