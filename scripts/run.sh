#!/usr/bin/env bash
# Set up, build and open Paddock's app (with no display it says so and lists the headless commands).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
echo "[run] Building Paddock (release)..."
swift build -c release --product paddock --explicit-target-dependency-import-check error
exec .build/release/paddock "$@"
