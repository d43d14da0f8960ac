"""Evaluation hooks run by the training runner every ``interval`` epochs.

They keep MMPose 0.14's signatures on top of mmcv's ``EvalHook`` and
``DistEvalHook`` (which own the interval logic, the best-checkpoint bookkeeping
in ``runner.meta['hook_msgs']`` and the removal of the previous best file),
and adapt them to mmpose: datasets evaluate into a ``res_folder``, the result
list holds one entry per batch, and the comparison rule follows pose metrics.
"""
import os.path as osp
from math import inf

import torch.distributed as dist
from mmcv.runner import DistEvalHook as _MMCVDistEvalHook
from mmcv.runner import EvalHook as _MMCVEvalHook
from torch.nn.modules.batchnorm import _BatchNorm

from .eval_loops import multi_gpu_test, single_gpu_test


class _PoseEvalMixin:
    """What mmpose's two evaluation hooks share."""

    rule_map = {'greater': lambda x, y: x > y, 'less': lambda x, y: x < y}
    init_value_map = {'greater': -inf, 'less': inf}
    # Substrings of metric names, matched case-insensitively.
    _default_greater_keys = ['acc', 'ap', 'ar', 'pck', 'auc', '3dpck']
    _default_less_keys = ['loss', 'epe', 'nme', 'mpjpe']

    def __init__(self,
                 dataloader,
                 interval=1,
                 gpu_collect=False,
                 save_best=True,
                 key_indicator='AP',
                 rule=None,
                 **eval_kwargs):
        if save_best and not key_indicator:
            raise ValueError('key_indicator should not be None or empty when '
                             'save_best is True: name the metric to track, '
                             "e.g. key_indicator='AP'")
        # mmcv's hooks take the indicator's name, or None for no best file.
        super().__init__(
            dataloader,
            interval=interval,
            by_epoch=True,
            save_best=key_indicator if save_best else None,
            rule=rule,
            test_fn=self._test_fn,
            **eval_kwargs)
        if self.save_best is None:
            # mmcv leaves the rule unset (and unchecked) then.
            self._init_rule(rule, None)
        self.gpu_collect = gpu_collect

    def _init_rule(self, rule, key_indicator):
        """Pick the comparison rule, inferring it from the key indicator.

        Less-is-better names are matched first, so that e.g. ``'ap_loss'``
        counts as a loss rather than a precision.
        """
        if rule is not None and rule not in self.rule_map:
            raise KeyError(f'rule must be one of {sorted(self.rule_map)} or '
                           f'None, but got rule={rule!r}')
        if rule is None and key_indicator is not None:
            lowered = key_indicator.lower()
            if any(key in lowered for key in self._default_less_keys):
                rule = 'less'
            elif any(key in lowered for key in self._default_greater_keys):
                rule = 'greater'
            else:
                raise ValueError(
                    f'cannot infer the comparison rule for key_indicator='
                    f'{key_indicator!r}: pass rule="greater" or rule="less" '
                    f'(known greater-is-better names contain one of '
                    f'{self._default_greater_keys}, less-is-better ones one '
                    f'of {self._default_less_keys})')
        self.rule = rule
        self.key_indicator = key_indicator
        if rule is not None:
            self.compare_func = self.rule_map[rule]

    def evaluate(self, runner, results):
        """Evaluate the results with the dataset's ``evaluate``.

        It is called as 0.14 called it,
        ``dataset.evaluate(results, runner.work_dir, logger=runner.logger,
        **eval_kwargs)``: the result files (e.g. ``result_keypoints.json``)
        are written into the work dir.

        Args:
            runner (mmcv.Runner): The underlined training runner.
            results (list): Output results.

        Returns:
            float | None: The key indicator's value, None when no best
            checkpoint is kept.
        """
        # As 0.14 called it: the work dir as the second positional argument
        # (datasets written for 0.14 name it res_folder, work_dir, ...), so
        # the result files are kept there.
        eval_res = self.dataloader.dataset.evaluate(
            results, runner.work_dir, logger=runner.logger,
            **self.eval_kwargs)
        for name, val in eval_res.items():
            runner.log_buffer.output[name] = val
        runner.log_buffer.ready = True
        if self.save_best is None:
            return None
        if self.key_indicator not in eval_res:
            raise KeyError(
                f'key_indicator {self.key_indicator!r} is not among the '
                f'evaluation results {sorted(eval_res)}: set '
                '`evaluation.key_indicator` to one of them')
        # A plain float: NumPy scalars in runner.meta would make the saved
        # checkpoints unloadable with torch.load(weights_only=True).
        return float(eval_res[self.key_indicator])

    def _after_test(self, runner, results):
        runner.log_buffer.output['eval_iter_num'] = len(self.dataloader)
        key_score = self.evaluate(runner, results)
        # A score of 0 (untrained model) is still a score to keep.
        if key_score is not None:
            self._save_ckpt(runner, key_score)


