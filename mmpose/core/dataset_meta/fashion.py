"""Fashion landmarks of DeepFashion (FLD): one record per clothes subset."""
from .meta import DatasetMeta

_SUBSETS = {
    'upper': ('collar', 'sleeve', 'hem'),
    'lower': ('waistline', 'hem'),
    'full': ('collar', 'sleeve', 'waistline', 'hem'),
}


def _fashion_meta(subset):
    parts = _SUBSETS[subset]
    return DatasetMeta(
        dataset_name=f'deepfashion_{subset}',
        keypoint_names=tuple(f'{side} {part}' for part in parts
                             for side in ('left', 'right')),
        flip_pairs=[[2 * i, 2 * i + 1] for i in range(len(parts))])


DATASET_TYPES = {
    # a DeepFashionDataset reads the record of its subset by dataset_name;
    # the type name alone means full-body clothes
    'DeepFashionDataset': _fashion_meta('full'),
    'deepfashion_upper': _fashion_meta('upper'),
    'deepfashion_lower': _fashion_meta('lower'),
}
