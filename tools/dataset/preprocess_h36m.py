"""Preprocess Human3.6M for the 3D body datasets: frames, annotations and
cameras (MMPose 0.14's ``tools/dataset/preprocess_h36m.py``, after
https://github.com/anibali/h36m-fetch).

From the official archives (``<original>/s1/Videos.tgz``,
``D2_Positions.tgz``, ``D3_Positions_mono.tgz``, ... for S1, S5, S6, S7, S8,
S9, S11) and ``metadata.xml`` it writes, under ``<processed>``::

    images/S1/S1_Directions_1.54138969/S1_Directions_1.54138969_000001.jpg
    annotation_body3d/cameras.pkl
    annotation_body3d/fps<50 / sample_rate>/h36m_train.npz (S1, S5-S8)
    annotation_body3d/fps<50 / sample_rate>/h36m_test.npz  (S9, S11)
    annotation_body3d/fps<50 / sample_rate>/joint{2d,3d}{,_rel}_stats.pkl

Each npz holds, for every kept frame (every ``sample_rate``-th) of every
sequence and camera: ``imgname`` (the frame's path under ``images/``),
``center`` [N, 2] and ``scale`` [N] (the box around the 2D keypoints,
enlarged 1.2 times, in units of 200 px), ``part`` [N, 17, 3] (2D keypoints in
pixels with visibility 1) and ``S`` [N, 17, 4] (3D keypoints in camera
coordinates, metres, with visibility 1). ``cameras.pkl`` maps
``(subject, camera_id)`` to the ``R``, ``T`` (metres), ``f``, ``c``, ``k``,
``p``, ``w``, ``h``, ``name`` and ``id`` that ``SimpleCamera`` and
``Body3DH36MDataset`` read. The stats files hold the mean and std per joint
of the training set's 2D / 3D keypoints, absolute and root-relative, for
``NormalizeJointCoordinate``.

Usage::

    python tools/dataset/preprocess_h36m.py --metadata data/h36m/metadata.xml \\
        --original data/h36m/original --processed data/h36m --sample-rate 1

Reading the pose files (.cdf) needs ``spacepy`` (as 0.14) or ``cdflib``.
"""
import argparse
import os
import os.path as osp
import pickle
import tarfile
import xml.etree.ElementTree as ET

import cv2
import numpy as np

try:  # imported from the repository root (tests, tools)
    from tools.dataset.converter_utils import import_optional, require_file
except ImportError:  # run as a script: this folder is on sys.path
    from converter_utils import import_optional, require_file

#: The 17 of H36M's 32 skeleton points that move (H36M's 17-joint set).
MOVABLE_JOINTS = [0, 1, 2, 3, 6, 7, 8, 12, 13, 14, 15, 17, 18, 19, 25, 26, 27]


def read_cdf_pose(cdf_file):
    """The ``Pose`` variable of an H36M .cdf file: np.ndarray[1, F, 32 * D].
    """
    require_file(cdf_file, 'H36M pose file')
    try:
        from spacepy import pycdf
    except ImportError:
        cdflib = import_optional(
            'cdflib', 'reading H36M .cdf files (with spacepy or cdflib)')
        return np.asarray(cdflib.CDF(cdf_file).varget('Pose'))
    with pycdf.CDF(cdf_file) as cdf:
        return np.array(cdf['Pose'])


def keypoints_to_center_scale(kps_2d, scale_factor=1.2, pixel_std=200):
    """Box centre and scale around each frame's 2D keypoints.

    Note:
        F: frames, K: keypoints.

    Args:
        kps_2d (np.ndarray[F, K, 2+]): 2D keypoints (x, y, ...).
        scale_factor (float): Box enlargement. Default: 1.2.
        pixel_std (float): Scale unit in pixels. Default: 200.

    Returns:
        tuple: centers (np.ndarray[F, 2]) and scales (np.ndarray[F]: the
        enlarged longer box side / pixel_std).
    """
    xy = np.asarray(kps_2d)[..., :2]
    low, high = xy.min(axis=1), xy.max(axis=1)
    centers = (low + high) / 2
    scales = scale_factor * (high - low).max(axis=1) / pixel_std
    return centers, scales