class EvalHook(_PoseEvalMixin, _MMCVEvalHook):
    """Non-Distributed evaluation hook.

    This hook will regularly perform evaluation in a given interval when
    performing in non-distributed environment.

    Args:
        dataloader (DataLoader): A PyTorch dataloader.
        interval (int): Evaluation interval (by epochs). Default: 1.
        gpu_collect (bool): Whether to use gpu or cpu to collect results.
            Unused without distribution; kept for a common signature.
            Default: False.
        save_best (bool): Whether to save best checkpoint during evaluation.
            The file is ``best_{key_indicator}_epoch_{n}.pth`` in the work
            dir; the previous best is removed. Default: True.
        key_indicator (str | None): Key indicator to measure the best
            checkpoint during evaluation when save_best is set to True.
            Options are the evaluation metrics to the test dataset. e.g.,
            acc, AP, PCK. Default: AP.
        rule (str | None): Comparison rule for best score, 'greater' or
            'less'. If set to None, it will infer a reasonable rule from the
            key indicator (greater for AP/AR/PCK/AUC/acc, less for
            EPE/NME/MPJPE/loss). Default: 'None'.
        eval_kwargs (dict, optional): Arguments for evaluation.
    """

    _test_fn = staticmethod(single_gpu_test)

    def _do_evaluate(self, runner):
        """Called after every `interval` training epochs."""
        if not self._should_evaluate(runner):
            return
        results = self.test_fn(runner.model, self.dataloader)
        self._after_test(runner, results)


class DistEvalHook(_PoseEvalMixin, _MMCVDistEvalHook):
    """Distributed evaluation hook.

    This hook will regularly perform evaluation in a given interval when
    performing in distributed environment. Every rank runs its share of the
    loader; rank 0 gathers, evaluates and keeps the best checkpoint.

    Args:
        dataloader (DataLoader): A PyTorch dataloader.
        interval (int): Evaluation interval (by epochs). Default: 1.
        gpu_collect (bool): Whether to use gpu or cpu to collect results.
            Default: False.
        save_best (bool): Whether to save best checkpoint during evaluation.
            Default: True.
        key_indicator (str | None): Key indicator to measure the best
            checkpoint during evaluation when save_best is set to True.
            Options are the evaluation metrics to the test dataset, e.g.
            AP, PCK, EPE. Default: AP.
        rule (str | None): Comparison rule for best score. If set to None, it
            will infer a reasonable rule. Default: 'None'.
        eval_kwargs (dict, optional): Arguments for evaluation.
    """

    _test_fn = staticmethod(multi_gpu_test)

    def _do_evaluate(self, runner):
        """Called after every `interval` training epochs."""
        if not self._should_evaluate(runner):
            return
        if self.broadcast_bn_buffer:
            self._broadcast_bn_buffers(runner.model)
        tmpdir = self.tmpdir
        if tmpdir is None:
            tmpdir = osp.join(runner.work_dir, '.eval_hook')
        results = self.test_fn(
            runner.model,
            self.dataloader,
            tmpdir=tmpdir,
            gpu_collect=self.gpu_collect)
        if runner.rank == 0:
            print('\n')
            self._after_test(runner, results)

    @staticmethod
    def _broadcast_bn_buffers(model):
        """Give every rank rank 0's BatchNorm statistics before testing.

        DDP does not synchronise running_mean/var, so ranks would otherwise
        evaluate slightly different models.
        """
        for module in model.modules():
            if isinstance(module, _BatchNorm) and module.track_running_stats:
                dist.broadcast(module.running_var, 0)
                dist.broadcast(module.running_mean, 0)
