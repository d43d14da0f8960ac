r"""Count the FLOPs and parameters of a model built from a config.

Uses mmcv's ``get_model_complexity_info`` on ``model.forward_dummy``.

Example:
    python tools/analysis/get_flops.py \
        configs/top_down/resnet/coco/res50_coco_256x192.py
    # Input shape: (3, 256, 192)
    # Flops: 5.46 GFLOPs
    # Params: 34.0 M
"""
import argparse

# mmpose first: importing it quiets mmcv's import-time notices.
import mmpose  # noqa: F401, I100
from mmcv import Config  # noqa: I100
from mmcv.cnn import get_model_complexity_info

from mmpose.models import build_posenet


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Get model flops and params')
    parser.add_argument('config', help='config file path')
    parser.add_argument(
        '--shape', type=int, nargs='+', default=None,
        help='input image size (H W, or one number for a square); default: '
        "the config's data_cfg.image_size")
    return parser.parse_args(argv)


def input_shape_from(cfg, shape):
    """(C, H, W) from --shape, or from ``data_cfg.image_size`` ([W, H])."""
    if shape is None:
        width, height = cfg.data_cfg['image_size'] if isinstance(
            cfg.data_cfg['image_size'], (list, tuple)) else [
                cfg.data_cfg['image_size']
            ] * 2
        return (3, height, width)
    if len(shape) == 1:
        return (3, shape[0], shape[0])
    if len(shape) == 2:
        return (3, ) + tuple(shape)
    raise ValueError(f'--shape takes one or two numbers, got {shape}')


def get_flops(config, shape=None):
    """Return (input_shape, flops string, params string) of a config."""
    cfg = Config.fromfile(config) if isinstance(config, str) else config
    cfg.model.pretrained = None
    input_shape = input_shape_from(cfg, shape)
    model = build_posenet(cfg.model)
    model.eval()
    if not hasattr(model, 'forward_dummy'):
        raise NotImplementedError(
            f'FLOPs counter is not supported for {model.__class__.__name__}:'
            ' it has no forward_dummy()')
    model.forward = model.forward_dummy
    flops, params = get_model_complexity_info(
        model, input_shape, print_per_layer_stat=False)
    return input_shape, flops, params


def main(argv=None):
    args = parse_args(argv)
    input_shape, flops, params = get_flops(args.config, args.shape)
    split_line = '=' * 30
    print(f'{split_line}\nInput shape: {input_shape}\n'
          f'Flops: {flops}\nParams: {params}\n{split_line}')
    print('!!!Please be cautious if you use the results in papers. '
          'You may need to check if all ops are supported and verify that '
          'the flops computation is correct.')


if __name__ == '__main__':
    main()
