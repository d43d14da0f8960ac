"""The dataset converters of tools/dataset (Animal-Pose xml, COFW .mat,
DeepPoseKit h5, MacaquePose csv, H36M preprocessing) on tiny inputs that the
tests write; expected values are written out by hand, and the json they
write loads with the matching dataset class."""
import json
import pickle
import textwrap

import cv2
import numpy as np
import pytest
from scipy.io import savemat

from dataset_fixtures import make_data_cfg
from mmpose.core.camera import SimpleCamera
from mmpose.datasets import (AnimalMacaqueDataset, AnimalPoseDataset,
                             AnimalZebraDataset, FaceCOFWDataset)
from mmpose.datasets.builder import build_dataset
from tools.dataset import converter_utils
from tools.dataset import parse_animalpose_dataset as animalpose
from tools.dataset import parse_cofw_dataset as cofw
from tools.dataset import parse_deepposekit_dataset as deepposekit
from tools.dataset import parse_macaquepose_dataset as macaque
from tools.dataset import preprocess_h36m as h36m


def _image(path, height, width, value=0):
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), np.full((height, width, 3), value, np.uint8))


def _load(path):
    with open(path) as f:
        return json.load(f)


@pytest.mark.parametrize('tool', [animalpose, cofw, deepposekit, macaque,
                                  h36m])
def test_help(tool, capsys):
    with pytest.raises(SystemExit) as e:
        tool.parse_args(['--help'])
    assert e.value.code == 0
    assert 'usage' in capsys.readouterr().out


# --------------------------------------------------------------------------
# Animal-Pose

_XML = """<annotation><image>{image}</image><category>{category}</category>
<visible_bounds height="{h}" width="{w}" xmin="{x}" {yname}="{y}"/>
<keypoints>{keypoints}</keypoints></annotation>"""


def _write_animal_xml(path, image, category, box, points, yname='ymin'):
    """``points``: name -> (x, y, visible)."""
    kpts = ''.join(
        f'<keypoint name="{name}" visible="{v}" x="{x}" y="{y}" z="0"/>'
        for name, (x, y, v) in points.items())
    x, y, w, h = box
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        _XML.format(image=image, category=category, x=x, y=y, w=w, h=h,
                    yname=yname, keypoints=kpts))


@pytest.fixture
def animalpose_root(tmp_path):
    root = tmp_path / 'animalpose'
    voc = root / 'PASCAL2011_animal_annotation'
    # two dogs on one VOC image, one cat on another
    _write_animal_xml(voc / 'dog' / '2007_000063_1.xml', '2007_000063', 'dog',
                      (10, 20, 30, 40), {
                          'L_Eye': (11, 21, 1),
                          'R_B_Paw': (35, 55, 1),
                          'Nose': (5, 5, 0)
                      })
    _write_animal_xml(voc / 'dog' / '2007_000063_2.xml', '2007_000063', 'dog',
                      (50, 20, 10, 10), {'Throat': (52, 25, 1)})
    _write_animal_xml(voc / 'cat' / '2008_000123_1.xml', '2008_000123', 'cat',
                      (0, 0, 5, 6), {'Withers': (3, 4, 1)})
    _image(root / 'VOC2012/JPEGImages/2007_000063.jpg', 60, 80)
    _image(root / 'VOC2012/JPEGImages/2008_000123.jpg', 30, 40)
    # the second part: other names, ymin written as 'xmax'
    part2 = root / 'animalpose_anno2'
    _write_animal_xml(part2 / 'horse' / 'ho105.xml', 'ho105.jpeg', 'horse',
                      (23, 9, 56, 40), {
                          'L_ear': (30, 18, 1),
                          'Tail': (70, 40, 1),
                          'withers': (50, 20, 1),
                          'L_B_paw': (0, 0, 0)
                      }, yname='xmax')
    _write_animal_xml(part2 / 'cat' / 'ca7.xml', 'ca7.jpeg', 'cat',
                      (1, 2, 30, 30), {'R_eye': (10, 12, 1)}, yname='xmax')
    _image(root / 'animalpose_image_part2/horse/ho105.jpeg', 64, 90)
    _image(root / 'animalpose_image_part2/cat/ca7.jpeg', 40, 50)
    return root


