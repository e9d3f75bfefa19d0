#!/usr/bin/env bash
# Renders every step of every lesson as the app shows it (SDL's software renderer, no display
# needed) into a folder: lesson-NN-step-M.png. Your lesson progress is not touched.
#
#   bash scripts/lesson-screenshots.sh [FOLDER] [WIDTHxHEIGHT]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-screenshots}"
size="${2:-1280x800}"
mkdir -p "$out"
swift build -c release --product paddock --explicit-target-dependency-import-check error >&2
paddock=.build/release/paddock
"$paddock" lessons list --json | /usr/bin/python3 -c '
import json, sys
for lesson in json.load(sys.stdin):
    for step in range(1, lesson["steps"] + 1):
        print(lesson["number"], step)
' | while read -r lesson step; do
    "$paddock" app --screenshot "$out/lesson-$(printf %02d "$lesson")-step-$step.png" \
        --lesson "$lesson" --step "$step" --size "$size" >/dev/null
done
echo "Wrote $(ls "$out"/lesson-*.png | wc -l) screenshots to $out/" >&2
