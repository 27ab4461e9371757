#!/usr/bin/env bash
# Builds pkg/ (npm package + script-tag file) and the test/demo server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh "$@"
node scripts/build.mjs
cargo build --quiet --profile server -p sse-test-server