def test_animalpose(animalpose_root):
    root = animalpose_root
    animalpose.main(['--data-root', str(root), '--val-ann-num', '1'])
    ann_dir = root / 'annotations'
    trainval = _load(ann_dir / 'animalpose_trainval.json')
    assert [(img['id'], img['file_name'], img['height'], img['width'])
            for img in trainval['images']
            ] == [(2008000123, 'VOC2012/JPEGImages/2008_000123.jpg', 30, 40),
                  (2007000063, 'VOC2012/JPEGImages/2007_000063.jpg', 60, 80)]
    cat, dog1, dog2 = trainval['annotations']
    assert [a['id'] for a in trainval['annotations']] == [1000000, 1000001,
                                                          1000002]
    assert dog1['image_id'] == dog2['image_id'] == 2007000063
    kpts = np.array(dog1['keypoints']).reshape(20, 3)
    # L_Eye (0), R_B_Paw (19); Nose (4) is not visible: not labelled
    expected = np.zeros((20, 3))
    expected[0] = 11, 21, 2
    expected[19] = 35, 55, 2
    np.testing.assert_array_equal(kpts, expected)
    assert dog1['num_keypoints'] == 2
    assert dog1['bbox'] == [10, 20, 30, 40] and dog1['area'] == 1200
    assert (dog1['iscrowd'], dog1['category_id']) == (0, 1)
    assert cat['keypoints'][7 * 3:7 * 3 + 3] == [3, 4, 2]

    # validation takes whole images while they fit: the one-cat image
    train = _load(ann_dir / 'animalpose_train.json')
    val = _load(ann_dir / 'animalpose_val.json')
    assert [a['id'] for a in val['annotations']] == [1000000]
    assert [a['id'] for a in train['annotations']] == [1000001, 1000002]
    assert [img['id'] for img in train['images']] == [2007000063]

    test = _load(ann_dir / 'animalpose_test.json')
    # cat 0 * 1000 + 7, horse 3 * 1000 + 105; files sorted: cat first
    assert [(img['id'], img['file_name']) for img in test['images']] == [
        (7, 'animalpose_image_part2/cat/ca7.jpeg'),
        (3105, 'animalpose_image_part2/horse/ho105.jpeg')
    ]
    horse = test['annotations'][1]
    assert horse['id'] == 1 and horse['bbox'] == [23, 9, 56, 40]
    kpts = np.array(horse['keypoints']).reshape(20, 3)
    np.testing.assert_array_equal(kpts[[2, 6, 7, 18]],
                                  [[30, 18, 2], [70, 40, 2], [50, 20, 2],
                                   [0, 0, 0]])

    dataset = AnimalPoseDataset(
        str(ann_dir / 'animalpose_test.json'), str(root) + '/',
        make_data_cfg(20), [], test_mode=True)
    assert [r['image_file'] for r in dataset.db] == [
        f'{root}/animalpose_image_part2/cat/ca7.jpeg',
        f'{root}/animalpose_image_part2/horse/ho105.jpeg'
    ]
    np.testing.assert_array_equal(dataset.db[1]['joints_3d'][[2, 6], :2],
                                  [[30, 18], [70, 40]])
    np.testing.assert_array_equal(dataset.db[1]['joints_3d_visible'][:, 0],
                                  kpts[:, 2] > 0)


def test_animalpose_errors(animalpose_root, tmp_path):
    with pytest.raises(FileNotFoundError, match='no_such_folder'):
        animalpose.list_all_files(str(tmp_path / 'no_such_folder'))
    bad = tmp_path / 'bad.xml'
    bad.write_text('<annotation><image>x</image></annotation>')
    with pytest.raises(ValueError, match='bad.xml.*not an Animal-Pose'):
        animalpose.parse_xml(str(bad))
    missing_image = tmp_path / 'm' / 'a.xml'
    _write_animal_xml(missing_image, '2009_000001', 'dog', (0, 0, 1, 1),
                      {'Nose': (0, 0, 1)})
    with pytest.raises(FileNotFoundError, match='2009_000001.jpg'):
        animalpose.xml2coco_trainval([str(missing_image)],
                                     str(animalpose_root),
                                     str(tmp_path / 'out.json'))


# --------------------------------------------------------------------------
# COFW


