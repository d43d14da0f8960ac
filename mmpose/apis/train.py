import copy
import os
import os.path as osp
import tempfile

import torch
from mmcv.runner import DistSamplerSeedHook, EpochBasedRunner, OptimizerHook

from mmpose.core.distributed_wrapper import DistributedDataParallelWrapper
from mmpose.core.evaluation import DistEvalHook, EvalHook
from mmpose.core.fp16 import Fp16OptimizerHook
from mmpose.core.optimizer import build_optimizers
from mmpose.core.utils.dist_utils import wrap_model
from mmpose.core.utils.rng_state import get_rng_state, set_rng_state
from mmpose.datasets import build_dataloader, build_dataset
from mmpose.utils import ArgumentError, get_root_logger

from .cli import check_checkpoint_file


class AtomicCheckpointRunner(EpochBasedRunner):
    """``EpochBasedRunner`` whose checkpoints appear whole or not at all.

    Every checkpoint (by the checkpoint hook, the best-checkpoint logic of the
    evaluation hooks, or a direct call) is written to a temporary file in the
    target folder, flushed to disk and renamed over the final name, so a crash
    mid-write leaves the previous file intact rather than a truncated one.

    A single-process run also stores its random generator states in the
    checkpoint meta (``rng_state``) and :meth:`resume` restores them, so that
    a resumed run shuffles and augments exactly as the uninterrupted run
    would have (with ``--seed``/``--deterministic``: identical weights). The
    states of other ranks are not available to rank 0, which saves; a
    distributed resume keeps each rank's fresh generators.
    """

    def save_checkpoint(self,
                        out_dir,
                        filename_tmpl='epoch_{}.pth',
                        save_optimizer=True,
                        meta=None,
                        create_symlink=True):
        """Save the checkpoint atomically; arguments as mmcv's runner."""
        meta = dict(meta or {})
        if self.world_size == 1:
            meta['rng_state'] = get_rng_state()
        filename = filename_tmpl.format(self.epoch + 1)
        filepath = osp.join(out_dir, filename)
        target_dir = osp.dirname(filepath)
        os.makedirs(target_dir, exist_ok=True)
        fd, tmp_path = tempfile.mkstemp(
            prefix=f'.{osp.basename(filename)}.',
            suffix='.tmp',
            dir=target_dir)
        os.close(fd)
        # mmcv formats the name it is given: keep braces in it literal.
        tmp_tmpl = osp.relpath(tmp_path, out_dir).replace('{', '{{')
        tmp_tmpl = tmp_tmpl.replace('}', '}}')
        try:
            super().save_checkpoint(
                out_dir,
                filename_tmpl=tmp_tmpl,
                save_optimizer=save_optimizer,
                meta=meta,
                create_symlink=False)
            with open(tmp_path, 'rb') as f:
                os.fsync(f.fileno())
            # mkstemp made it owner-only (0600); a checkpoint gets the mode
            # of any new file (0666 less the umask), as torch.save gives.
            os.chmod(tmp_path, 0o666 & ~_current_umask())
            os.replace(tmp_path, filepath)
            # Persist the rename itself.
            dir_fd = os.open(target_dir, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        finally:
            if osp.exists(tmp_path):
                os.remove(tmp_path)
        if create_symlink:
            _replace_symlink(filename, osp.join(out_dir, 'latest.pth'))

    def resume(self,
               checkpoint,
               resume_optimizer=True,
               map_location='default'):
        """Resume as mmcv does, plus the generator states (see above)."""
        super().resume(
            checkpoint,
            resume_optimizer=resume_optimizer,
            map_location=map_location)
        rng_state = (self.meta or {}).pop('rng_state', None)
        if rng_state is not None and self.world_size == 1:
            set_rng_state(rng_state)


def _current_umask():
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def _replace_symlink(target, link_path):
    """Point ``link_path`` at ``target`` without a moment of absence."""
    tmp_link = f'{link_path}.{os.getpid()}.tmp'
    if osp.lexists(tmp_link):
        os.remove(tmp_link)
    os.symlink(target, tmp_link)
    os.replace(tmp_link, link_path)


def _optimizer_hook_config(cfg, distributed):
    """Turn ``optimizer_config`` (and ``fp16``) into what the runner takes."""
    optimizer_config = cfg.get('optimizer_config', {}) or {}
    fp16_cfg = cfg.get('fp16', None)
    if fp16_cfg is not None:
        return Fp16OptimizerHook(
            **optimizer_config, **fp16_cfg, distributed=distributed)
    if distributed and 'type' not in optimizer_config:
        return OptimizerHook(**optimizer_config)
    return optimizer_config


def _max_epochs(cfg):
    if cfg.get('runner') is not None and 'max_epochs' in cfg.runner:
        return cfg.runner.max_epochs
    if 'total_epochs' not in cfg:
        raise KeyError('the config sets neither `total_epochs` nor '
                       '`runner.max_epochs`: say how many epochs to train')
    return cfg.total_epochs


def _check_loader_not_empty(dataset, loader, setting):
    """Refuse a loader that yields no batch: an epoch without a single
    iteration would save untrained weights as if training had happened."""
    if len(loader) > 0:
        return
    raise ArgumentError(
        f'{type(dataset).__name__} has {len(dataset)} samples, fewer than '
        f'one batch (data.samples_per_gpu={setting["samples_per_gpu"]} per '
        f'GPU), and incomplete batches are dropped (drop_last=True), so '
        'training would run no iteration: lower data.samples_per_gpu or set '
        'data.train_dataloader=dict(drop_last=False)')


def train_model(model,
                dataset,
                cfg,
                distributed=False,
                validate=False,
                timestamp=None,
                meta=None):
    """Train model entry function.

    Args:
        model (nn.Module): The model to be trained.
        dataset (Dataset | list[Dataset]): Train dataset (one per workflow
            phase).
        cfg (mmcv.Config): The config dict for training. With
            ``use_adversarial_train=True`` (as 0.14's mesh configs), the
            model's ``train_step`` steps the optimizers itself (``optimizer``
            may be a dict of configs, one per sub-module: see
            ``build_optimizers``), no optimizer hook is registered, and a
            distributed model is wrapped by
            :class:`DistributedDataParallelWrapper`.
        distributed (bool): Whether to use distributed training.
            Default: False.
        validate (bool): Whether to do evaluation. Default: False.
        timestamp (str | None): Local time for runner. Default: None.
        meta (dict | None): Meta dict to record some important information.
            Default: None
    """
    logger = get_root_logger(log_level=cfg.get('log_level', 'INFO'))
    datasets = dataset if isinstance(dataset, (list, tuple)) else [dataset]
    gpu_ids = cfg.get('gpu_ids', None) or [0]

    dataloader_setting = dict(
        samples_per_gpu=cfg.data.get('samples_per_gpu', 1),
        workers_per_gpu=cfg.data.get('workers_per_gpu', 0),
        num_gpus=len(gpu_ids),
        dist=distributed,
        seed=cfg.get('seed', None))
    dataloader_setting.update(cfg.data.get('train_dataloader', {}))
    data_loaders = [
        build_dataloader(ds, **dataloader_setting) for ds in datasets
    ]
    for ds, loader in zip(datasets, data_loaders):
        _check_loader_not_empty(ds, loader, dataloader_setting)

    # Adversarial training (0.14's mesh models): the model steps its own
    # optimizers (a dict, one per sub-module) inside train_step.
    use_adversarial_train = cfg.get('use_adversarial_train', False)
    find_unused_parameters = cfg.get('find_unused_parameters', True)
    if distributed and use_adversarial_train:
        model = DistributedDataParallelWrapper(
            model,
            device_ids=([torch.cuda.current_device()]
                        if torch.cuda.is_available() else None),
            broadcast_buffers=False,
            find_unused_parameters=find_unused_parameters)
    else:
        model = wrap_model(
            model,
            distributed=distributed,
            gpu_ids=gpu_ids,
            find_unused_parameters=find_unused_parameters)

    optimizer = build_optimizers(model, cfg.optimizer)
    runner = AtomicCheckpointRunner(
        model,
        optimizer=optimizer,
        work_dir=cfg.work_dir,
        logger=logger,
        meta=meta,
        max_epochs=_max_epochs(cfg))
    # The logger hooks name the *.log.json after it.
    runner.timestamp = timestamp

    # mmcv's runner pops 'policy' from the dict it gets: a copy keeps the
    # caller's config reusable (dumped after training, it trains again).
    runner.register_training_hooks(copy.deepcopy(cfg.lr_config),
                                   None if use_adversarial_train else
                                   _optimizer_hook_config(cfg, distributed),
                                   cfg.get('checkpoint_config', None),
                                   cfg.get('log_config', None),
                                   cfg.get('momentum_config', None))
    if distributed:
        runner.register_hook(DistSamplerSeedHook())

    if validate:
        eval_cfg = dict(cfg.get('evaluation', {}))
        val_dataset = build_dataset(cfg.data.val, dict(test_mode=True))
        val_setting = dict(
            samples_per_gpu=1,
            workers_per_gpu=cfg.data.get('workers_per_gpu', 0),
            num_gpus=len(gpu_ids),
            dist=distributed,
            drop_last=False,
            shuffle=False)
        val_setting.update(cfg.data.get('val_dataloader', {}))
        val_dataloader = build_dataloader(val_dataset, **val_setting)
        eval_hook = DistEvalHook if distributed else EvalHook
        # Evaluate before the checkpoint hook saves epoch_{n}.pth, so that
        # the best score/checkpoint it records include epoch n: resuming
        # from it then compares against, and later removes, the right best.
        runner.register_hook(
            eval_hook(val_dataloader, **eval_cfg), priority='ABOVE_NORMAL')

    # Local files only (a remote name is looked up in the torch hub cache,
    # never downloaded), checked before the first iteration.
    resume_from, load_from = (check_checkpoint_file(cfg.get(key, None))
                              if cfg.get(key, None) else None
                              for key in ('resume_from', 'load_from'))
    if resume_from:
        runner.resume(resume_from)
    elif load_from:
        runner.load_checkpoint(load_from)
    runner.run(data_loaders, cfg.get('workflow', [('train', 1)]))
