#!/usr/bin/env bash
# End-to-end check of tools/slurm_train.sh on a real (one-node, local) Slurm:
#
#   1. tools/slurm/local_cluster.sh starts munge, slurmctld and slurmd;
#   2. tools/dataset/make_synthetic_coco.py writes a tiny synthetic COCO set;
#   3. tools/slurm_train.sh debug JOB CONFIG WORK_DIR runs the synthetic
#      top-down config for one short epoch as 2 Slurm tasks (GPUS=2,
#      GPUS_PER_NODE=2) with --launcher slurm: rank, world size and master
#      address come from the SLURM_* variables, and on this CPU machine the
#      process group uses gloo;
#   4. the work dir must hold the checkpoint, latest.pth, the text log with
#      both ranks' world and the json log.
#
# Run as root (local_cluster.sh installs and starts daemons):
#   make test-slurm          or   bash tools/slurm/test_slurm_train.sh [OUT]
# Environment: PY (python with mmpose installed, default .venv/bin/python),
# PARTITION (debug). The node has no GPUs, so SRUN_ARGS adds --gres=gpu:0,
# which overrides slurm_train.sh's --gres=gpu:$GPUS_PER_NODE (the last
# --gres wins).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(realpath -ms "${1:-$REPO/work_dirs/test_slurm}")
PY=$(realpath -ms "${PY:-$REPO/.venv/bin/python}")
PARTITION=${PARTITION:-debug}
DATA=$OUT/data
WORK_DIR=$OUT/work
CONFIG=$OUT/slurm_synthetic_cfg.py

bash "$REPO/tools/slurm/local_cluster.sh"

# Only what this script writes is removed from an earlier run.
rm -rf "$DATA" "$WORK_DIR" "$CONFIG" "$OUT/srun.out"
mkdir -p "$OUT"
"$PY" "$REPO/tools/dataset/make_synthetic_coco.py" --out-dir "$DATA" \
    --num-train 16 --num-val 4 --size 128 128 --seed 0 --nproc 2

# The synthetic demo config, shortened: 1 epoch of 16 images at 4 per task
# (2 iterations on each of the 2 tasks), no evaluation pass.
cat > "$CONFIG" <<CFG
_base_ = ['$REPO/configs/top_down/synthetic/res18_synthetic_coco_128x96.py']
data_root = '$DATA'
total_epochs = 1
checkpoint_config = dict(interval=1)
log_config = dict(interval=1)
data = dict(
    samples_per_gpu=4,
    workers_per_gpu=0,
    train=dict(
        ann_file=f'{data_root}/annotations/person_keypoints_train.json',
        img_prefix=f'{data_root}/train/'),
    val=dict(
        ann_file=f'{data_root}/annotations/person_keypoints_val.json',
        img_prefix=f'{data_root}/val/'),
    test=dict(
        ann_file=f'{data_root}/annotations/person_keypoints_val.json',
        img_prefix=f'{data_root}/val/'))
CFG

PORT=$("$PY" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
start=$(date +%s)
# slurm_launch.sh runs `python`: the environment's interpreter comes first.
PATH="$(dirname "$PY"):$PATH" MASTER_PORT=$PORT \
GPUS=2 GPUS_PER_NODE=2 CPUS_PER_TASK=1 SRUN_ARGS="--gres=gpu:0" \
    bash "$REPO/tools/slurm_train.sh" "$PARTITION" mmpose_slurm_test \
    "$CONFIG" "$WORK_DIR" --no-validate --seed 0 2>&1 | tee "$OUT/srun.out"
status=${PIPESTATUS[0]}
seconds=$(( $(date +%s) - start ))

fail() { echo "test-slurm FAILED: $*" >&2; exit 1; }
[ "$status" = 0 ] || fail "slurm_train.sh exited with $status (see $OUT/srun.out)"
[ -s "$WORK_DIR/epoch_1.pth" ] || fail "no $WORK_DIR/epoch_1.pth"
[ -e "$WORK_DIR/latest.pth" ] || fail "no $WORK_DIR/latest.pth"
log=$(ls "$WORK_DIR"/*.log 2>/dev/null | head -n1)
[ -n "$log" ] || fail "no text log in $WORK_DIR"
ls "$WORK_DIR"/*.log.json >/dev/null 2>&1 || fail "no json log in $WORK_DIR"
grep -q "Distributed training: True" "$log" || fail "$log: not a distributed run"
"$PY" - "$WORK_DIR" "$log" <<'PYCHECK' || fail "checkpoint/log check"
import json, sys, glob, torch
work_dir, log = sys.argv[1], sys.argv[2]
ckpt = torch.load(f'{work_dir}/latest.pth', map_location='cpu',
                  weights_only=False)
records = [json.loads(line) for line in open(glob.glob(f'{work_dir}/*.log.json')[0])]
train = [r for r in records if r.get('mode') == 'train']
print(f"checkpoint: epoch {ckpt['meta']['epoch']}, iter {ckpt['meta']['iter']}, "
      f"{len(ckpt['state_dict'])} tensors; log: {len(train)} train records, "
      f"losses {[round(r['loss'], 5) for r in train]}")
assert ckpt['meta']['epoch'] == 1 and len(train) >= 1
PYCHECK
echo "test-slurm OK: 2 Slurm tasks (gloo) trained 1 epoch in ${seconds}s;" \
    "work dir $WORK_DIR: $(cd "$WORK_DIR" && ls | tr '\n' ' ')"
