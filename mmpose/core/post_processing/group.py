"""Grouping of bottom-up detections into people by associative embedding.

Paper ref: Newell et al. Associative Embedding: End-to-End Learning for Joint
Detection and Grouping (NIPS 2017).

0.14 matched each joint type with the pure-Python ``munkres`` package and
walked people and joints in Python loops; here matching uses
``scipy.optimize.linear_sum_assignment`` (the same optimum) and adjust /
refine work on all people and joints at once.
"""
import numpy as np
import torch
from scipy.optimize import linear_sum_assignment

from mmpose.utils import check
from ..codecs.udp_heatmap import post_dark_udp

# COCO grouping order: head, shoulders, hips, then the limbs outwards.
_COCO_JOINT_ORDER = [0, 1, 2, 3, 4, 5, 6, 11, 12, 7, 8, 9, 10, 13, 14, 15, 16]


def _max_pool(maps, kernel, padding):
    """``MaxPool2d(kernel, 1, padding)`` as running maxima of shifted views,
    rows then columns (max is separable; torch's CPU max pooling is an
    order of magnitude slower). Used off the CPU; see :func:`_max_pool_np`.

    Args:
        maps (torch.Tensor[N, K, H, W]): Input maps.
        kernel (int): Window size.
        padding (int): Implicit -inf padding on each side.

    Returns:
        torch.Tensor[N, K, H + 2p - kernel + 1, W + 2p - kernel + 1]: The
            pooled maps.
    """
    out = maps
    for dim in (2, 3):
        pad = (0, 0, padding, padding) if dim == 2 else (padding, padding)
        padded = torch.nn.functional.pad(out, pad, value=-float('inf'))
        size = padded.size(dim) - kernel + 1
        out = padded.narrow(dim, 0, size).clone()
        for i in range(1, kernel):
            torch.maximum(out, padded.narrow(dim, i, size), out=out)
    return out


def _centred_max(src, padding, step, scratch, out):
    """Maxima of ``2 * padding + 1`` elements ``step`` apart, centred on
    each element of a contiguous 1-D array, by doubling windows (3 passes
    for a window of 5 instead of 4), each pass over the whole array.

    Elements whose window leaves the array (or the row: the caller fixes
    those) are left as they come.

    Args:
        src (np.ndarray[S]): Input.
        padding (int): Half the window (> 0).
        step (int): Distance of the window's elements.
        scratch (tuple[np.ndarray[S]]): Two buffers, neither ``src`` nor
            ``out``.
        out (np.ndarray[S]): Output; may be ``src`` if the window is 3.

    Returns:
        np.ndarray[S]: ``out``.
    """
    kernel, size = 2 * padding + 1, src.size
    width, done, i = 1, 0, 0
    while width < kernel:
        grow = min(width, kernel - width)
        width += grow
        shift, done = grow * step, done + grow * step
        num = size - done  # windows of ``width`` that fit
        if num <= 0:
            break
        if width == kernel:  # last pass: centre the windows
            np.maximum(
                src[:num],
                src[shift:shift + num],
                out=out[padding * step:padding * step + num])
        else:
            dst = scratch[i % 2]
            np.maximum(src[:num], src[shift:shift + num], out=dst[:num])
            src, i = dst, i + 1
    return out


def _edge_max(maps, padding, axis):
    """Pooled values of the ``padding`` lines at both ends of ``axis``,
    whose windows are clipped by the border.

    Args:
        maps (np.ndarray): Input.
        padding (int): Half the window size.
        axis (int): The axis.

    Returns:
        list[tuple]: ``(i, first, last)``: the pooled line ``i`` from
            either end (``i < padding``).
    """
    size = maps.shape[axis]
    line = lambda i: np.take(maps, min(max(i, 0), size - 1), axis=axis)
    first, last = line(0).copy(), line(size - 1).copy()
    for j in range(1, padding + 1):
        np.maximum(first, line(j), out=first)
        np.maximum(last, line(size - 1 - j), out=last)
    edges = []
    for i in range(min(padding, size)):
        edges.append((i, first.copy(), last.copy()))
        np.maximum(first, line(i + padding + 1), out=first)
        np.maximum(last, line(size - 2 - i - padding), out=last)
    return edges


