"""Export a top-down pose model to ONNX and check it against PyTorch.

The exported graph is ``model.forward_dummy``: an image batch
``[N, 3, H, W]`` in, the heatmaps (or regression output) out. With
onnxruntime installed, the ONNX output is compared with the PyTorch output on
a random input (``--verify``).

Example:
    python tools/pytorch2onnx.py \
        configs/top_down/resnet/coco/res50_coco_256x192.py res50.pth \
        --output-file res50.onnx --shape 1 3 256 192 --verify
"""
import argparse
import os

import numpy as np
import torch
from mmcv import Config
from mmcv.runner import load_checkpoint

from mmpose.models import build_posenet


def _require(module_name, purpose):
    try:
        return __import__(module_name)
    except ImportError as err:
        raise ImportError(
            f'{purpose} needs the optional package "{module_name}": '
            f'pip install {module_name}') from err


def pytorch2onnx(model,
                 input_shape,
                 opset_version=11,
                 show=False,
                 output_file='tmp.onnx',
                 verify=False):
    """Convert a pytorch model to ONNX and optionally verify it.

    Args:
        model (nn.Module): A model with ``forward_dummy``.
        input_shape (tuple[int]): ``(N, C, H, W)`` of the dummy input.
        opset_version (int): ONNX opset. Default: 11.
        show (bool): Print the exported graph. Default: False.
        output_file (str): Where to write the model. Default: 'tmp.onnx'.
        verify (bool): Compare with onnxruntime. Default: False.

    Returns:
        float | None: The largest absolute difference between the PyTorch
        and ONNX Runtime outputs when ``verify``, else None.
    """
    _require('onnx', 'Exporting to ONNX')
    model.cpu().eval()
    if not hasattr(model, 'forward_dummy'):
        raise NotImplementedError(
            f'{model.__class__.__name__} has no forward_dummy() to export')
    model.forward = model.forward_dummy
    one_img = torch.randn(input_shape)
    tmp_file = output_file + '.tmp'
    # dynamo=False: the TorchScript exporter, which needs no onnxscript
    torch.onnx.export(
        model,
        one_img,
        tmp_file,
        export_params=True,
        keep_initializers_as_inputs=True,
        verbose=show,
        opset_version=opset_version,
        dynamo=False)
    os.replace(tmp_file, output_file)
    print(f'Successfully exported ONNX model: {output_file}')
    if not verify:
        return None
    import onnx
    onnx.checker.check_model(onnx.load(output_file))
    ort = _require('onnxruntime', 'Verifying the ONNX model')
    with torch.no_grad():
        pytorch_result = model(one_img)
    if isinstance(pytorch_result, (list, tuple)):
        pytorch_result = pytorch_result[-1]
    session = ort.InferenceSession(
        output_file, providers=['CPUExecutionProvider'])
    input_name = session.get_inputs()[0].name
    onnx_result = session.run(None, {input_name: one_img.numpy()})[0]
    max_diff = float(
        np.abs(pytorch_result.detach().numpy() - onnx_result).max())
    if not np.allclose(
            pytorch_result.detach().numpy(), onnx_result, atol=1e-4,
            rtol=1e-3):
        raise ValueError('The outputs of ONNX Runtime and PyTorch differ by '
                         f'up to {max_diff:.3g}')
    print(f'The outputs are the same between PyTorch and ONNX '
          f'(max abs diff {max_diff:.3g})')
    return max_diff


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert MMPose models to ONNX')
    parser.add_argument('config', help='test config file path')
    parser.add_argument(
        'checkpoint', nargs='?', default=None, help='checkpoint file')
    parser.add_argument('--show', action='store_true', help='show onnx graph')
    parser.add_argument('--output-file', type=str, default='tmp.onnx')
    parser.add_argument('--opset-version', type=int, default=11)
    parser.add_argument(
        '--verify', action='store_true',
        help='verify the onnx model output against pytorch output')
    parser.add_argument(
        '--shape', type=int, nargs='+', default=[1, 3, 256, 192],
        help='input size')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if len(args.shape) != 4:
        raise ValueError(f'--shape takes N C H W, got {args.shape}')
    cfg = Config.fromfile(args.config)
    cfg.model.pretrained = None
    model = build_posenet(cfg.model)
    if args.checkpoint:
        load_checkpoint(model, args.checkpoint, map_location='cpu')
    return pytorch2onnx(model, tuple(args.shape), args.opset_version,
                        args.show, args.output_file, args.verify)


if __name__ == '__main__':
    main()
