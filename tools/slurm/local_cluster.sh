#!/usr/bin/env bash
# Start a one-node Slurm cluster on this machine (for testing slurm_train.sh).
#
# Installs Debian's slurm-wlm and munge when missing (needs root and apt),
# writes a slurm.conf for a single node "localhost" with this machine's CPUs,
# and starts munged, slurmctld and slurmd. Idempotent: running it again
# restarts the daemons with a fresh configuration.
#
#   sudo bash tools/slurm/local_cluster.sh          # start
#   sudo bash tools/slurm/local_cluster.sh stop     # stop the daemons
#
# Afterwards `sinfo` shows one idle node in partition "debug", and
# `srun -p debug -n 2 hostname` runs two tasks.
set -euo pipefail

STATE_DIR=${SLURM_LOCAL_STATE:-/var/lib/slurm-local}
CONF_DIR=/etc/slurm
PARTITION=${PARTITION:-debug}

stop_daemons() {
    pkill -x slurmd 2>/dev/null || true
    pkill -x slurmctld 2>/dev/null || true
    for _ in $(seq 20); do
        pgrep -x slurmd >/dev/null || pgrep -x slurmctld >/dev/null || break
        sleep 0.5
    done
}

if [ "${1:-start}" = stop ]; then
    stop_daemons
    pkill -x munged 2>/dev/null || true
    echo "slurm daemons stopped"
    exit 0
fi

if [ "$(id -u)" != 0 ]; then
    echo "local_cluster.sh must run as root (it installs packages and starts daemons)" >&2
    exit 1
fi

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null \
        || ! command -v munged >/dev/null; then
    echo "installing slurm-wlm and munge from Debian's packages..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq slurm-wlm munge >/dev/null
fi

# munge: a key and a running daemon
mkdir -p /etc/munge /var/run/munge /var/log/munge /var/lib/munge
if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
fi
chown -R munge:munge /etc/munge /var/run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
chmod 0400 /etc/munge/munge.key
chmod 0755 /var/run/munge
if ! pgrep -x munged >/dev/null; then
    if id munge >/dev/null 2>&1; then
        runuser -u munge -- /usr/sbin/munged --force
    else
        /usr/sbin/munged --force
    fi
fi

stop_daemons
CPUS=$(nproc)
MEM_MB=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
mkdir -p "$CONF_DIR" "$STATE_DIR/ctld" "$STATE_DIR/d" /var/log/slurm
cat > "$CONF_DIR/slurm.conf" <<CONF
# one-node test cluster written by tools/slurm/local_cluster.sh
ClusterName=local
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$STATE_DIR/ctld
SlurmdSpoolDir=$STATE_DIR/d
SlurmctldPidFile=$STATE_DIR/slurmctld.pid
SlurmdPidFile=$STATE_DIR/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
NodeName=localhost CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=$PARTITION Nodes=localhost Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
# no cgroup.conf: proctrack/linuxproc and task/none need no cgroups (containers often have none)
rm -f "$CONF_DIR/cgroup.conf"

slurmctld -c
slurmd -c

for _ in $(seq 60); do
    if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
        sinfo
        exit 0
    fi
    sleep 1
done
echo "slurm did not come up; see /var/log/slurm/slurmctld.log and slurmd.log" >&2
sinfo >&2 || true
exit 1
