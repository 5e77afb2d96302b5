#!/usr/bin/env bash
# Starts a throwaway single-node Slurm cluster (munge + slurmctld + slurmd) on this machine, for
# developing and testing the CLI's Slurm support (`shallowscape sweep --slurm`) without a real
# cluster. Everything it writes (munge key and socket, slurm.conf, state, spool, pidfiles, logs)
# lies under BASE; the only thing outside it is a `127.0.0.1 <hostname>` line appended to
# /etc/hosts when this machine's short hostname does not resolve (the daemons look it up).
#
# Usage:
#   tooling/slurm/start-slurm.sh [BASE]        # BASE defaults to $PWD/slurm-run
#   export "$(tooling/slurm/start-slurm.sh /tmp/slurm | tail -1)"
#
# Its last line on standard output is `SLURM_CONF=<BASE>/slurm.conf` (the only line there;
# progress goes to standard error); point the Slurm commands (sbatch, squeue, ...) at the
# cluster by exporting it. Stop the cluster with `tooling/slurm/stop-slurm.sh BASE`.
#
# Requirements: root (the daemons and the jobs run as root: SlurmUser=root), the Debian packages
# slurm-wlm and munge (`apt-get install -y --no-install-recommends slurm-wlm munge`), and the
# ports 6817 (slurmctld) and 6818 (slurmd) free. A cluster left under the same BASE by an
# earlier run is stopped first (by its pidfiles); one started under another BASE holds the
# ports, so this script refuses to start next to it.
#
# Exit status: 0 when the node is idle (ready for jobs); 2 (with one line on standard error)
# when not root, when slurm-wlm or munge is missing, or for an unusable BASE; 1 when the ports
# are taken or the cluster does not come up (with the tails of the daemons' logs on standard
# error; the daemons it started are stopped again).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The daemons live in /usr/sbin, which is not on every root PATH (e.g. `su` without `-`).
export PATH="$PATH:/usr/sbin:/sbin"

CTLD_PORT=6817
SLURMD_PORT=6818
INSTALL_HINT='install: apt-get install -y --no-install-recommends slurm-wlm munge'

log() { echo "start-slurm: $*" >&2; }
refuse() { echo "start-slurm: $*" >&2; exit 2; }

if [ "$(id -u)" -ne 0 ]; then
  refuse "must run as root (the test cluster runs its daemons and jobs as root)"
fi
for tool in slurmctld slurmd munged munge unmunge sinfo; do
  command -v "$tool" >/dev/null 2>&1 || refuse "$tool not found; $INSTALL_HINT"
done

BASE="${1:-$PWD/slurm-run}"
case "$BASE" in
  *[[:space:]]*) refuse "BASE must not contain whitespace (slurm.conf cannot quote it): '$BASE'" ;;
  '') refuse "BASE must not be empty" ;;
esac
mkdir -p "$BASE"
BASE="$(cd "$BASE" && pwd -P)"
# munged's socket path must fit in a sockaddr_un (108 bytes).
if [ "${#BASE}" -gt 80 ]; then
  refuse "BASE is too long for munge's socket path (${#BASE} characters, at most 80): $BASE"
fi

# A cluster left under this BASE: stop it (by pidfile) before its files are replaced.
bash "$here/stop-slurm.sh" "$BASE" >&2

# The ports: a cluster under another BASE (or anything else) must not be taken over silently.
port_in_use() {
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}
for port in "$CTLD_PORT" "$SLURMD_PORT"; do
  if port_in_use "$port"; then
    holder=''
    command -v ss >/dev/null 2>&1 && holder="$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'users:.*' | head -1 || true)"
    echo "start-slurm: port $port is already in use${holder:+ ($holder)}: another Slurm cluster (stop it with stop-slurm.sh and its BASE) or another program holds it" >&2
    exit 1
  fi
done

