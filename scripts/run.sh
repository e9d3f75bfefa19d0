#!/usr/bin/env bash
# Set up, build and start Paddock. Until the desktop app lands this runs the headless demo.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
echo "[run] Building Paddock (release)..."
swift build -c release --product paddock
exec .build/release/paddock "$@"
