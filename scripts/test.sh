#!/usr/bin/env bash
# Runs every test: formatting and lints, the core's native tests and a fuzz smoke, the package build
# with its size budget, the browser suites in Chromium, Firefox and WebKit (native as the oracle
# where it applies), the bundler matrix, the Rust face in all three.
# Installs what it needs first. Ends with one line: `total: N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

stage() { printf '\n== %s ==\n' "$*"; }

stage setup
scripts/setup.sh --browsers

stage "format and lints"
cargo fmt --all -- --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet --lib --release --target wasm32-unknown-unknown -- -D warnings
cargo clippy --quiet --lib --release --target wasm32-unknown-unknown --features js-abi -- -D warnings
cargo clippy --quiet --lib --release --target wasm32-unknown-unknown --features parser-abi -- -D warnings
# The parser module is built with SIMD (scripts/build.mjs): its code paths too.
RUSTFLAGS="-Ctarget-feature=+simd128" cargo clippy --quiet --lib --release --target wasm32-unknown-unknown --features parser-abi --target-dir target/clippy-simd -- -D warnings

stage "core: native tests"
cargo test --quiet -p eventsource-wasm 2>&1 | tee "$log/cargo"

stage "core: fuzz smoke (every cargo-fuzz target briefly; the long run is scripts/fuzz.sh)"
scripts/fuzz.sh --smoke | tee "$log/fuzz"

stage "build (pkg/ and server)"
scripts/build.sh
node scripts/size-budget.mjs | tee "$log/size"
# The script-tag files must parse in ES5 engines (IE10/11, EdgeHTML).
node_modules/.bin/es-check es5 pkg/eventsource.js pkg/eventsource.legacy.js pkg/eventsource.wasm2js.js pkg/parser.global.js pkg/parser.wasm2js.js

stage "es5: the legacy file in a real ES5.1 engine (Duktape, IE's built-ins), against the npm package"
node tests/es5/run.mjs | tee "$log/es5"

stage "node: the npm package in Node.js"
node --test --test-reporter=tap tests/node/ | tee "$log/node" | grep -E '^(not )?ok |^# (pass|fail)'

stage "bun and deno: the npm package in other runtimes"
node tests/runtimes/run.mjs | tee "$log/runtimes"

stage "browser: differential tests, Chromium, Firefox and WebKit"
node tests/browser/run.mjs | tee "$log/browser"

stage "browser: WebIDL shape of EventSource against the native interface, Chromium, Firefox and WebKit"
node tests/browser/webidl.mjs | tee "$log/webidl"

stage "browser: fault injection (silent and headless servers, retry policy, server restart), Chromium, Firefox and WebKit"
node tests/browser/faults.mjs | tee "$log/faults"

stage "browser: 50 MB through the XHR transport, bounded memory, Chromium, Firefox and WebKit"
node tests/browser/long-stream.mjs | tee "$log/long-stream"

stage "browser: shortened soak (create/close, reconnections, many sources), Chromium, Firefox and WebKit"
node tests/browser/soak.mjs | tee "$log/soak"

stage "browser: EventSource.fromReadableStream() and the parser stream, Chromium, Firefox and WebKit"
node tests/browser/from-stream.mjs | tee "$log/from-stream"

stage "browser: dedicated, shared, module and service workers, Chromium, Firefox and WebKit"
node tests/browser/workers.mjs | tee "$log/workers"

stage "browser: one connection for many pages (the shared option), Chromium, Firefox and WebKit"
node tests/browser/shared.mjs | tee "$log/shared"

stage "browser: eventsource.js under a Content-Security-Policy (the wasm2js fallback), Chromium, Firefox and WebKit"
node tests/browser/csp.mjs | tee "$log/csp"

stage "browser: page lifecycle (the reconnectOnResume option), Chromium, Firefox and WebKit"
node tests/browser/lifecycle.mjs | tee "$log/lifecycle"

stage "browser: cross-origin resumption past a preflight that refuses Last-Event-ID, Chromium, Firefox and WebKit"
node tests/browser/cors-resume.mjs | tee "$log/cors-resume"

stage "browser: the demo as a visitor sees it, Chromium, Firefox and WebKit"
node tests/browser/demo.mjs | tee "$log/demo"

stage "rust face: wasm-bindgen-test in Chromium, Firefox and WebKit against the test server"
cargo clippy --quiet --target wasm32-unknown-unknown --features web --all-targets -- -D warnings
tests/web/run.sh | tee "$log/web"

stage "bundlers: the packed package built by webpack, Rollup, esbuild, Vite and Parcel, run in Chromium, Firefox and WebKit"
node tests/consumer/run.mjs | tee "$log/consumer"

# One closing line for the whole run.
cat "$log"/* | awk '
  /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed;?$/) p += $(i-1); if ($(i) ~ /^failed;?$/) f += $(i-1) } }
  /^([a-z0-9-]+: )?[0-9]+ passed, [0-9]+ failed/ { sub(/^[a-z0-9-]+: /, ""); p += $1; f += $3 }
  /^# pass [0-9]+$/ { p += $3 }
  /^# fail [0-9]+$/ { f += $3 }
  END { printf "\ntotal: %d passed, %d failed\n", p, f; exit (f > 0) }'
