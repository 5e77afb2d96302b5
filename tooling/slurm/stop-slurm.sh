#!/usr/bin/env bash
# Stops the single-node test cluster that tooling/slurm/start-slurm.sh started under BASE.
#
# Usage:
#   tooling/slurm/stop-slurm.sh [BASE]         # BASE defaults to $PWD/slurm-run
#
# Cancels the cluster's jobs that are still queued or running (so that no job's processes
# outlive slurmd), then stops slurmd, slurmctld and munged (together), each by the PID in its
# pidfile under BASE: SIGTERM, up to 5 s for it to exit, then SIGKILL. A pidfile whose
# process is gone, or whose PID now belongs to another program, is only removed. It never
# signals processes by name, so clusters under other BASEs and the system's own daemons are left
# alone. Idempotent: with nothing running under BASE it does nothing and exits 0. Files under
# BASE (logs, state) are kept for inspection; delete BASE when done.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

BASE="${1:-$PWD/slurm-run}"
[ -d "$BASE" ] || exit 0

log() { echo "stop-slurm: $*" >&2; }

# The PID in pidfile $1 when it is a live process named $2 (guards against a reused PID).
live_pid() {
  local file="$1" name="$2" pid comm
  [ -s "$file" ] || return 1
  pid="$(tr -dc '0-9' < "$file")"
  [ -n "$pid" ] || return 1
  comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
  [ "$comm" = "$name" ] || return 1
  echo "$pid"
}

# Jobs first, while slurmctld and slurmd can still end them cleanly. Short timeouts: a healthy
# controller answers in milliseconds, a dying one would keep squeue retrying for 10 s.
if live_pid "$BASE/slurmctld.pid" slurmctld >/dev/null && [ -f "$BASE/slurm.conf" ] && command -v squeue >/dev/null 2>&1; then
  export SLURM_CONF="$BASE/slurm.conf"
  jobs="$(timeout 3 squeue -h -o '%A' -t PENDING,RUNNING,SUSPENDED,CONFIGURING,COMPLETING 2>/dev/null | sort -u || true)"
  if [ -n "$jobs" ]; then
    # shellcheck disable=SC2086 # one argument per job id
    timeout 5 scancel $jobs 2>/dev/null || true
    for _ in $(seq 1 40); do
      [ -z "$(timeout 3 squeue -h -o '%A' -t PENDING,RUNNING,SUSPENDED,CONFIGURING,COMPLETING 2>/dev/null || true)" ] && break
      sleep 0.25
    done
  fi
fi

# Sends SIGTERM to the live daemons among the "pidfile:name" pairs given, waits up to 5 s for
# them to exit, sends SIGKILL to any left, and removes the pidfiles.
stop_daemons() {
  local pair file name pid
  local -a pids=() names=() files=()
  for pair in "$@"; do
    file="${pair%%:*}"
    name="${pair##*:}"
    files+=("$file")
    if pid="$(live_pid "$file" "$name")"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
      names+=("$name")
    fi
  done
  local i left
  for _ in $(seq 1 50); do
    left=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left=1; done
    [ "$left" -eq 0 ] && break
    sleep 0.1
  done
  for i in "${!pids[@]}"; do
    pid="${pids[$i]}"
    if kill -0 "$pid" 2>/dev/null; then
      log "${names[$i]} ($pid) did not exit within 5 s of SIGTERM: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
    fi
    log "stopped ${names[$i]} ($pid)"
  done
  for file in "${files[@]}"; do rm -f "$file"; done
}

# All three together: each takes about 2 s to shut down, and none needs the others for it (the
# jobs are gone already).
stop_daemons "$BASE/slurmd.pid:slurmd" "$BASE/slurmctld.pid:slurmctld" "$BASE/munge/munged.pid:munged"
