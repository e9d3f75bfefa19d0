#!/usr/bin/env bash
# Creates (once) a Python virtual environment with the PyPI packages the tests check Paddock's
# files against, and prints its python. Cached outside the repository, so CI reuses it.
#
#   scripts/python-tools.sh              deepracer-utils (what the tests need)
#   scripts/python-tools.sh tensorflow   also tensorflow-cpu, for `paddock bench learn`:
#       paddock bench learn --python "$(scripts/python-tools.sh tensorflow)"
set -euo pipefail
requirements="deepracer-utils==1.5.6"
tensorflow="tensorflow-cpu==2.21.0"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/paddock/python-tools"
if [ ! -x "$cache/bin/python" ] || [ "$(cat "$cache/requirements.txt" 2>/dev/null)" != "$requirements" ]; then
    rm -rf "$cache"
    mkdir -p "$(dirname "$cache")"
    /usr/bin/python3 -m venv "$cache" >&2
    "$cache/bin/pip" install --quiet --disable-pip-version-check $requirements >&2
    echo "$requirements" > "$cache/requirements.txt"
fi
if [ "${1:-}" = "tensorflow" ] && ! "$cache/bin/python" -c "import tensorflow" 2>/dev/null; then
    echo "Installing $tensorflow into $cache (about 250 MB, once)..." >&2
    "$cache/bin/pip" install --quiet --disable-pip-version-check "$tensorflow" >&2
fi
echo "$cache/bin/python"