def _max_pool_np(maps, padding, bufs=None):
    """``MaxPool2d(2 * padding + 1, 1, padding)`` of a NumPy array.

    Separable: columns then rows, each a running maximum over the whole
    array as one 1-D array (no padded copies); the ``padding`` rows and
    columns at the borders, whose windows are clipped, are redone.

    Args:
        maps (np.ndarray[N, K, H, W]): Input maps.
        padding (int): Half the window size.
        bufs (list[np.ndarray], optional): Three scratch arrays of
            ``maps.size`` elements and its dtype, the last of which is
            returned (reusing them saves the page faults of fresh memory).

    Returns:
        np.ndarray[N, K, H, W]: The pooled maps.
    """
    p = padding
    N, K, H, W = maps.shape
    if p == 0:
        return maps
    maps = np.ascontiguousarray(maps).reshape(N * K, H, W)
    if bufs is None:
        bufs = [np.empty(maps.size, maps.dtype) for _ in range(3)]
    cols = _centred_max(maps.reshape(-1), p, W, bufs[:2],
                        bufs[2]).reshape(N * K, H, W)
    for i, first, last in _edge_max(maps, p, 1):
        cols[:, i], cols[:, H - 1 - i] = first, last
    edges = _edge_max(cols, p, 2)
    # ``cols`` is free once its edges are read: the last pass writes on it
    pooled = _centred_max(cols.reshape(-1), p, 1, bufs[:2],
                          bufs[2]).reshape(N * K, H, W)
    for i, first, last in edges:
        pooled[:, :, i], pooled[:, :, W - 1 - i] = first, last
    return pooled.reshape(N, K, H, W)


def _py_max_match(scores):
    """Apply a minimum-cost assignment.

    Args:
        scores (np.ndarray[R, C]): Matching costs.

    Returns:
        np.ndarray[min(R, C), 2]: (row, col) pairs of the assignment.
    """
    rows, cols = linear_sum_assignment(scores)
    return np.stack((rows, cols), axis=1).astype(int)