def get_pose_stats(kps):
    """Mean and std per keypoint and coordinate.

    Args:
        kps (np.ndarray[..., K, C]): Keypoints.

    Returns:
        tuple: mean and std (np.ndarray[K, C]).
    """
    kps = np.asarray(kps)
    if kps.ndim <= 2:
        raise ValueError('kps must be [..., K, C] with at least one leading '
                         f'axis, got shape {kps.shape}')
    kps = kps.reshape(-1, *kps.shape[-2:])
    return kps.mean(axis=0), kps.std(axis=0)


def camera_from_metadata(params, image_size=None, name=None, cam_id=None):
    """One camera's parameters from its 15 values in ``metadata.xml``.

    Args:
        params (np.ndarray[15]): Extrinsics (3 rotation angles in radians,
            the camera position in mm) then intrinsics (f [2], c [2],
            radial distortion k [3], tangential distortion p [2]).
        image_size (tuple[int, int], optional): (width, height).
        name (str, optional): e.g. 'camera1'.
        cam_id (str, optional): e.g. '54138969'.

    Returns:
        dict: ``R`` (np.ndarray[3, 3], world-to-camera rotation), ``T``
        (np.ndarray[3, 1], camera position in metres), ``f``, ``c``
        (np.ndarray[2, 1]), ``k`` (np.ndarray[3, 1]), ``p`` (np.ndarray[2, 1])
        and ``w``, ``h``, ``name``, ``id`` when given.
    """
    params = np.asarray(params, dtype=np.float64)
    if params.shape != (15, ):
        raise ValueError(f'a camera has 15 parameters, got {params.shape}')
    # H36M stores the angles with the signs of its own convention
    x, y, z = -params[0], params[1], -params[2]
    R_x = np.array([[1, 0, 0], [0, np.cos(x), np.sin(x)],
                    [0, -np.sin(x), np.cos(x)]])
    R_y = np.array([[np.cos(y), 0, np.sin(y)], [0, 1, 0],
                    [-np.sin(y), 0, np.cos(y)]])
    R_z = np.array([[np.cos(z), np.sin(z), 0], [-np.sin(z),
                                                np.cos(z), 0], [0, 0, 1]])
    camera = {
        'R': (R_x @ R_y @ R_z).T,
        'T': params[3:6].reshape(3, 1) * 0.001,
        'f': params[6:8].reshape(2, 1),
        'c': params[8:10].reshape(2, 1),
        'k': params[10:13].reshape(3, 1),
        'p': params[13:15].reshape(2, 1)
    }
    if image_size is not None:
        camera['w'], camera['h'] = image_size
    if name is not None:
        camera['name'] = name
    if cam_id is not None:
        camera['id'] = cam_id
    return camera


