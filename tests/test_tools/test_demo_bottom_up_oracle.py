"""Oracle check of the bottom-up first run: heatmaps and tags made from a
val image's annotations, in place of the network's outputs, through the
val pipeline, ``BottomUp.forward_test`` (grouping, ``get_group_preds``) and
``BottomUpCocoDataset.evaluate``, must give an AP close to 1. A decode,
projection or scale error anywhere in that chain would show here."""
import os.path as osp
from pathlib import Path

import numpy as np
import pytest
import torch
from mmcv import Config
from mmcv.parallel import MMDataParallel

from mmpose.apis import single_gpu_test
from mmpose.datasets import build_dataloader, build_dataset
from mmpose.models import build_posenet
from tools.dataset.make_synthetic_coco import make_synthetic_coco

CONFIG_DIR = Path(__file__).resolve().parents[2] / 'configs' / 'bottom_up' / \
    'synthetic'
K = 17


@pytest.fixture(scope='module')
def val_root(tmp_path_factory):
    root = tmp_path_factory.mktemp('synthetic_coco')
    make_synthetic_coco(str(root), num_train=1, num_val=16, seed=0)
    return root


def _oracle_maps(joints, out_w, out_h, sigma=2.):
    """Maps a perfect network would give: a Gaussian at each visible
    joint's (truncated) heatmap pixel, as the training targets put it, and
    the tag ``2 * (person + 1)`` in a 5 x 5 patch around it.

    Args:
        joints (np.ndarray[P, K, 3]): x, y in heatmap pixels, visibility.

    Returns:
        torch.Tensor[1, 2K, H, W]: Heatmaps, then tags.
    """
    heatmaps = np.zeros((K, out_h, out_w), np.float32)
    tags = np.zeros((K, out_h, out_w), np.float32)
    yy, xx = np.mgrid[0:out_h, 0:out_w]
    for p, person in enumerate(joints):
        for k, (x, y, vis) in enumerate(person):
            x, y = int(x), int(y)
            if vis <= 0 or not (0 <= x < out_w and 0 <= y < out_h):
                continue
            blob = np.exp(-((xx - x)**2 + (yy - y)**2) / (2 * sigma**2))
            heatmaps[k] = np.maximum(heatmaps[k], blob)
            tags[k, max(0, y - 2):y + 3, max(0, x - 2):x + 3] = 2. * (p + 1)
    return torch.from_numpy(np.concatenate([heatmaps, tags]))[None]


def _oracle_outputs(cfg, root):
    cfg.data.test.ann_file = osp.join(root, 'annotations',
                                      'person_keypoints_val.json')
    cfg.data.test.img_prefix = osp.join(root, 'val') + '/'
    dataset = build_dataset(cfg.data.test, dict(test_mode=True))
    model = build_posenet(cfg.model).eval()
    forward_test = model.forward_test

    def oracle_forward_test(img, img_metas, **kwargs):
        meta = img_metas[0]
        _, _, in_h, in_w = meta['aug_data'][0].shape
        out_w, out_h = in_w // 4, in_h // 4
        # The image region the input shows: ``scale`` * 200 pixels around
        # ``center``, mapped onto the out_w x out_h heatmap.
        size = np.asarray(meta['scale']) * 200.
        origin = np.asarray(meta['center']) - size / 2
        image_id = dataset.name2id[osp.basename(meta['image_file'])]
        anns = dataset.coco.loadAnns(dataset.coco.getAnnIds(image_id))
        joints = np.array([np.reshape(a['keypoints'], (K, 3)) for a in anns],
                          dtype=np.float64)
        joints[..., :2] = (joints[..., :2] - origin) * [out_w, out_h] / size
        maps = _oracle_maps(joints, out_w, out_h)
        model._head_outputs = lambda _: [maps]
        return forward_test(img, img_metas, **kwargs)

    model.forward_test = oracle_forward_test
    loader = build_dataloader(
        dataset,
        samples_per_gpu=1,
        workers_per_gpu=0,
        dist=False,
        shuffle=False)
    return dataset, single_gpu_test(MMDataParallel(model), loader)


@pytest.mark.parametrize('name,min_ap', [('192x192', 0.7), ('256x256', 0.8)])
def test_oracle_maps_give_ap_close_to_one(name, min_ap, val_root, tmp_path):
    cfg = Config.fromfile(str(CONFIG_DIR / f'res18_synthetic_coco_{name}.py'))
    dataset, outputs = _oracle_outputs(cfg, val_root)
    # image pixels per heatmap pixel (the 256 x 256 images fill the input)
    step = 256 / cfg.data.test.data_cfg.heatmap_size[0]
    # every annotated person found once, each joint within a few pixels
    errors = []
    for preds, _, image_paths, _ in outputs:
        image_id = dataset.name2id[osp.basename(image_paths[0])]
        anns = dataset.coco.loadAnns(dataset.coco.getAnnIds(image_id))
        assert len(preds) == len(anns)
        for pred in preds:
            diffs = []
            for ann in anns:
                gt = np.reshape(ann['keypoints'], (K, 3))
                visible = gt[:, 2] > 0
                diffs.append(pred[visible, :2] - gt[visible, :2])
            errors.append(min(diffs, key=lambda d: np.abs(d).mean()))
    errors = np.concatenate(errors)
    # Truncation to the heatmap pixel and 0.14's quarter-pixel step
    # (towards the higher neighbour, else back) leave -1/4 heatmap pixel on
    # average and at most 3/4.
    assert np.abs(errors).max() <= 0.75 * step + 1e-6
    np.testing.assert_allclose(
        errors.mean(axis=0), [-0.25 * step] * 2, atol=0.08 * step)
    results = dataset.evaluate(outputs, str(tmp_path), metric='mAP')
    assert results['AP .5'] == 1.
    assert results['AP'] >= min_ap