def _cofw_phis(num, rng):
    xs = rng.uniform(10, 40, (num, 29)).round(2)
    ys = rng.uniform(10, 40, (num, 29)).round(2)
    occluded = (rng.uniform(size=(num, 29)) < 0.3).astype(float)
    return xs, ys, occluded


def _write_cofw_mat(path, suffix, images, bboxes, phis):
    cells = np.empty((len(images), 1), dtype=object)
    for i, img in enumerate(images):
        cells[i, 0] = img
    savemat(str(path), {
        f'Is{suffix}': cells,
        f'bboxes{suffix}': bboxes,
        f'phis{suffix}': phis
    })


def test_cofw(tmp_path):
    rng = np.random.RandomState(0)
    root = tmp_path / 'cofw'
    root.mkdir()
    xs, ys, occ = _cofw_phis(3, rng)
    # RGB red, a grey image, RGB blue
    train_images = [
        np.zeros((50, 45, 3), np.uint8),
        np.full((48, 44), 128, np.uint8)
    ]
    train_images[0][..., 0] = 255
    test_images = [np.zeros((52, 46, 3), np.uint8)]
    test_images[0][..., 2] = 255
    _write_cofw_mat(root / 'COFW_train_color.mat', 'Tr', train_images,
                    np.array([[5., 6., 30., 32.], [1., 2., 40., 41.]]),
                    np.hstack([xs[:2], ys[:2], occ[:2]]))
    _write_cofw_mat(root / 'COFW_test_color.mat', 'T', test_images,
                    np.array([[3., 4., 35., 36.]]),
                    np.hstack([xs[2:], ys[2:], occ[2:]]))
    cofw.main(['--data-root', str(root)])

    train = _load(root / 'annotations' / 'cofw_train.json')
    test = _load(root / 'annotations' / 'cofw_test.json')
    # numbering runs through both files
    assert [(i['id'], i['file_name'], i['height'], i['width'])
            for i in train['images']] == [(1, '000001.jpg', 50, 45),
                                          (2, '000002.jpg', 48, 44)]
    assert [(i['id'], i['file_name']) for i in test['images']] == [
        (3, '000003.jpg')
    ]
    ann = test['annotations'][0]
    assert (ann['id'], ann['image_id']) == (3, 3)
    assert ann['bbox'] == [3, 4, 35, 36] and ann['area'] == 35 * 36
    assert ann['num_keypoints'] == 29
    kpts = np.array(ann['keypoints']).reshape(29, 3)
    np.testing.assert_allclose(kpts[:, 0], xs[2])
    np.testing.assert_allclose(kpts[:, 1], ys[2])
    np.testing.assert_array_equal(kpts[:, 2], np.where(occ[2] > 0, 1, 2))
    # RGB in the .mat -> BGR on disk (jpeg: close, not exact)
    red = cv2.imread(str(root / 'images' / '000001.jpg'))
    np.testing.assert_allclose(red.reshape(-1, 3).mean(0), [0, 0, 255],
                               atol=3)
    blue = cv2.imread(str(root / 'images' / '000003.jpg'))
    np.testing.assert_allclose(blue.reshape(-1, 3).mean(0), [255, 0, 0],
                               atol=3)

    dataset = FaceCOFWDataset(
        str(root / 'annotations' / 'cofw_train.json'),
        str(root / 'images') + '/',
        make_data_cfg(29, image_size=(256, 256)), [], test_mode=True)
    assert len(dataset.db) == 2
    np.testing.assert_allclose(dataset.db[1]['joints_3d'][:, :2],
                               np.c_[xs[1], ys[1]], rtol=1e-6)
    # occluded landmarks are labelled (visibility 1)
    assert (dataset.db[1]['joints_3d_visible'][:, :2] == 1).all()


def test_cofw_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='COFW file .*nothing.mat'):
        cofw.load_cofw_mat(str(tmp_path / 'nothing.mat'), 'T')
    savemat(str(tmp_path / 'other.mat'), {'x': np.zeros(2)})
    with pytest.raises(KeyError, match='IsT, bboxesT, phisT'):
        cofw.load_cofw_mat(str(tmp_path / 'other.mat'), 'T')
    with pytest.raises(ValueError, match=r'\[N, 87\].*\(2, 86\)'):
        cofw.phis_to_keypoints(np.zeros((2, 86)))


