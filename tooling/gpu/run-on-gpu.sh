#!/usr/bin/env bash
# Runs the gpu benchmark suite on a GPU machine from the folder tooling/gpu/pack.mjs assembled
# (it needs the machine's GPU driver with its Vulkan driver, and nothing else: no Node, no network).
# Writes gpu-bench.json and gpu-bench.log into $OUT (or this folder). Usage:
#   bash gpu-pack/run-on-gpu.sh [--quick]
set -u
here="$(cd "$(dirname "$0")" && pwd)"
out="${OUT:-$here}"
mkdir -p "$out"
# The Vulkan loader, unpacked into the root (the driver's ICD manifest is already on such machines).
for deb in "$here"/debs/*.deb; do dpkg -x "$deb" / ; done
ldconfig 2>/dev/null || true
bin="$(mktemp -d)"
xz -dc "$here/node.xz" > "$bin/node" && chmod +x "$bin/node"
export PATH="$bin:$PATH"
{
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 || true
  ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>/dev/null || true
  cd "$here" && timeout 540 node gpu-bench.mjs "$@" --out "$out/gpu-bench.json"
  echo "exit $?"
} 2>&1 | tee "$out/gpu-bench.log"
