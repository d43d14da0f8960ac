"""Face landmarks: 300W (68), AFLW (19), COFW (29) and WFLW (98)."""
from .meta import DatasetMeta, palette_colors


def _face_meta(dataset_name, num, flip_pairs):
    return DatasetMeta(
        dataset_name=dataset_name,
        keypoint_names=tuple(f'kpt-{i}' for i in range(num)),
        flip_pairs=flip_pairs,
        pose_kpt_color=palette_colors([19] * num))


_300W_FLIP_PAIRS = ([[i, 16 - i] for i in range(8)] +
                    [[17 + i, 26 - i] for i in range(5)] +
                    [[31, 35], [32, 34], [36, 45], [37, 44], [38, 43],
                     [39, 42], [40, 47], [41, 46], [48, 54], [49, 53],
                     [50, 52], [61, 63], [60, 64], [67, 65], [58, 56],
                     [59, 55]])
_AFLW_FLIP_PAIRS = [[0, 5], [1, 4], [2, 3], [6, 11], [7, 10], [8, 9],
                    [12, 14], [15, 17]]
_COFW_FLIP_PAIRS = [[0, 1], [4, 6], [2, 3], [5, 7], [8, 9], [10, 11],
                    [12, 14], [16, 17], [13, 15], [18, 19], [22, 23]]
_WFLW_FLIP_PAIRS = (
    [[i, 32 - i] for i in range(16)] +  # contour
    [[33, 46], [34, 45], [35, 44], [36, 43], [37, 42], [38, 50], [39, 49],
     [40, 48], [41, 47]] +  # eyebrows
    [[60, 72], [61, 71], [62, 70], [63, 69], [64, 68], [65, 75], [66, 74],
     [67, 73]] +  # eyes
    [[55, 59], [56, 58]] +  # nose
    [[76, 82], [77, 81], [78, 80], [87, 83], [86, 84]] +  # outer lips
    [[88, 92], [89, 91], [95, 93], [96, 97]])  # inner lips, pupils

DATASET_TYPES = {
    'Face300WDataset': _face_meta('300w', 68, _300W_FLIP_PAIRS),
    'FaceAFLWDataset': _face_meta('aflw', 19, _AFLW_FLIP_PAIRS),
    'FaceCOFWDataset': _face_meta('cofw', 29, _COFW_FLIP_PAIRS),
    'FaceWFLWDataset': _face_meta('wflw', 98, _WFLW_FLIP_PAIRS),
}
