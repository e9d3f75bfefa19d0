#!/usr/bin/env bash
# Set up, build (with the import rules enforced) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
echo "[test] Checking the code format (swift format lint, .swift-format)..."
if ! swift format lint --strict --recursive Sources Tests; then
    echo "[test] Format check failed: run 'swift format format -i -r Sources Tests' and commit the result."
    exit 1
fi
echo "[test] Building with the import check enforced..."
swift build --build-tests --explicit-target-dependency-import-check error
echo "[test] Preparing the Python tools the tests check against (cached after the first run)..."
PADDOCK_PYTHON_TOOLS="$(bash scripts/python-tools.sh)"
export PADDOCK_PYTHON_TOOLS
echo "[test] Running the tests..."
swift test --skip-build "$@"