# Fresh files: only the ones this script owns, never BASE itself (it may be a user's folder).
rm -rf "$BASE/munge" "$BASE/sock" "$BASE/ctld" "$BASE/slurmd" "$BASE/log" "$BASE/slurm.conf"
mkdir -p "$BASE"/{munge,sock,ctld,slurmd,log}
chmod 700 "$BASE/munge"
chmod 755 "$BASE" "$BASE/sock"

started=0
on_exit() {
  status=$?
  if [ "$status" -ne 0 ] && [ "$started" -eq 1 ]; then
    for f in "$BASE"/log/*.log; do
      [ -f "$f" ] || continue
      echo "----- tail of $f -----" >&2
      tail -n 25 "$f" >&2 || true
    done
    bash "$here/stop-slurm.sh" "$BASE" >&2 || true
  fi
  exit "$status"
}
trap on_exit EXIT

host="$(hostname -s)"
if ! getent hosts "$host" >/dev/null; then
  log "adding '127.0.0.1 $host' to /etc/hosts (the daemons resolve the node's name)"
  echo "127.0.0.1 $host" >> /etc/hosts
fi

# munge: its own key and socket, so that it does not touch (or need) the system's munged.
started=1
dd if=/dev/urandom of="$BASE/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$BASE/munge/munge.key"
# Each daemon's own start-up messages go to log/*.start.log (shown on failure), so that none keeps
# this script's standard output open (a caller reading it to the end would wait for the daemon).
munged --force --key-file="$BASE/munge/munge.key" --socket="$BASE/sock/munge.sock" \
  --pid-file="$BASE/munge/munged.pid" --log-file="$BASE/log/munged.log" --seed-file="$BASE/munge/seed" \
  </dev/null >"$BASE/log/munged.start.log" 2>&1 || { echo "start-slurm: munged did not start" >&2; exit 1; }
if ! munge -n -S "$BASE/sock/munge.sock" | unmunge -S "$BASE/sock/munge.sock" >/dev/null; then
  echo "start-slurm: munge does not work (a credential made with the new key does not decode)" >&2
  exit 1
fi

cpus="$(nproc)"
memory="$(slurmd -C 2>/dev/null | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' | head -1)"
[ -n "$memory" ] || memory=1000

cat > "$BASE/slurm.conf" <<CONF
# Written by tooling/slurm/start-slurm.sh: a single-node test cluster. Everything under $BASE.
ClusterName=shallowscape-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$BASE/sock/munge.sock
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
StateSaveLocation=$BASE/ctld
SlurmdSpoolDir=$BASE/slurmd
SlurmctldPidFile=$BASE/slurmctld.pid
SlurmdPidFile=$BASE/slurmd.pid
SlurmctldLogFile=$BASE/log/slurmctld.log
SlurmdLogFile=$BASE/log/slurmd.log
# No cgroups, no accounting database: runs in a container as it does on a laptop.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
# Schedule at once (tests submit and wait), keep finished jobs visible to squeue/scontrol for
# MinJobAge seconds, and give cancelled jobs KillWait seconds between SIGTERM and SIGKILL.
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
DependencyParameters=kill_invalid_depend
MinJobAge=300
KillWait=5
MaxArraySize=10001
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$BASE/slurm.conf"

# -i: ignore any saved state. Both daemons fork and write their pidfiles (see slurm.conf).
if ! slurmctld -i </dev/null >"$BASE/log/slurmctld.start.log" 2>&1; then
  echo "start-slurm: slurmctld did not start" >&2
  exit 1
fi
if ! slurmd </dev/null >"$BASE/log/slurmd.start.log" 2>&1; then
  echo "start-slurm: slurmd did not start" >&2
  exit 1
fi

for i in $(seq 1 120); do
  if sinfo -h -N -o '%T' 2>/dev/null | grep -qx idle; then
    log "node $host idle after ${i} polls (0.25 s each); cluster under $BASE"
    trap - EXIT
    echo "SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 0.25
done
echo "start-slurm: the node did not become idle within 30 s" >&2
sinfo -N -l >&2 || true
exit 1
