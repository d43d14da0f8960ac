import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
from xtcocotools.coco import COCO

_TOOL = Path(__file__).resolve().parents[2] / 'tools' / 'dataset' / \
    'make_synthetic_coco.py'


def _load_tool():
    spec = importlib.util.spec_from_file_location('make_synthetic_coco',
                                                  _TOOL)
    module = importlib.util.module_from_spec(spec)
    # Registered so that worker processes can pickle its functions.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _digest(folder):
    h = hashlib.sha256()
    for path in sorted(Path(folder).rglob('*')):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def test_writes_valid_coco_keypoints(tmp_path):
    tool = _load_tool()
    train, val = tool.make_synthetic_coco(str(tmp_path), num_train=6,
                                          num_val=3, seed=1, size=(96, 128))
    for ann_file, split, count in ((train, 'train', 6), (val, 'val', 3)):
        coco = COCO(ann_file)
        assert len(coco.getImgIds()) == count
        cat = coco.loadCats(1)[0]
        assert cat['name'] == 'person' and len(cat['keypoints']) == 17
        links = np.array(cat['skeleton'])
        assert links.min() == 1 and links.max() == 17
        anns = coco.loadAnns(coco.getAnnIds())
        assert anns, 'every split has persons'
        for ann in anns:
            img = coco.loadImgs(ann['image_id'])[0]
            assert (tmp_path / split / img['file_name']).exists()
            assert (img['height'], img['width']) == (96, 128)
            kpts = np.array(ann['keypoints']).reshape(17, 3)
            vis = kpts[:, 2]
            assert set(vis.tolist()) <= {0, 1, 2}
            assert ann['num_keypoints'] == int((vis > 0).sum()) > 0
            # Unlabelled keypoints have zero coordinates, labelled ones lie
            # inside the image.
            assert (kpts[vis == 0, :2] == 0).all()
            assert (kpts[vis > 0, 0] <= 127).all()
            assert (kpts[vis > 0, 1] <= 95).all()
            x, y, w, h = ann['bbox']
            assert w > 0 and h > 0 and 0 < ann['area'] <= w * h + 1e-6
            assert ann['iscrowd'] == 0 and ann['category_id'] == 1
    ids = [a['id'] for f in (train, val) for a in json.load(open(f))[
        'annotations']]
    assert len(ids) == len(set(ids))


def test_deterministic_and_seeded(tmp_path):
    tool = _load_tool()
    kwargs = dict(num_train=4, num_val=2, size=(64, 64))
    tool.make_synthetic_coco(str(tmp_path / 'a'), seed=3, **kwargs)
    tool.make_synthetic_coco(str(tmp_path / 'b'), seed=3, nproc=2, **kwargs)
    tool.make_synthetic_coco(str(tmp_path / 'c'), seed=4, **kwargs)
    assert _digest(tmp_path / 'a') == _digest(tmp_path / 'b')
    assert _digest(tmp_path / 'a') != _digest(tmp_path / 'c')


def test_visibility_flags_follow_occlusion_and_border():
    tool = _load_tool()
    flags = []
    for seed in range(40):
        _, anns = tool.render_image(seed, size=(128, 128))
        flags += [a['keypoints'][:, 2] for a in anns]
    flags = np.concatenate(flags)
    # Some keypoints are occluded (1), some cut by the border (0).
    assert (flags == 2).mean() > 0.5
    assert (flags == 1).any() and (flags == 0).any()
