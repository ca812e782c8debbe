#!/usr/bin/env bash
# Builds the Windows zip an office unpacks and runs: shiryo.exe (cross-
# compiled for x86_64-pc-windows-gnu with mingw-w64, fonts, layouts and the
# example inside), the example data, the Japanese quick-start and the
# licences. Prints the zip's path.
#
#   dist/windows.sh            # → dist/out/shiryo-windows.zip
#
# Needs: rustup's x86_64-pc-windows-gnu target and Debian's
# gcc-mingw-w64-x86-64 (added here when missing), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! rustup target list --installed | grep -qx x86_64-pc-windows-gnu; then
  rustup target add x86_64-pc-windows-gnu >&2
fi
if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
  echo "needs mingw-w64: apt-get install gcc-mingw-w64-x86-64" >&2
  exit 2
fi
cargo build --release --locked --target x86_64-pc-windows-gnu >&2
python3 dist/zip.py "${CARGO_TARGET_DIR:-target}/x86_64-pc-windows-gnu/release/shiryo.exe" dist/out/shiryo-windows.zip