# --------------------------------------------------------------------------
# DeepPoseKit


def test_deepposekit_arrays(tmp_path):
    csv_file = tmp_path / 'skeleton.csv'
    # DeepPoseKit's zebra skeleton
    csv_file.write_text('name,parent,swap\nsnout,,\nhead,snout,\n'
                        'neck,head,\nforelegL1,neck,forelegR1\n'
                        'forelegR1,neck,forelegL1\n'
                        'hindlegL1,tailbase,hindlegR1\n'
                        'hindlegR1,tailbase,hindlegL1\ntailbase,neck,\n'
                        'tailtip,tailbase,\n')
    names, skeleton = deepposekit.read_skeleton_csv(str(csv_file))
    assert names[:3] == ['snout', 'head', 'neck'] and len(names) == 9
    # as in MMPose's zebra json
    assert skeleton == [[2, 1], [3, 2], [4, 3], [5, 3], [6, 8], [7, 8],
                        [8, 3], [9, 8]]

    rng = np.random.RandomState(0)
    images = rng.randint(0, 255, (4, 24, 32, 1)).astype(np.uint8)
    base = np.array([[2, 3], [4, 5], [6, 9], [8, 7], [3, 3], [4, 4], [5, 5],
                     [6, 6], [7, 7]], float)
    annotations = base + np.arange(4)[:, None, None]
    annotated = np.ones((4, 9), bool)
    annotated[1, 3] = False
    out = tmp_path / 'zebra'
    content = deepposekit.save_coco_anno(
        images, annotations, annotated, [3, 1], names, skeleton, 'zebra',
        str(out / 'images'), str(out / 'annotations' / 'zebra_train.json'))
    assert [(i['id'], i['file_name'], i['height'], i['width'])
            for i in content['images']] == [(3, '3.jpg', 24, 32),
                                            (1, '1.jpg', 24, 32)]
    ann = content['annotations'][1]
    # image 1: coordinates + 1, forelegL1 not annotated
    expected = [[3, 4, 2], [5, 6, 2], [7, 10, 2], [0, 0, 0], [4, 4, 2],
                [5, 5, 2], [6, 6, 2], [7, 7, 2], [8, 8, 2]]
    assert ann['keypoints'] == sum(expected, [])
    assert ann['num_keypoints'] == 8 and ann['id'] == 1
    # the box around the annotated points (x 3..8, y 4..10), last pixel in
    assert ann['bbox'] == [3, 4, 6, 7] and ann['area'] == 42
    assert content['categories'][0]['keypoints'] == names
    assert content['categories'][0]['name'] == 'zebra'
    assert cv2.imread(str(out / 'images' / '3.jpg')).shape == (24, 32, 3)

    dataset = AnimalZebraDataset(
        str(out / 'annotations' / 'zebra_train.json'), str(out / 'images') +
        '/', make_data_cfg(9), [], test_mode=True)
    np.testing.assert_array_equal(dataset.db[1]['joints_3d'][:, :2],
                                  np.array(expected)[:, :2])
    np.testing.assert_array_equal(dataset.db[1]['joints_3d_visible'][:, 0],
                                  [1, 1, 1, 0, 1, 1, 1, 1, 1])

    train, test = deepposekit.split_indices(20, seed=0)
    assert len(test) == 2 and len(train) == 18
    assert sorted(np.r_[train, test].tolist()) == list(range(20))


def test_deepposekit_h5(tmp_path):
    csv_file = tmp_path / 'src' / 'zebra' / 'skeleton.csv'
    csv_file.parent.mkdir(parents=True)
    csv_file.write_text('name,parent,swap\nsnout,,\nhead,snout,\n')
    h5_file = csv_file.parent / 'annotation_data_release.h5'
    try:
        import h5py
    except ImportError:
        h5_file.write_bytes(b'not read')
        with pytest.raises(ImportError, match="'h5py'.*pip install h5py"):
            deepposekit.read_h5(str(h5_file))
        return
    with h5py.File(h5_file, 'w') as f:
        f['images'] = np.zeros((10, 8, 8, 1), np.uint8)
        f['annotations'] = np.full((10, 2, 2), 3.)
        f['annotated'] = np.ones((10, 2), bool)
    deepposekit.main([
        '--src-root',
        str(tmp_path / 'src'), '--out-root',
        str(tmp_path / 'out'), '--datasets', 'zebra'
    ])
    test = _load(tmp_path / 'out/zebra/annotations/zebra_test.json')
    assert len(test['images']) == 1


