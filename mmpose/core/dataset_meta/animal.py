"""Animal keypoints: MacaquePose (COCO's layout), Animal-Pose (20),
Vinegar Fly (32), Desert Locust (35), Grévy's Zebra (9) and Horse-10 (22)."""
import dataclasses

from .coco import COCO_META
from .meta import DatasetMeta


def _left_right_pairs(names, left, right):
    """Index pairs (lower index first, in order) of the names that differ
    only by ``left`` / ``right``."""
    index = {name: i for i, name in enumerate(names)}
    return sorted(
        sorted([i, index[name.replace(left, right)]])
        for i, name in enumerate(names)
        if left in name and name.replace(left, right) in index)


_FLY_NAMES = (('head', 'eyeL', 'eyeR', 'neck', 'thorax', 'abdomen') +
              tuple(f'{leg}R{i}' for leg in ('foreleg', 'midleg', 'hindleg')
                    for i in range(1, 5)) +
              tuple(f'{leg}L{i}' for leg in ('foreleg', 'midleg', 'hindleg')
                    for i in range(1, 5)) + ('wingL', 'wingR'))
_LOCUST_SIDE = ('anttip{}', 'antbase{}', 'eye{}') + tuple(
    f'{leg}{{}}{i}' for leg in ('foreleg', 'midleg', 'hindleg')
    for i in range(1, 5))
_LOCUST_NAMES = (('head', 'neck', 'thorax', 'abdomen1', 'abdomen2') +
                 tuple(n.format('L') for n in _LOCUST_SIDE) +
                 tuple(n.format('R') for n in _LOCUST_SIDE))
_ZEBRA_NAMES = ('snout', 'head', 'neck', 'forelegL1', 'forelegR1',
                'hindlegL1', 'hindlegR1', 'tailbase', 'tailtip')
_HORSE10_NAMES = ('Nose', 'Eye', 'Nearknee', 'Nearfrontfetlock',
                  'Nearfrontfoot', 'Offknee', 'Offfrontfetlock',
                  'Offfrontfoot', 'Shoulder', 'Midshoulder', 'Elbow', 'Girth',
                  'Wither', 'Nearhindhock', 'Nearhindfetlock', 'Nearhindfoot',
                  'Hip', 'Stifle', 'Offhindhock', 'Offhindfetlock',
                  'Offhindfoot', 'Ischium')
_ANIMALPOSE_NAMES = ('L_Eye', 'R_Eye', 'L_EarBase', 'R_EarBase', 'Nose',
                     'Throat', 'TailBase', 'Withers', 'L_F_Elbow',
                     'R_F_Elbow', 'L_B_Elbow', 'R_B_Elbow', 'L_F_Knee',
                     'R_F_Knee', 'L_B_Knee', 'R_B_Knee', 'L_F_Paw', 'R_F_Paw',
                     'L_B_Paw', 'R_B_Paw')

ANIMALPOSE_META = DatasetMeta(
    dataset_name='animalpose',
    keypoint_names=_ANIMALPOSE_NAMES,
    flip_pairs=_left_right_pairs(_ANIMALPOSE_NAMES, 'L_', 'R_'),
    upper_body_ids=(0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17),
    lower_body_ids=(6, 10, 11, 14, 15, 18, 19),
    joint_weights=[1.] * 8 + [1.2] * 4 + [1.5] * 8,
    sigmas=[
        s / 10.0 for s in (.25, .25, .26, .35, .35, 1.0, 1.0, 1.0, 1.07, 1.07,
                           1.07, 1.07, .87, .87, .87, .87, .89, .89, .89, .89)
    ])

DATASET_TYPES = {
    # MacaquePose annotates COCO's 17 keypoints with COCO's sigmas.
    'AnimalMacaqueDataset': dataclasses.replace(
        COCO_META, dataset_name='macaque'),
    'AnimalPoseDataset': ANIMALPOSE_META,
    'AnimalFlyDataset': DatasetMeta(
        dataset_name='fly',
        keypoint_names=_FLY_NAMES,
        flip_pairs=_left_right_pairs(_FLY_NAMES, 'L', 'R')),
    'AnimalLocustDataset': DatasetMeta(
        dataset_name='locust',
        keypoint_names=_LOCUST_NAMES,
        flip_pairs=_left_right_pairs(_LOCUST_NAMES, 'L', 'R')),
    'AnimalZebraDataset': DatasetMeta(
        dataset_name='zebra',
        keypoint_names=_ZEBRA_NAMES,
        flip_pairs=_left_right_pairs(_ZEBRA_NAMES, 'L', 'R')),
    # Horse-10 is a side view: near / off legs are not mirror images.
    'AnimalHorse10Dataset': DatasetMeta(
        dataset_name='horse10', keypoint_names=_HORSE10_NAMES),
}
