#!/usr/bin/env bash
# Benchmark: shiryo against LibreOffice converting shiryo's own xlsx, in one run.
# Prints median wall time, peak RSS, PDF size and the ratios, and the tagged
# PDF against an untagged one (render --no-tags): size and time ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v libreoffice >/dev/null || { echo "needs libreoffice (apt-get install libreoffice-calc-nogui)" >&2; exit 2; }
cargo build --release --quiet
python3 bench/measure.py