def test_deepposekit_errors(tmp_path):
    (tmp_path / 'bad.csv').write_text('name,parent\nhead,\nneck,tail\n')
    with pytest.raises(ValueError, match="parent 'tail' of 'neck'"):
        deepposekit.read_skeleton_csv(str(tmp_path / 'bad.csv'))
    with pytest.raises(FileNotFoundError, match='skeleton file'):
        deepposekit.read_skeleton_csv(str(tmp_path / 'skeleton.csv'))
    with pytest.raises(ValueError, match='do not agree'):
        deepposekit.save_coco_anno(
            np.zeros((2, 4, 4)), np.zeros((2, 3, 2)), np.ones((2, 3)), [0],
            ['a', 'b'], [], 'fly', str(tmp_path), str(tmp_path / 'x.json'))


# --------------------------------------------------------------------------
# MacaquePose


def _monkey(points, polygons):
    kpts = [{
        'name': name,
        'position': points.get(name)
    } for name in macaque.KEYPOINTS]
    return kpts, [{'segment': poly} for poly in polygons]


def test_macaque(tmp_path):
    root = tmp_path / 'macaque'
    rows = []
    # image a: one monkey with two polygons; image b: two monkeys
    monkeys = {
        'a.jpg': [
            _monkey({
                'nose': [12.5, 14],
                'right_ankle': [30, 40]
            }, [[[10, 10], [20, 10], [20, 30], [10, 30]],
                [[25, 35], [31, 35], [28, 41]]])
        ],
        'b.jpg': [
            _monkey({'left_eye': [5, 6]}, [[[0, 0], [8, 0], [8, 8]]]),
            _monkey({}, [[[1, 1], [3, 1], [3, 4], [1, 4]]])
        ]
    }
    for name, animals in monkeys.items():
        kps, segs = zip(*animals)
        rows.append([name, json.dumps(kps), json.dumps(segs)])
        _image(root / 'images' / name, 50, 60)
    root.mkdir(exist_ok=True)
    csv_text = 'image file name,key points,segmentation\n' + ''.join(
        ','.join('"' + c.replace('"', '""') + '"' for c in row) + '\n'
        for row in rows)
    (root / 'annotations.csv').write_text(csv_text)

    rows = macaque.read_rows(str(root / 'annotations.csv'))
    content = macaque.save_coco_anno(
        rows, str(root / 'images'), str(root / 'annotations' / 'x.json'),
        start_img_id=10, start_ann_id=20)
    assert [(i['id'], i['file_name'], i['height'], i['width'])
            for i in content['images']] == [(10, 'a.jpg', 50, 60),
                                            (11, 'b.jpg', 50, 60)]
    first, second, third = content['annotations']
    assert [a['id'] for a in content['annotations']] == [20, 21, 22]
    assert [a['image_id'] for a in content['annotations']] == [10, 11, 11]
    kpts = np.array(first['keypoints']).reshape(17, 3)
    np.testing.assert_array_equal(kpts[[0, 16]], [[12.5, 14, 2], [30, 40, 2]])
    assert first['num_keypoints'] == 2
    # both polygons: x 10..31, y 10..41, pixel-inclusive
    assert first['bbox'] == [10, 10, 22, 32]
    # rectangle 10 x 20 plus triangle base 6, height 6
    assert first['area'] == pytest.approx(200 + 18)
    assert first['segmentation'] == [[10, 10, 20, 10, 20, 30, 10, 30],
                                     [25, 35, 31, 35, 28, 41]]
    assert second['area'] == pytest.approx(32)
    assert third['num_keypoints'] == 0

    # the split: 1 training image, numbering continues in the test file
    macaque.main(['--data-root', str(root), '--num-train', '1'])
    train = _load(root / 'annotations' / 'macaque_train.json')
    test = _load(root / 'annotations' / 'macaque_test.json')
    assert len(train['images']) == len(test['images']) == 1
    assert test['images'][0]['id'] == 1
    assert test['annotations'][0]['id'] == len(train['annotations'])

    dataset = AnimalMacaqueDataset(
        str(root / 'annotations' / 'x.json'), str(root / 'images') + '/',
        make_data_cfg(17), [], test_mode=True)
    # the monkey without keypoints is not a sample
    assert len(dataset.db) == 2
    np.testing.assert_array_equal(dataset.db[0]['joints_3d'][0], [12.5, 14,
                                                                 0])


