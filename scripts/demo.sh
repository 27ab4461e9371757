#!/usr/bin/env bash
# The main command: builds everything and serves the demo until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
port_a=${PORT:-8080}
port_b=$((port_a + 1))
echo "demo: open http://127.0.0.1:${port_a}/  (Ctrl-C stops the server)"
exec target/server/sse-test-server --root . --port-a "$port_a" --port-b "$port_b"
