#!/usr/bin/env bash
# Creates (once) a Python virtual environment with the PyPI packages the tests check Paddock's
# files against, and prints its python. Cached outside the repository, so CI reuses it (the
# first run downloads about 700 MB: TensorFlow and OpenVINO).
#
#   deepracer-utils   reads Paddock's training logs as DeepRacer's analysis tools do
#   tensorflow-cpu    loads the car model.pb exports, builds DeepRacer graphs for the importer
#                     tests, and is the reference for `paddock bench learn`
#   openvino          converts the exports at FP16 as the car's model optimizer does
set -euo pipefail
requirements="deepracer-utils==1.5.6 tensorflow-cpu==2.21.0 openvino==2026.4.1"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/paddock/python-tools"
if [ ! -x "$cache/bin/python" ] || [ "$(cat "$cache/requirements.txt" 2>/dev/null)" != "$requirements" ]; then
    echo "Setting up the Python tools in $cache (once)..." >&2
    rm -rf "$cache"
    mkdir -p "$(dirname "$cache")"
    /usr/bin/python3 -m venv "$cache" >&2
    "$cache/bin/pip" install --quiet --disable-pip-version-check $requirements >&2
    echo "$requirements" > "$cache/requirements.txt"
fi
echo "$cache/bin/python"