def test_macaque_errors(tmp_path):
    with pytest.raises(ValueError, match="'x.jpg': 2 keypoints per monkey"):
        macaque.parse_monkey([{}, {}], [], "image 'x.jpg'")
    csv_file = tmp_path / 'a.csv'
    csv_file.write_text('h1,h2,h3\nonly,two\n')
    with pytest.raises(ValueError, match=r'line\(s\) \[2\]'):
        macaque.read_rows(str(csv_file))
    with pytest.raises(FileNotFoundError, match='missing.jpg'):
        macaque.save_coco_anno([['missing.jpg', '[]', '[]']], str(tmp_path),
                               str(tmp_path / 'o.json'))


# --------------------------------------------------------------------------
# shared helpers


def test_converter_utils(tmp_path):
    assert converter_utils.bbox_from_points([[2, 3], [5, 1]]) == [2, 1, 4, 3]
    with pytest.raises(ValueError, match='no points'):
        converter_utils.bbox_from_points(np.zeros((0, 2)))
    with pytest.raises(ImportError,
                       match="reading x.h5 needs the package 'not_a_pkg_xyz'"
                       '.*pip install not_a_pkg_xyz'):
        converter_utils.import_optional('not_a_pkg_xyz', 'reading x.h5')


# --------------------------------------------------------------------------
# H36M

CAMERA_IDS = ['54138969', '55011271', '58860488', '60457274']


def _metadata(path, w0):
    rows = ['<tr><td></td><td></td>' +
            ''.join(f'<td>S{s}</td>' for s in range(1, 12)) + '</tr>']
    for action, sub, name in (('1', '1', '_ALL'), ('2', '1', 'Directions 1'),
                              ('2', '2', 'Directions')):
        rows.append(f'<tr><td>{action}</td><td>{sub}</td>' +
                    ''.join(f'<td>{name}</td>' for _ in range(11)) + '</tr>')
    cams = ''.join(f'<item>{c}</item>' for c in CAMERA_IDS)
    path.write_text(
        textwrap.dedent(f"""\
        <root><mapping>{''.join(rows)}</mapping>
        <actionnames><item>_ALL</item><item>Directions</item></actionnames>
        <dbcameras><index2id>{cams}</index2id></dbcameras>
        <w0>[{' '.join(str(v) for v in w0)}]</w0></root>"""))


def _w0():
    """Camera 1 of S1: rotation by +90 degrees about z (stored negated),
    position (1000, 2000, 3000) mm; camera c's intrinsics 9 values of c."""
    w0 = np.zeros(264 + 36)
    w0[0:6] = [0, 0, -np.pi / 2, 1000, 2000, 3000]
    # camera 2 of S5: 180 degrees about x (stored negated)
    start = 6 * (1 * 11 + 4)
    w0[start:start + 6] = [-np.pi, 0, 0, 0, 0, 0]
    for c in range(4):
        w0[264 + 9 * c:264 + 9 * c + 9] = [1000 + c, 1001 + c, 500, 501,
                                           0.1, 0.2, 0.3, 0.01, 0.02]
    return w0


