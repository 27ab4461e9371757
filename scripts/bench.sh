#!/usr/bin/env bash
# The benchmark (not part of the tests): builds, then measures native, ours and the peers in one
# headless Chromium run against the test server. Arguments go to tests/bench/run.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh --browsers
echo "== where the bytes go =="
node scripts/size-report.mjs
echo "== the engine alone, native =="
cargo bench -q --bench engine
echo "== the parser alone, Node and Chromium: eventsource-wasm/parser against eventsource-parser =="
node tests/bench/parser-node.mjs
node tests/bench/parser-browser.mjs
echo "== in the browser: native, ours and the peers =="
node tests/bench/run.mjs "$@"
echo "== the Rust face: what it adds to a wasm-bindgen app, against gloo-net's EventSource =="
scripts/rust-face-size.sh
