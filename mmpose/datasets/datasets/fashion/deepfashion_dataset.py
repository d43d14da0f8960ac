from mmpose.utils import check
from ...registry import DATASETS
from .fashion_base_dataset import FashionBaseDataset


@DATASETS.register_module()
class DeepFashionDataset(FashionBaseDataset):
    """DeepFashion dataset (full-body clothes) for fashion landmark
    detection.

    `DeepFashion: Powering Robust Clothes Recognition
    and Retrieval with Rich Annotations' CVPR'2016 and
    `Fashion Landmark Detection in the Wild' ECCV'2016.

    The dataset contains 3 categories for full-body, upper-body and
    lower-body; ``subset`` picks one, and with it the landmarks (left and
    right of each, in this order): upper-body clothes collar, sleeve, hem;
    lower-body clothes waistline, hem; full-body clothes collar, sleeve,
    waistline, hem. ``dataset_name`` is ``'deepfashion_<subset>'``.

    Keypoint metadata: :mod:`mmpose.core.dataset_meta.fashion`. Loading and
    metrics: :class:`FashionBaseDataset`.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        subset (str): The FLD dataset has 3 subsets, 'upper', 'lower', and
            'full', denoting different types of clothes.
        data_cfg (dict): config
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    def __init__(self,
                 ann_file,
                 img_prefix,
                 subset,
                 data_cfg,
                 pipeline,
                 test_mode=False):
        check(
            subset in ('upper', 'lower', 'full'),
            f"subset must be 'upper', 'lower' or 'full', got {subset!r}")
        self.subset = subset
        self.dataset_name = f'deepfashion_{subset}'
        super().__init__(ann_file, img_prefix, data_cfg, pipeline, test_mode)