def test_h36m_cameras(tmp_path):
    meta = tmp_path / 'metadata.xml'
    _metadata(meta, _w0())
    pre = h36m.PreprocessH36m(str(meta), str(tmp_path / 'orig'),
                              processed_dir=str(tmp_path / 'processed'))
    assert pre.camera_ids == CAMERA_IDS
    assert pre.sequence_mappings['S9'][('2', '1')] == 'Directions 1'
    assert pre.action_names == {'1': '_ALL', '2': 'Directions'}
    cameras = pre.generate_cameras_file()
    with open(tmp_path / 'processed/annotation_body3d/cameras.pkl', 'rb') as f:
        assert pickle.load(f).keys() == cameras.keys()
    assert len(cameras) == 44
    cam = cameras[('S1', '54138969')]
    # z = +90 degrees: R = (R_z)^T with R_z = [[0, 1, 0], [-1, 0, 0], ...]
    np.testing.assert_allclose(cam['R'], [[0, -1, 0], [1, 0, 0], [0, 0, 1]],
                               atol=1e-12)
    np.testing.assert_allclose(cam['T'], [[1], [2], [3]])
    np.testing.assert_allclose(cam['f'], [[1000], [1001]])
    np.testing.assert_allclose(cam['c'], [[500], [501]])
    np.testing.assert_allclose(cam['k'], [[0.1], [0.2], [0.3]])
    np.testing.assert_allclose(cam['p'], [[0.01], [0.02]])
    assert (cam['w'], cam['h'], cam['name'], cam['id']) == (1000, 1002,
                                                            'camera1',
                                                            '54138969')
    cam = cameras[('S5', '55011271')]
    np.testing.assert_allclose(cam['R'], np.diag([1, -1, -1]), atol=1e-12)
    np.testing.assert_allclose(cam['f'], [[1001], [1002]])
    # a world point 1 m in front of S1's first camera's axis projects to c
    camera = SimpleCamera(cameras[('S1', '54138969')])
    world = np.array([[1., 2., 3.]]) + cameras[('S1', '54138969')]['R'][:, 2]
    np.testing.assert_allclose(camera.world_to_camera(world), [[0, 0, 1]],
                               atol=1e-6)


def test_h36m_arrays():
    kps = np.zeros((2, 3, 3))
    kps[0, :, :2] = [[10, 20], [30, 60], [20, 40]]
    kps[1, :, :2] = [[0, 0], [100, 10], [50, 5]]
    centers, scales = h36m.keypoints_to_center_scale(kps)
    np.testing.assert_allclose(centers, [[20, 40], [50, 5]])
    # longest side 40 and 100, times 1.2, over 200
    np.testing.assert_allclose(scales, [0.24, 0.6])
    mean, std = h36m.get_pose_stats(np.array([[[1., 2.]], [[3., 6.]]]))
    np.testing.assert_allclose(mean, [[2, 4]])
    np.testing.assert_allclose(std, [[1, 2]])
    with pytest.raises(ValueError, match='at least one leading'):
        h36m.get_pose_stats(np.zeros((3, 2)))
    with pytest.raises(ValueError, match='15 parameters'):
        h36m.camera_from_metadata(np.zeros(14))


def _write_video(path, frames, size=(32, 24)):
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*'MJPG'), 50,
                             size)
    for i in range(frames):
        writer.write(np.full((size[1], size[0], 3), 20 * i, np.uint8))
    writer.release()