class PreprocessH36m:
    """Preprocess Human3.6M dataset.

    Args:
        metadata (str): Path to metadata.xml.
        original_dir (str): Directory of the original dataset with all files
            compressed. Specifically, .tgz files belonging to subject 1
            should be placed under the subdirectory 's1'.
        extracted_dir (str): Directory of the extracted files. If not given,
            it will be placed under the same parent directory as original_dir.
        processed_dir (str): Directory of the processed files. If not given,
            it will be placed under the same parent directory as original_dir.
        sample_rate (int): Downsample FPS to `1 / sample_rate`. Default: 5.
    """

    def __init__(self,
                 metadata,
                 original_dir,
                 extracted_dir=None,
                 processed_dir=None,
                 sample_rate=5):
        if int(sample_rate) != sample_rate or sample_rate < 1:
            raise ValueError(
                f'sample_rate must be a positive integer, got {sample_rate}')
        self.metadata = metadata
        self.original_dir = original_dir
        self.sample_rate = int(sample_rate)
        parent = osp.dirname(osp.abspath(original_dir))
        self.extracted_dir = extracted_dir or osp.join(parent, 'extracted')
        self.processed_dir = processed_dir or osp.join(parent, 'processed')

        self.subjects = []
        self.sequence_mappings = {}
        self.action_names = {}
        self.camera_ids = []
        self._load_metadata()

        self.subjects_annot = ['S1', 'S5', 'S6', 'S7', 'S8', 'S9', 'S11']
        self.subjects_splits = {
            'train': ['S1', 'S5', 'S6', 'S7', 'S8'],
            'test': ['S9', 'S11']
        }
        self.extract_files = ['Videos', 'D2_Positions', 'D3_Positions_mono']
        self.movable_joints = MOVABLE_JOINTS
        self.scale_factor = 1.2
        self.image_sizes = {
            '54138969': (1000, 1002),
            '55011271': (1000, 1000),
            '58860488': (1000, 1000),
            '60457274': (1000, 1002)
        }

    def extract_tgz(self):
        """Extract the archives of ``self.extract_files`` per subject."""
        os.makedirs(self.extracted_dir, exist_ok=True)
        for subject in self.subjects_annot:
            cur_dir = osp.join(self.original_dir, subject.lower())
            for file in self.extract_files:
                filename = require_file(
                    osp.join(cur_dir, file + '.tgz'), 'H36M archive')
                print(f'Extracting {filename} ...')
                with tarfile.open(filename) as tar:
                    tar.extractall(self.extracted_dir, filter='data')
        print('Extraction done.\n')

    def generate_cameras_file(self):
        """Write cameras.pkl: the parameters of the 4 cameras for each of
        the 11 subjects, keyed by ``(subject, camera_id)``."""
        cameras = {}
        for subject in range(1, 12):
            for camera in range(len(self.camera_ids)):
                key = (f'S{subject}', self.camera_ids[camera])
                cameras[key] = self._get_camera_params(camera, subject)
        out_dir = osp.join(self.processed_dir, 'annotation_body3d')
        os.makedirs(out_dir, exist_ok=True)
        out_file = osp.join(out_dir, 'cameras.pkl')
        with open(out_file, 'wb') as fout:
            pickle.dump(cameras, fout)
        print(f'Camera parameters have been written to "{out_file}".\n')
        return cameras

    def generate_annotations(self):
        """Write the train and test npz files and the training set's pose
        statistics."""
        output_dir = osp.join(self.processed_dir, 'annotation_body3d',
                              f'fps{50 // self.sample_rate}')
        os.makedirs(output_dir, exist_ok=True)
        for data_split in ('train', 'test'):
            sequences = [
                self._load_annotations(subject, action, subaction, camera)
                for subject in self.subjects_splits[data_split]
                for action, subaction in self.sequence_mappings[subject]
                # action '1' is '_ALL', not an action
                if action != '1' for camera in self.camera_ids
            ]
            imgnames, centers, scales, kps2d, kps3d = (
                np.concatenate(arrays) for arrays in zip(*sequences))
            out_file = osp.join(output_dir, f'h36m_{data_split}.npz')
            np.savez(
                out_file,
                imgname=imgnames,
                center=centers,
                scale=scales,
                part=kps2d,
                S=kps3d)
            print(f'All annotations of {data_split}ing data have been '
                  f'written to "{out_file}". {len(imgnames)} samples in '
                  'total.\n')
            if data_split == 'train':
                self._write_pose_stats(output_dir, kps2d[..., :2],
                                       kps3d[..., :3])

    @staticmethod
    def _write_pose_stats(output_dir, kps_2d, kps_3d):
        """Mean/std files of absolute and root-relative 2D/3D keypoints (the
        root is keypoint 0; relative sets drop it)."""
        poses = {
            'joint3d_stats': kps_3d,
            'joint2d_stats': kps_2d,
            'joint3d_rel_stats': kps_3d[..., 1:, :] - kps_3d[..., :1, :],
            'joint2d_rel_stats': kps_2d[..., 1:, :] - kps_2d[..., :1, :]
        }
        for name, kps in poses.items():
            mean, std = get_pose_stats(kps)
            out_file = osp.join(output_dir, f'{name}.pkl')
            with open(out_file, 'wb') as f:
                pickle.dump({'mean': mean, 'std': std}, f)
            print(f'Create statistic data file: {out_file}')

    @staticmethod
    def _get_pose_stats(kps):
        """Mean and std of keypoints [..., K, C] (see get_pose_stats)."""
        return get_pose_stats(kps)

    def _load_annotations(self, subject, action, subaction, camera):
        """Load one sequence's keypoints and save its kept frames.

        Returns:
            tuple: imgnames (np.ndarray[F]), centers (np.ndarray[F, 2]),
            scales (np.ndarray[F]), kps_2d (np.ndarray[F, 17, 3]) and
            kps_3d (np.ndarray[F, 17, 4]).
        """
        subj_dir = osp.join(self.extracted_dir, subject)
        basename = self._get_base_filename(subject, action, subaction, camera)
        kps_2d = read_cdf_pose(
            osp.join(subj_dir, 'MyPoseFeatures', 'D2_Positions',
                     basename + '.cdf'))
        kps_3d = read_cdf_pose(
            osp.join(subj_dir, 'MyPoseFeatures', 'D3_Positions_mono',
                     basename + '.cdf'))
        kps_2d, kps_3d = self._select_frames(kps_2d, kps_3d)
        centers, scales = keypoints_to_center_scale(kps_2d,
                                                    self.scale_factor)
        sub_base = subject + '_' + basename.replace(' ', '_')
        imgnames = self._extract_frames(
            osp.join(subj_dir, 'Videos', basename + '.mp4'), subject,
            sub_base, len(centers))
        if len(imgnames) != len(centers):
            raise ValueError(
                f'{basename}: the video gave {len(imgnames)} kept frames, '
                f'the pose files {len(centers)}')
        print(f'Annotations for {sub_base} are loaded. '
              f'{len(imgnames)} samples in total.')
        return imgnames, centers, scales, kps_2d, kps_3d

    def _select_frames(self, kps_2d, kps_3d):
        """Every ``sample_rate``-th frame, the 17 movable joints, with
        visibility 1; 3D from millimetres to metres.

        Args:
            kps_2d (np.ndarray[1, F, 64]): D2_Positions ``Pose`` (spacepy;
                cdflib drops the leading record axis).
            kps_3d (np.ndarray[1, F, 96]): D3_Positions_mono ``Pose``.

        Returns:
            tuple: np.ndarray[F', 17, 3] and np.ndarray[F', 17, 4].
        """
        if np.size(kps_2d) // 64 != np.size(kps_3d) // 96:
            raise ValueError(
                f'the 2D and 3D pose files have {np.size(kps_2d) // 64} and '
                f'{np.size(kps_3d) // 96} frames; they must be the same')
        selected = []
        for kps, dim, unit in ((kps_2d, 2, 1.), (kps_3d, 3, 1000.)):
            kps = np.asarray(kps, dtype=np.float64).reshape(
                -1, 32, dim)[::self.sample_rate, self.movable_joints] / unit
            selected.append(
                np.concatenate([kps, np.ones((*kps.shape[:2], 1))], axis=2))
        return tuple(selected)

    def _extract_frames(self, video_path, subject, sub_base, num_frames):
        """Save every ``sample_rate``-th frame (up to ``num_frames``) as
        ``images/<subject>/<sub_base>/<sub_base>_<frame:06d>.jpg``
        (1-based frame numbers) and return their names."""
        require_file(video_path, 'H36M video')
        img_dir = osp.join(self.processed_dir, 'images', subject, sub_base)
        os.makedirs(img_dir, exist_ok=True)
        prefix = osp.join(subject, sub_base, sub_base)
        imgnames = []
        cap = cv2.VideoCapture(video_path)
        i = 0
        while len(imgnames) < num_frames:
            success, img = cap.read()
            if not success:
                break
            if i % self.sample_rate == 0:
                imgname = f'{prefix}_{i + 1:06d}.jpg'
                imgnames.append(imgname)
                dest_path = osp.join(self.processed_dir, 'images', imgname)
                if not osp.exists(dest_path):
                    cv2.imwrite(dest_path, img)
            i += 1
        cap.release()
        return np.array(imgnames)

    def _get_base_filename(self, subject, action, subaction, camera):
        """Get base filename given subject, action, subaction and camera."""
        return f'{self.sequence_mappings[subject][(action, subaction)]}.' \
            f'{camera}'

    def _get_camera_params(self, camera, subject):
        """Camera ``camera`` (0-3) of subject ``subject`` (1-11): its 6
        extrinsics are at ``6 * (camera * 11 + subject - 1)`` of ``w0``, the
        9 intrinsics of the camera after the 264 extrinsics."""
        start = 6 * (camera * 11 + (subject - 1))
        params = np.concatenate([
            self.cameras_metadata[start:start + 6],
            self.cameras_metadata[264 + camera * 9:264 + (camera + 1) * 9]
        ])
        cam_id = self.camera_ids[camera]
        return camera_from_metadata(params, self.image_sizes.get(cam_id),
                                    f'camera{camera + 1}', cam_id)

    def _load_metadata(self):
        """Load the sequence names, action names, camera ids and camera
        parameters (``w0``) from metadata.xml."""
        require_file(self.metadata, 'H36M metadata file')
        root = ET.parse(self.metadata).getroot()
        try:
            for i, tr in enumerate(root.find('mapping')):
                if i == 0:
                    _, _, *self.subjects = [td.text for td in tr]
                    self.sequence_mappings = {
                        subject: {}
                        for subject in self.subjects
                    }
                elif i < 33:
                    action_id, subaction_id, *prefixes = [
                        td.text for td in tr
                    ]
                    for subject, prefix in zip(self.subjects, prefixes):
                        self.sequence_mappings[subject][(
                            action_id, subaction_id)] = prefix
            self.action_names = {
                str(i + 1): elem.text
                for i, elem in enumerate(root.find('actionnames'))
            }
            self.camera_ids = [
                elem.text for elem in root.find('dbcameras/index2id')
            ]
            self.cameras_metadata = np.array(
                root.find('w0').text.strip()[1:-1].split(), dtype=np.float64)
        except TypeError:
            raise ValueError(
                f'{self.metadata!r} is not H36M metadata: it needs mapping, '
                'actionnames, dbcameras/index2id and w0') from None
        needed = 264 + 9 * len(self.camera_ids)
        if len(self.cameras_metadata) < needed:
            raise ValueError(
                f'{self.metadata!r}: w0 holds {len(self.cameras_metadata)} '
                f'numbers, {needed} needed for {len(self.camera_ids)} '
                'cameras')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Preprocess Human3.6M: extract the archives, save the '
        'frames, write the npz annotations, pose statistics and '
        'cameras.pkl.')
    parser.add_argument('--metadata', required=True,
                        help='path to metadata.xml')
    parser.add_argument('--original', required=True,
                        help='folder with the archives (s1/Videos.tgz, ...)')
    for name in ('extracted', 'processed'):
        parser.add_argument(f'--{name}', default=None,
                            help=f'folder for the {name} files (default: '
                            'beside --original)')
    parser.add_argument('--sample-rate', '--sample_rate', dest='sample_rate',
                        type=int, default=5,
                        help='keep every n-th frame of the 50 fps videos '
                        '(default: 5)')
    parser.add_argument('--skip-extract', action='store_true',
                        help='the archives are already extracted')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    h36m = PreprocessH36m(args.metadata, args.original, args.extracted,
                          args.processed, args.sample_rate)
    if not args.skip_extract:
        h36m.extract_tgz()
    h36m.generate_cameras_file()
    h36m.generate_annotations()


if __name__ == '__main__':
    main()
