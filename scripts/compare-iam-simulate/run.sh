#!/usr/bin/env bash
# Side-by-side speed and decision comparison: keyshake eval --json vs
# @cloud-copilot/iam-simulate, on every request of tests/scenarios/*.toml.
#
#   scripts/compare-iam-simulate/run.sh
#
# Needs node + npm, python3 >= 3.11, and a release build of keyshake
# (cargo build --release). Uses hyperfine when installed, else a loop of
# 10 runs timed with date +%s%N. Work files go to $WORK (/tmp/iamsim).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
WORK="${WORK:-/tmp/iamsim}"
KEYSHAKE="${KEYSHAKE:-$REPO/target/release/keyshake}"
RUNS="${RUNS:-10}"
export IAMSIM_DIR="$WORK"

# 1. Install iam-simulate (we only run it).
mkdir -p "$WORK"
if [ ! -d "$WORK/node_modules/@cloud-copilot/iam-simulate" ]; then
  (cd "$WORK" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --silent @cloud-copilot/iam-simulate)
fi
VERSION="$(node -p "require('$WORK/node_modules/@cloud-copilot/iam-simulate/package.json').version")"
echo "iam-simulate $VERSION, node $(node --version), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load $(cut -d" " -f1-3 /proc/loadavg)"

# 3. Convert the scenarios.
SCEN=("$REPO"/tests/scenarios/*.toml)
python3 "$HERE/convert.py" "$WORK/sims.json" "${SCEN[@]}" 2> "$WORK/convert.log"
head -1 "$WORK/convert.log"

# 4a. In-process timing and decisions.
node "$HERE/run.mjs" "$WORK/sims.json" --passes "${PASSES:-5}" --decisions "$WORK/iamsim-decisions.json"

# 4b. Whole-process timing.
[ -x "$KEYSHAKE" ] || { echo "no $KEYSHAKE: run cargo build --release" >&2; exit 1; }
"$KEYSHAKE" eval --json "${SCEN[@]}" > "$WORK/keyshake.json" || true   # exit 1 = an expectation failed
KS_CMD="$KEYSHAKE eval --json ${SCEN[*]} > /dev/null"
NODE_CMD="node $HERE/run.mjs $WORK/sims.json --once"
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 2 --runs "$RUNS" -i --export-json "$WORK/hyperfine-keyshake.json" \
    "$KEYSHAKE eval --json ${SCEN[*]}" >/dev/null
  hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$WORK/hyperfine-node.json" "$NODE_CMD" >/dev/null
  hf() { python3 -c "import json;r=json.load(open('$1'))['results'][0];print(r['mean']*1000)"; }
  ks_ms=$(hf "$WORK/hyperfine-keyshake.json"); node_ms=$(hf "$WORK/hyperfine-node.json")
  python3 -c "
import json
for n in ('keyshake', 'node'):
    r = json.load(open('$WORK/hyperfine-' + n + '.json'))['results'][0]
    print(f'hyperfine {n}: mean {r[\"mean\"]*1000:.1f} ms ± {r[\"stddev\"]*1000:.1f}, min {r[\"min\"]*1000:.1f} ms, {len(r[\"times\"])} runs')
"
else
  loop() { local s e; s=$(date +%s%N); for _ in $(seq "$RUNS"); do bash -c "$1" >/dev/null; done; e=$(date +%s%N); python3 -c "print(($e - $s) / $RUNS / 1e6)"; }
  ks_ms=$(loop "$KS_CMD || true")
  node_ms=$(loop "$NODE_CMD")
fi

# 5. Compare decisions and print the figures.
python3 "$HERE/compare.py" "$WORK/keyshake.json" "$WORK/iamsim-decisions.json" "$WORK/sims.json" \
  --keyshake-ms "$ks_ms" --node-ms "$node_ms" --version "$VERSION"