def test_h36m_annotations(tmp_path, monkeypatch):
    """Two sequences x 4 cameras per subject, 7 frames each, every 3rd kept;
    the .cdf reader is replaced by arrays (its file format needs spacepy)."""
    meta = tmp_path / 'metadata.xml'
    _metadata(meta, _w0())
    extracted = tmp_path / 'extracted'
    processed = tmp_path / 'processed'
    pre = h36m.PreprocessH36m(str(meta), str(tmp_path / 'orig'),
                              str(extracted), str(processed), sample_rate=3)
    pre.subjects_splits = {'train': ['S1'], 'test': ['S9']}
    num_frames = 7
    poses = {}
    for subject in ('S1', 'S9'):
        for seq in ('Directions 1', 'Directions'):
            for cam in CAMERA_IDS:
                base = extracted / subject
                name = f'{seq}.{cam}'
                _write_video(base / 'Videos' / f'{name}.mp4', num_frames)
                for kind, dim in (('D2_Positions', 2),
                                  ('D3_Positions_mono', 3)):
                    path = base / 'MyPoseFeatures' / kind / f'{name}.cdf'
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(b'')
                    # frame f, point j, coordinate d: 1000 f + 10 j + d
                    pose = (1000 * np.arange(num_frames)[:, None, None] +
                            10 * np.arange(32)[None, :, None] +
                            np.arange(dim)[None, None, :]).astype(float)
                    poses[str(path)] = pose.reshape(1, num_frames, 32 * dim)
    monkeypatch.setattr(h36m, 'read_cdf_pose', lambda p: poses[p])
    pre.generate_annotations()

    out = processed / 'annotation_body3d' / 'fps16'
    data = np.load(out / 'h36m_train.npz')
    # 2 sequences x 4 cameras x frames 0, 3, 6
    assert data['imgname'].shape == (24, )
    assert data['imgname'][:3].tolist() == [
        'S1/S1_Directions_1.54138969/S1_Directions_1.54138969_000001.jpg',
        'S1/S1_Directions_1.54138969/S1_Directions_1.54138969_000004.jpg',
        'S1/S1_Directions_1.54138969/S1_Directions_1.54138969_000007.jpg'
    ]
    assert (processed / 'images' / data['imgname'][1]).is_file()
    joints = np.array(h36m.MOVABLE_JOINTS)
    # frame 3 (second kept), 2D: 3000 + 10 j + d, visibility 1
    np.testing.assert_allclose(data['part'][1, :, 0], 3000 + 10 * joints)
    np.testing.assert_allclose(data['part'][1, :, 1], 3001 + 10 * joints)
    assert (data['part'][..., 2] == 1).all()
    # 3D in metres
    np.testing.assert_allclose(data['S'][1, :, 2],
                               (3002 + 10 * joints) / 1000)
    assert data['S'].shape == (24, 17, 4) and (data['S'][..., 3] == 1).all()
    # box x: 3000..3270, y: 3001..3271 -> centre, 1.2 * 270 / 200
    np.testing.assert_allclose(data['center'][1], [3135, 3136])
    np.testing.assert_allclose(data['scale'][1], 1.2 * 270 / 200)
    assert np.load(out / 'h36m_test.npz')['imgname'][0].startswith('S9/S9_')

    with open(out / 'joint2d_rel_stats.pkl', 'rb') as f:
        stats = pickle.load(f)
    # relative to joint 0 every frame has the same offsets: std 0
    np.testing.assert_allclose(stats['mean'][:, 0], 10 * joints[1:])
    np.testing.assert_allclose(stats['std'], 0, atol=1e-9)
    with open(out / 'joint3d_stats.pkl', 'rb') as f:
        stats = pickle.load(f)
    # frames 0, 3, 6: mean 3000 mm + 10 j + d, in metres
    np.testing.assert_allclose(stats['mean'][:, 0], (3000 + 10 * joints) /
                               1000)

    cameras = pre.generate_cameras_file()
    dataset = build_dataset(
        dict(
            type='Body3DH36MDataset',
            ann_file=str(out / 'h36m_train.npz'),
            img_prefix=str(processed / 'images') + '/',
            data_cfg=dict(
                num_joints=17,
                seq_len=1,
                seq_frame_interval=1,
                causal=True,
                need_camera_param=True,
                camera_param_file=str(processed / 'annotation_body3d' /
                                      'cameras.pkl')),
            pipeline=[]))
    assert len(dataset) == 24
    sample = dataset.prepare_data(0)
    np.testing.assert_allclose(sample['camera_param']['f'],
                               cameras[('S1', CAMERA_IDS[0])]['f'])


def test_h36m_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='metadata file'):
        h36m.PreprocessH36m(str(tmp_path / 'none.xml'), str(tmp_path))
    meta = tmp_path / 'metadata.xml'
    meta.write_text('<root><mapping/></root>')
    with pytest.raises(ValueError, match='not H36M metadata'):
        h36m.PreprocessH36m(str(meta), str(tmp_path))
    _metadata(meta, np.zeros(100))
    with pytest.raises(ValueError, match='w0 holds 100 numbers, 300 needed'):
        h36m.PreprocessH36m(str(meta), str(tmp_path))
    _metadata(meta, _w0())
    with pytest.raises(ValueError, match='sample_rate'):
        h36m.PreprocessH36m(str(meta), str(tmp_path), sample_rate=0)
    pre = h36m.PreprocessH36m(str(meta), str(tmp_path / 'orig'))
    with pytest.raises(FileNotFoundError, match='archive.*s1.Videos.tgz'):
        pre.extract_tgz()
    with pytest.raises(FileNotFoundError, match='H36M pose file'):
        h36m.read_cdf_pose(str(tmp_path / 'x.cdf'))
    with pytest.raises(ValueError, match='have 3 and 2 frames'):
        pre._select_frames(np.zeros((1, 3, 64)), np.zeros((2, 96)))
