#!/usr/bin/env bash
# Runs the shipped sweeps and draws the figures of the docs' sweeps guide
# (apps/docs/guides/figures/). Run from the repository root after `pnpm build`:
#
#   bash examples/sweeps/make-figures.sh [STORE_DIR]
#
# The stores go to STORE_DIR (default: a temporary directory); a second run resumes them (nothing
# is recomputed). maillard-kappa-half.yaml (d = 100, several minutes per run) is not run here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
cli=(node apps/cli/dist/index.js)
stores="${1:-$(mktemp -d)}"
figures=apps/docs/guides/figures
mkdir -p "$stores" "$figures"

for sweep in sample-threshold identity-init maillard-recovery two-layer-rates; do
  "${cli[@]}" sweep "examples/sweeps/$sweep.yaml" --store "$stores/$sweep.sqlite"
done

"${cli[@]}" results "$stores/sample-threshold.sqlite" --success "relativeError < 1e-6" \
  --plot x=ratio,y=fraction,series=d --out "$figures/sample-threshold.svg"
"${cli[@]}" results "$stores/identity-init.sqlite" --success "certificate.energyBarrier.belowBarrier" \
  --plot x=m_per_d2,y=fraction,series=d --out "$figures/identity-init.svg"
"${cli[@]}" results "$stores/maillard-recovery.sqlite" --success "relativeError < 1e-3" \
  --plot x=kappa,y=alpha,color=fraction --out "$figures/maillard-recovery.svg"
"${cli[@]}" results "$stores/two-layer-rates.sqlite" \
  --plot x=m,y=rate_ratio,color=empiricalRisk --out "$figures/two-layer-risk.svg"
"${cli[@]}" results "$stores/two-layer-rates.sqlite" \
  --plot x=m,y=movementHidden,series=rate_ratio --out "$figures/two-layer-movement.svg"
echo "figures in $figures, stores in $stores"
