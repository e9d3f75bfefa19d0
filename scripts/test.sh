#!/usr/bin/env bash
# Set up, build (with the import rules enforced) and run the whole test suite.
#
#   bash scripts/test.sh                  everything, as CI runs it (installs apt packages and the
#                                         Python tools the compatibility tests check against)
#   bash scripts/test.sh --quick [ARGS]   no installs: format check, build, the tests that need no
#                                         Python tools (ARGS as for swift test, e.g. --filter Camera)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=false
if [[ "${1:-}" == "--quick" ]]; then
    quick=true
    shift
else
    source scripts/setup.sh
fi
echo "[test] Checking the code format (swift format lint, .swift-format)..."
if ! swift format lint --strict --recursive Sources Tests; then
    echo "[test] Format check failed: run 'swift format format -i -r Sources Tests' and commit the result."
    exit 1
fi
echo "[test] Building with the import check enforced..."
swift build --build-tests --explicit-target-dependency-import-check error
if $quick; then
    echo "[test] Quick: the tests that compare with TensorFlow, OpenVINO and deepracer-utils are skipped."
    unset PADDOCK_PYTHON_TOOLS
else
    echo "[test] Preparing the Python tools the tests check against (cached after the first run)..."
    PADDOCK_PYTHON_TOOLS="$(bash scripts/python-tools.sh)"
    export PADDOCK_PYTHON_TOOLS
fi
if (($#)); then
    echo "[test] Running the tests..."
    swift test --skip-build "$@"
    exit
fi
# The workshop's tests run a live host on loopback. Its request handlers run on Swift's
# cooperative thread pool (one thread per core), which the other suites' long synchronous tests
# can hold for tens of seconds, so the workshop suites run on their own, after the rest: the
# WorkshopTests target, and the app's suites that host or join a live workshop (in AppTests).
live='WorkshopTests|AppTests\.(AppWorkshopTests|InstructorAppTests|WorkshopEndToEndTests)'
echo "[test] Running the tests (all but the workshop's)..."
swift test --skip-build --skip "$live"
echo "[test] Running the workshop's tests (live hosts on loopback)..."
swift test --skip-build --filter "$live"
