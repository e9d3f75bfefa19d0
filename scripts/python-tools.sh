#!/usr/bin/env bash
# Creates (once) a Python virtual environment with the PyPI packages the tests check Paddock's
# files against, and prints its python. Cached outside the repository, so CI reuses it.
set -euo pipefail
requirements="deepracer-utils==1.5.6"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/paddock/python-tools"
if [ ! -x "$cache/bin/python" ] || [ "$(cat "$cache/requirements.txt" 2>/dev/null)" != "$requirements" ]; then
    rm -rf "$cache"
    mkdir -p "$(dirname "$cache")"
    /usr/bin/python3 -m venv "$cache" >&2
    "$cache/bin/pip" install --quiet --disable-pip-version-check $requirements >&2
    echo "$requirements" > "$cache/requirements.txt"
fi
echo "$cache/bin/python"