def _match_by_tag(inp, params):
    """Match joints by tags: joint types in ``params.joint_order``, each
    assigned to the people found so far by minimum cost (tag distance,
    rounded and less the detection score with ``use_detection_val``).

    Note:
        Shape letters: K keypoints, M candidates per keypoint
        (max_num_people), L tag dims (2 with flip test, else 1), P people.

    Args:
        inp (tuple): ``(tag_k, loc_k, val_k)`` of one image, as
            :meth:`HeatmapParser.top_k` gives them without the batch axis:
            np.ndarray[K, M, L], np.ndarray[K, M, 2] and np.ndarray[K, M].
        params (_Params): Grouping parameters.

    Returns:
        np.ndarray[P, K, 3 + L]: The people (x, y, score, tags per joint).
    """
    check(
        isinstance(params, _Params),
        f'params should be class _Params(), got {type(params).__name__}')

    tag_k, loc_k, val_k = inp
    num_joints = params.num_joints
    num_tags = tag_k.shape[2]
    # At most one person per candidate; people in creation order.
    capacity = max(1, tag_k.shape[0] * tag_k.shape[1])
    people = np.zeros((capacity, num_joints, 3 + num_tags), np.float32)
    tag_sums = np.zeros((capacity, num_tags))
    tag_counts = np.zeros(capacity)
    # 0.14 keyed people by the first tag value of the joint that created
    # them: a later person created with an equal key lands on the same
    # record.
    key_index = {}

    def new_people(idx, joints, tags):
        for row, key in enumerate(tags[:, 0].tolist()):
            p = key_index.setdefault(key, len(key_index))
            people[p, idx] = joints[row]
            tag_sums[p] = tags[row]
            tag_counts[p] = 1

    for i in range(num_joints):
        idx = params.joint_order[i]
        mask = val_k[idx] > params.detection_threshold
        if not mask.any():
            continue
        tags = tag_k[idx][mask]
        # float64, as 0.14's concatenation of integer locations
        joints = np.concatenate(
            (loc_k[idx][mask], val_k[idx][mask, None], tags), 1)

        if i == 0 or not key_index:
            new_people(idx, joints, tags)
            continue

        num_grouped = min(len(key_index), params.max_num_people)
        if params.ignore_too_much and num_grouped == params.max_num_people:
            continue
        grouped_tags = tag_sums[:num_grouped] / tag_counts[:num_grouped, None]
        diff = joints[:, None, 3:] - grouped_tags[None, :, :]
        # np.linalg.norm's own formula, without its overhead
        diff_saved = np.sqrt(np.add.reduce(diff * diff, axis=2))
        diff_normed = diff_saved
        if params.use_detection_val:
            diff_normed = np.round(diff_normed) * 100 - joints[:, 2:3]

        # Rows beyond the number of people stay unassigned and start new
        # people, as 0.14's padding with 1e10 columns did.
        rows, cols = linear_sum_assignment(diff_normed)
        close = diff_saved[rows, cols] < params.tag_threshold
        rows, cols = rows[close], cols[close]
        people[cols, idx] = joints[rows]
        tag_sums[cols] += tags[rows]
        tag_counts[cols] += 1
        unmatched = np.ones(len(joints), dtype=bool)
        unmatched[rows] = False
        if unmatched.any():
            new_people(idx, joints[unmatched], tags[unmatched])

    return people[:len(key_index)]


