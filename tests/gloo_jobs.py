"""One pair of gloo processes runs the distributed part of every test.

A spawned process spends ~5 s of CPU importing torch and mmpose before it
does anything, so instead of one spawn per test, a test module registers a
job with :func:`gloo_job` when it is imported, and the session fixture
``gloo_outputs`` (conftest.py) starts two processes once; they join one
process group (``init_dist('pytorch', backend='gloo')``) and run every
registered job in turn. A job is

- ``prepare(folder) -> args``: runs in the test process before the spawn
  (writes data, builds a config);
- ``run(rank, world_size, folder, args)``: runs on both ranks and writes what
  the test checks into ``folder``.

A failing job stops both processes; every test that asked for the outputs
then fails with the worker's traceback.
"""
import os
import traceback

_JOBS = {}


def gloo_job(name, prepare, run):
    """Register a job (again: the last registration of ``name`` counts)."""
    _JOBS[name] = (prepare, run)


def run_jobs(folder_for):
    """Prepare the jobs here, then run them on two gloo processes.

    Args:
        folder_for (Callable[[str], Path]): A fresh folder for a job name.

    Returns:
        dict: job name -> (folder, args, error): the job's folder, what its
        ``prepare`` returned, and None or the workers' error messages.
    """
    from scale_helpers import free_port, spawn
    if not _JOBS:
        return {}
    folders = {name: folder_for(name) for name in _JOBS}
    jobs = [(name, str(folders[name]), prepare(folders[name]), run)
            for name, (prepare, run) in _JOBS.items()]
    error = None
    try:
        spawn(_worker, 2, (free_port(), jobs))
    except RuntimeError as err:
        logs = [
            open(os.path.join(folder, log)).read()
            for folder in map(str, folders.values())
            for log in sorted(os.listdir(folder))
            if log.startswith('error_rank')
        ]
        error = '\n'.join([str(err)] + logs)
    return {name: (folders[name], args, error)
            for name, _, args, _ in jobs}


def _worker(rank, world_size, port, jobs):
    import mmcv.runner.epoch_based_runner as ebr
    import torch.distributed as dist

    from mmpose.core.utils.dist_utils import init_dist
    from scale_helpers import register_scale_modules, set_dist_env
    from toy_pose_modules import register_toy_modules

    register_scale_modules()
    register_toy_modules()
    ebr.time.sleep = lambda seconds: None  # mmcv waits 2 s per epoch
    set_dist_env(rank, world_size, port)
    init_dist('pytorch', backend='gloo')
    try:
        for name, folder, args, run in jobs:
            try:
                run(rank, world_size, folder, args)
            except BaseException:
                with open(os.path.join(folder, f'error_rank{rank}.txt'),
                          'w') as f:
                    f.write(f'job {name}, rank {rank}:\n' +
                            traceback.format_exc())
                raise
            dist.barrier()
    finally:
        dist.destroy_process_group()
