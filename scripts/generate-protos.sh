#!/usr/bin/env bash
# Regenerates Sources/CarExport/tensorflow_graph.pb.swift from Protos/tensorflow_graph.proto with
# Debian's protoc and swift-protobuf's protoc-gen-swift (built once here). The generated file is
# committed, so a normal build needs neither.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v protoc >/dev/null 2>&1; then
    echo "Installing protoc (Debian protobuf-compiler)..." >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y protobuf-compiler; else sudo apt-get install -y protobuf-compiler; fi
fi
swift build --product protoc-gen-swift >&2
plugin="$(swift build --show-bin-path)/protoc-gen-swift"
protoc --plugin=protoc-gen-swift="$plugin" --swift_out=Sources/CarExport --swift_opt=Visibility=Public \
    -I Protos Protos/tensorflow_graph.proto
# protoc-gen-swift marks the file "swift-format-ignore-file", so the format check skips it.
echo "Wrote Sources/CarExport/tensorflow_graph.pb.swift"