def _refine_people(heatmap, tag, people, use_udp=False, max_elements=1 << 22):
    """:meth:`HeatmapParser.refine` for all people of an image at once.

    People are independent (each refines its own joints from the same
    maps), so each joint type's map is searched for all people missing it
    at once (in chunks of at most ``max_elements`` pixels).

    Args:
        heatmap (np.ndarray[K, H, W]): Heatmaps.
        tag (np.ndarray[K, H, W] | np.ndarray[K, H, W, L]): Tag maps.
        people (np.ndarray[P, K, 3 + L]): Modified in place.
        use_udp (bool): No 0.5 pixel-centre offset.
        max_elements (int): Chunk size of the search.

    Returns:
        np.ndarray[P, K, 3 + L]: ``people``.
    """
    K, H, W = heatmap.shape
    if tag.ndim == 3:
        tag = tag[..., None]
    if len(people) == 0:
        return people
    detected = people[:, :, 2] > 0
    counts = detected.sum(axis=1)
    xs = np.clip(people[..., 0].astype(int), 0, W - 1)
    ys = np.clip(people[..., 1].astype(int), 0, H - 1)
    # mean tag of each person's detected joints
    tag_at = tag[np.arange(K)[None], ys, xs] * detected[..., None]
    prev_tag = tag_at.sum(axis=1) / np.maximum(counts, 1)[:, None].astype(
        tag.dtype)
    # Only joints not yet detected can change: search their maps, one
    # joint type at a time (its map broadcast against its people's tags).
    missing = (people[:, :, 2] == 0) & (counts > 0)[:, None]
    heatmap = heatmap.reshape(K, H * W)
    tag = tag.reshape(K, H * W, -1)
    for k in np.flatnonzero(missing.any(axis=0)):
        who = np.flatnonzero(missing[:, k])
        step = max(1, max_elements // (H * W))
        for start in range(0, len(who), step):
            p = who[start:start + step]
            best = _tag_scores(heatmap[k], tag[k], prev_tag[p]).argmax(axis=1)
            x, y, val = _quarter_offset(heatmap[k].reshape(H, W), best,
                                        use_udp)
            # add the keypoints that were not detected
            add = val > 0
            people[p[add], k, 0] = x[add]
            people[p[add], k, 1] = y[add]
            people[p[add], k, 2] = val[add]
    return people


def _tag_scores(maps, tags, prev_tags):
    """Heatmap values less the rounded distance of each pixel's tag to
    each person's tag.

    Args:
        maps (np.ndarray[S]): Heatmap values of S pixels.
        tags (np.ndarray[S, L]): Their tags.
        prev_tags (np.ndarray[P, L]): The people's mean tags.

    Returns:
        np.ndarray[P, S]: The scores.
    """
    # one tag plane at a time (a reduction over a short last axis is slow)
    norm = np.empty((len(prev_tags), len(maps)),
                    dtype=np.result_type(tags.dtype, prev_tags.dtype))
    if tags.shape[1] == 1:
        np.subtract(tags[None, :, 0], prev_tags[:, 0, None], out=norm)
        np.abs(norm, out=norm)
    else:
        plane = np.empty_like(norm)
        norm.fill(0)
        for i in range(tags.shape[1]):
            np.subtract(tags[None, :, i], prev_tags[:, i, None], out=plane)
            np.multiply(plane, plane, out=plane)
            norm += plane
        np.sqrt(norm, out=norm)
    np.round(norm, out=norm)
    return np.subtract(maps[None], norm, out=norm)


def _quarter_offset(heatmap, flat, use_udp):
    """Pixels moved a quarter pixel towards their higher neighbour in x and
    y (and to pixel centres unless UDP), as 0.14's refine.

    Args:
        heatmap (np.ndarray[H, W]): The joint type's heatmap.
        flat (np.ndarray[P]): Flat pixel indices.
        use_udp (bool): No 0.5 pixel-centre offset.

    Returns:
        tuple[np.ndarray[P]]: x, y and the heatmap value there.
    """
    H, W = heatmap.shape
    yy, xx = np.divmod(flat, W)
    val = heatmap[yy, xx]
    offset = 0. if use_udp else 0.5
    x = xx + offset + np.where(
        heatmap[yy, np.minimum(W - 1, xx + 1)]
        > heatmap[yy, np.maximum(0, xx - 1)], 0.25, -0.25)
    y = yy + offset + np.where(
        heatmap[np.minimum(H - 1, yy + 1), xx] > heatmap[np.maximum(0, yy - 1),
                                                         xx], 0.25, -0.25)
    return x, y, val


class _Params:
    """A class of parameter.

    Args:
        cfg(Config): config.
    """

    def __init__(self, cfg):
        self.num_joints = cfg['num_joints']
        self.max_num_people = cfg['max_num_people']

        self.detection_threshold = cfg['detection_threshold']
        self.tag_threshold = cfg['tag_threshold']
        self.use_detection_val = cfg['use_detection_val']
        self.ignore_too_much = cfg['ignore_too_much']

        if self.num_joints == 17:
            self.joint_order = list(_COCO_JOINT_ORDER)
        else:
            self.joint_order = list(np.arange(self.num_joints))


class HeatmapParser:
    """The heatmap parser for post processing.

    Args:
        cfg (dict): The test config: num_joints, max_num_people,
            detection_threshold, tag_threshold, use_detection_val,
            ignore_too_much, tag_per_joint, nms_kernel, nms_padding and
            optionally use_udp.
    """

    def __init__(self, cfg):
        self.params = _Params(cfg)
        self.tag_per_joint = cfg['tag_per_joint']
        self.pool = torch.nn.MaxPool2d(cfg['nms_kernel'], 1,
                                       cfg['nms_padding'])
        self.use_udp = cfg.get('use_udp', False)
        # scratch of the CPU max pooling, kept for the next call of the
        # same size: fresh memory costs a page fault per 4 KiB
        self._nms_bufs = (None, None)

    def nms(self, heatmaps):
        """Non-Maximum Suppression for heatmaps.

        Args:
            heatmaps (torch.Tensor[N, K, H, W]): Heatmaps.

        Returns:
            torch.Tensor[N, K, H, W]: Heatmaps, zero except at local maxima.
        """
        kernel, padding = self.pool.kernel_size, self.pool.padding
        if (kernel == 2 * padding + 1 and heatmaps.device.type == 'cpu'
                and heatmaps.dtype in (torch.float32, torch.float64)):
            maps = heatmaps.detach().numpy()
            key = (maps.size, maps.dtype)
            if self._nms_bufs[0] != key:
                self._nms_bufs = (key, [
                    np.empty(maps.size, maps.dtype) for _ in range(3)
                ])
            pooled = _max_pool_np(maps, padding, self._nms_bufs[1])
            out = np.zeros_like(maps)
            np.copyto(out, maps, where=pooled == maps)
            return torch.from_numpy(out)
        maxm = _max_pool(heatmaps, kernel, padding)
        return torch.where(maxm == heatmaps, heatmaps, 0.)

    def match(self, tag_k, loc_k, val_k):
        """Group keypoints to human poses in a batch.

        Args:
            tag_k (np.ndarray[NxKxMxL]): tag corresponding to the
                top k values of feature map per keypoint.
            loc_k (np.ndarray[NxKxMx2]): top k locations of the
                feature maps for keypoint.
            val_k (np.ndarray[NxKxM]): top k value of the
                feature maps for keypoint.

        Returns:
            list[np.ndarray[P, K, 3 + L]]: The grouped people of each image.
        """
        return [
            _match_by_tag(inp, self.params)
            for inp in zip(tag_k, loc_k, val_k)
        ]

    def top_k(self, heatmaps, tags):
        """Find top_k values in an image.

        Note:
            batch size: N
            number of keypoints: K
            heatmap height: H
            heatmap width: W
            max number of people: M
            dim of tags: L
                If use flip testing, L=2; else L=1.

        Args:
            heatmaps (torch.Tensor[NxKxHxW])
            tags (torch.Tensor[NxKxHxWxL])

        Return:
            dict: A dict containing top_k values.

            - tag_k (np.ndarray[NxKxMxL]):
                tag corresponding to the top k values of
                feature map per keypoint.
            - loc_k (np.ndarray[NxKxMx2]):
                top k location of feature map per keypoint.
            - val_k (np.ndarray[NxKxM]):
                top k value of feature map per keypoint.
        """
        heatmaps = self.nms(heatmaps)
        N, K, H, W = heatmaps.size()
        heatmaps = heatmaps.view(N, K, -1)
        val_k, ind = heatmaps.topk(self.params.max_num_people, dim=2)

        tags = tags.view(tags.size(0), tags.size(1), W * H, -1)
        if not self.tag_per_joint:
            tags = tags.expand(-1, self.params.num_joints, -1, -1)

        tag_k = torch.gather(tags, 2,
                             ind[..., None].expand(-1, -1, -1, tags.size(3)))

        x = ind % W
        y = ind // W
        ind_k = torch.stack((x, y), dim=3)

        return {
            'tag_k': tag_k.detach().cpu().numpy(),
            'loc_k': ind_k.cpu().numpy(),
            'val_k': val_k.detach().cpu().numpy()
        }

    @staticmethod
    def adjust(ans, heatmaps):
        """Adjust the coordinates for better accuracy: a quarter pixel
        towards the higher neighbour in x and y, plus 0.5 (pixel centres).

        Note:
            batch size: N
            number of keypoints: K
            heatmap height: H
            heatmap width: W

        Args:
            ans (list[np.ndarray[P, K, 3 + L]]): Keypoint predictions of each
                image (modified in place, only detected joints).
            heatmaps (torch.Tensor[NxKxHxW]): Heatmaps.

        Returns:
            list[np.ndarray[P, K, 3 + L]]: ``ans``.
        """
        _, _, H, W = heatmaps.shape
        maps = heatmaps.detach().cpu().numpy()
        for batch_id, people in enumerate(ans):
            if len(people) == 0:
                continue
            p_idx, k_idx = np.nonzero(people[..., 2] > 0)
            x = people[p_idx, k_idx, 0]
            y = people[p_idx, k_idx, 1]
            xx, yy = x.astype(int), y.astype(int)
            tmp = maps[batch_id]
            dy = np.where(
                tmp[k_idx, np.minimum(H - 1, yy + 1), xx]
                > tmp[k_idx, np.maximum(0, yy - 1), xx], 0.25, -0.25)
            dx = np.where(
                tmp[k_idx, yy, np.minimum(W - 1, xx + 1)]
                > tmp[k_idx, yy, np.maximum(0, xx - 1)], 0.25, -0.25)
            people[p_idx, k_idx, 0] = x + dx + 0.5
            people[p_idx, k_idx, 1] = y + dy + 0.5
        return ans

    @staticmethod
    def refine(heatmap, tag, keypoints, use_udp=False):
        """Given initial keypoint predictions, we identify missing joints.

        Note:
            Shape letters: K keypoints, H x W heatmap, L tag dims (2 with
            flip test, else 1).

        Args:
            heatmap (np.ndarray[K, H, W]): Heatmaps of one image.
            tag (np.ndarray[K, H, W] | np.ndarray[K, H, W, L]): Tag maps.
            keypoints (np.ndarray[K, 3 + L]): One person: (x, y, score,
                tags); modified in place.
            use_udp (bool): Unbiased data processing (no 0.5 pixel-centre
                offset).

        Returns:
            np.ndarray[K, 3 + L]: ``keypoints``, each undetected joint set
                (x, y, score) to its best match of the person's mean tag.
        """
        return _refine_people(heatmap, tag, keypoints[None], use_udp)[0]

    def parse(self, heatmaps, tags, adjust=True, refine=True):
        """Group keypoints into poses given heatmap and tag.

        Note:
            Shape letters: N images (grouping uses the first), K
            keypoints, H x W heatmaps, L tag dims (2 with flip test).

        Args:
            heatmaps (torch.Tensor[N, K, H, W]): model output heatmaps.
            tags (torch.Tensor[N, K, H, W, L]): model output tagmaps.
            adjust (bool): Quarter-pixel adjustment (DARK with UDP).
            refine (bool): Fill each person's undetected joints.

        Returns:
            tuple: A tuple containing keypoint grouping results.

            - ans (list(np.ndarray[P, K, 3 + L])): Pose results per image
              (x, y, score, tags).
            - scores (list): Score of people (mean score of its joints).
        """
        # plain arrays from here on, also outside torch.no_grad()
        heatmaps, tags = heatmaps.detach(), tags.detach()
        ans = self.match(**self.top_k(heatmaps, tags))

        if adjust:
            if self.use_udp:
                for i in range(len(ans)):
                    if ans[i].shape[0] > 0:
                        ans[i][..., :2] = post_dark_udp(
                            ans[i][..., :2].copy(), heatmaps[i:i + 1, :])
            else:
                ans = self.adjust(ans, heatmaps)

        scores = [i[:, 2].mean() for i in ans[0]]

        if refine:
            people = ans[0]
            heatmap_numpy = heatmaps[0].cpu().numpy()
            tag_numpy = tags[0].cpu().numpy()
            if not self.tag_per_joint:
                tag_numpy = np.tile(tag_numpy,
                                    (self.params.num_joints, 1, 1, 1))
            ans = [
                _refine_people(heatmap_numpy, tag_numpy, people, self.use_udp)
            ]

        return ans, scores
