#!/usr/bin/env bash
# Lints a generated corpus with keyshake and with parliament and compares
# them. Knobs: VENV (parliament's venv), OUT (corpus and report), KEYSHAKE
# (the binary; default target/release/keyshake, built if missing).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
VENV="${VENV:-/tmp/parl-venv}"
OUT="${OUT:-/tmp/keyshake-parliament}"
KEYSHAKE="${KEYSHAKE:-${CARGO_TARGET_DIR:-$repo/target}/release/keyshake}"

if [ ! -x "$VENV/bin/parliament" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet parliament
fi
if [ ! -x "$KEYSHAKE" ]; then
  (cd "$repo" && cargo build --release)
fi
mkdir -p "$OUT"
python3 "$here/compare.py" --keyshake "$KEYSHAKE" --parliament "$VENV/bin/parliament" --out "$OUT" "$@"
