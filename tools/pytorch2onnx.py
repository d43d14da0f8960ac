r"""Export a pose model to ONNX and check it against PyTorch.

As in MMPose 0.14, :func:`pytorch2onnx` exports the model it is given as it
is called (``model(input)``); the command line builds the model from a
config, turns SyncBN into plain BN (:func:`_convert_batchnorm`), exports
``model.forward_dummy`` (an image batch ``[N, 3, H, W]`` in, the heatmaps or
regression output out) and, with ``--verify``, compares the ONNX Runtime
output with PyTorch's on a random input. ``onnx`` (and ``onnxruntime`` for
``--verify``) are optional packages: ``pip install -r
requirements/optional.txt``.

Example:
    python tools/pytorch2onnx.py \
        configs/top_down/resnet/coco/res50_coco_256x192.py res50.pth \
        --output-file res50.onnx --shape 1 3 256 192 --verify
"""
import argparse
import os
import warnings

import numpy as np
import torch
import torch.nn as nn
# mmpose first: importing it quiets mmcv's import-time notices.
import mmpose  # noqa: F401, I100
from mmcv import Config  # noqa: I100
from mmcv.runner import load_checkpoint

from mmpose.models import build_posenet


def _require(module_name, purpose):
    try:
        return __import__(module_name)
    except ImportError as err:
        raise ImportError(
            f'{purpose} needs the optional package "{module_name}": '
            f'pip install {module_name} (or pip install -r '
            'requirements/optional.txt)') from err


class _ExportBatchNorm(nn.BatchNorm3d):
    """The BatchNorm3d 0.14 put in place of SyncBN, for inputs of any rank.

    0.14's ``_convert_batchnorm`` made a ``BatchNorm3d``, which refuses the
    4-D feature maps of 2-D pose models; batch norm itself does not depend on
    the rank, so this one takes any input with a channel dimension.
    """

    def _check_input_dim(self, input):
        if input.dim() < 2:
            raise ValueError(
                f'expected an input with a channel dimension, got '
                f'{input.dim()}-D input')


def _convert_batchnorm(module):
    """Convert the SyncBNs of ``module`` into plain BNs, for export.

    SyncBatchNorm needs a process group even in eval mode during tracing;
    the replacement keeps the weights, statistics and ``requires_grad``.

    Args:
        module (nn.Module): The model (changed in place where possible).

    Returns:
        nn.Module: The model without SyncBatchNorm.
    """
    module_output = module
    if isinstance(module, nn.SyncBatchNorm):
        module_output = _ExportBatchNorm(module.num_features, module.eps,
                                         module.momentum, module.affine,
                                         module.track_running_stats)
        if module.affine:
            module_output.weight.data = module.weight.data.clone().detach()
            module_output.bias.data = module.bias.data.clone().detach()
            module_output.weight.requires_grad = module.weight.requires_grad
            module_output.bias.requires_grad = module.bias.requires_grad
        module_output.running_mean = module.running_mean
        module_output.running_var = module.running_var
        module_output.num_batches_tracked = module.num_batches_tracked
    for name, child in module.named_children():
        module_output.add_module(name, _convert_batchnorm(child))
    del module
    return module_output


def _flat_outputs(output):
    if isinstance(output, (list, tuple)):
        return [item for part in output for item in _flat_outputs(part)]
    return [output.detach().numpy()]


def pytorch2onnx(model,
                 input_shape,
                 opset_version=11,
                 show=False,
                 output_file='tmp.onnx',
                 verify=False):
    """Convert a pytorch model to ONNX and optionally verify it.

    The model is exported as it is called: set ``model.forward =
    model.forward_dummy`` first for an mmpose model (the command line does).

    Args:
        model (nn.Module): The pytorch model to be exported.
        input_shape (tuple[int]): The shape of the dummy input, e.g.
            ``(N, C, H, W)``.
        opset_version (int): ONNX opset. Default: 11.
        show (bool): Print the exported graph. Default: False.
        output_file (str): Output onnx model name. Default: 'tmp.onnx'.
        verify (bool): Check the model with onnx and compare its outputs
            with ONNX Runtime's. Default: False.

    Returns:
        float | None: The largest absolute difference between the PyTorch
        and ONNX Runtime outputs when ``verify``, else None.
    """
    _require('onnx', 'Exporting to ONNX')
    model.cpu().eval()
    one_img = torch.randn(tuple(input_shape))
    tmp_file = output_file + '.tmp'
    with warnings.catch_warnings():
        # dynamo=False: the TorchScript exporter (0.14's), which needs no
        # onnxscript; PyTorch warns that it is the legacy one.
        warnings.simplefilter('ignore', DeprecationWarning)
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
    onnx_model = onnx.load(output_file)
    onnx.checker.check_model(onnx_model)
    ort = _require('onnxruntime', 'Verifying the ONNX model')
    with torch.no_grad():
        pytorch_results = _flat_outputs(model(one_img))
    # With keep_initializers_as_inputs the weights are graph inputs too.
    initializers = {node.name for node in onnx_model.graph.initializer}
    feed = [i.name for i in onnx_model.graph.input if i.name not in
            initializers]
    # Initializers that are also graph inputs (as 0.14 exported them) make
    # onnxruntime warn once per weight; only errors are worth printing.
    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = ort.InferenceSession(
        output_file, options, providers=['CPUExecutionProvider'])
    onnx_results = session.run(None, {feed[0]: one_img.numpy()})
    max_diff = max(
        float(np.abs(torch_out - onnx_out).max())
        for torch_out, onnx_out in zip(pytorch_results, onnx_results))
    if len(onnx_results) != len(pytorch_results) or not all(
            np.allclose(torch_out, onnx_out, atol=1e-4, rtol=1e-3)
            for torch_out, onnx_out in zip(pytorch_results, onnx_results)):
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
    model = _convert_batchnorm(build_posenet(cfg.model))
    if not hasattr(model, 'forward_dummy'):
        raise NotImplementedError(
            f'{model.__class__.__name__} has no forward_dummy() to export')
    # torch.onnx.export passes no keyword arguments.
    model.forward = model.forward_dummy
    if args.checkpoint:
        load_checkpoint(model, args.checkpoint, map_location='cpu')
    return pytorch2onnx(model, tuple(args.shape), args.opset_version,
                        args.show, args.output_file, args.verify)


if __name__ == '__main__':
    main()
