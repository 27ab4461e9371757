#!/usr/bin/env bash
# The Rust face's browser tests (tests/web/cases.rs, in a page and in a dedicated worker: tests/web.rs,
# tests/web_worker.rs): wasm-bindgen-test in headless Chromium, then in
# headless Firefox, then in WebKit (WebKitGTK under Xvfb), against the real test server. The server's origin reaches the tests at
# compile time (SSE_TEST_SERVER, read with option_env!). Each run prints cargo's
# `test result:` line, which the closing tally of scripts/test.sh counts.
# Needs wasm-bindgen-test-runner and geckodriver (scripts/setup.sh --browsers installs them).
set -euo pipefail
cd "$(dirname "$0")/../.."

cargo build --quiet --profile server -p sse-test-server
coproc SERVER { exec target/server/sse-test-server --root . --exit-on-stdin-eof; }
server_pid=$SERVER_PID
read -r origins <&"${SERVER[0]}"
# {"a":"http://127.0.0.1:PA","b":"http://127.0.0.1:PB"}: origin A.
SSE_TEST_SERVER=$(sed -E 's/.*"a":"([^"]+)".*/\1/' <<<"$origins")
export SSE_TEST_SERVER
stop_server() { kill "$server_pid" 2>/dev/null || true; }
trap stop_server EXIT

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
# The whole suite's limit, not one test's (the runner's default is 20 s).
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-300}
# An ordinary page, without the cross-origin isolation headers the runner adds by default.
export WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1
# In a page, then in a dedicated worker (the same cases).
test_web() { cargo test --target wasm32-unknown-unknown --features web --test web --test web_worker "$@"; }

status=0
echo "== Rust face: Chromium =="
CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver} test_web "$@" || status=1
echo "== Rust face: Firefox =="
GECKODRIVER=${GECKODRIVER:-$(command -v geckodriver || echo "$HOME/.cargo/bin/geckodriver")} \
  test_web "$@" || status=1

echo "== Rust face: WebKit =="
# The runner speaks to WebKit's driver as to Safari's, as a remote driver: WebKitWebDriver (Debian's
# webkit2gtk-driver), whose default browser is WebKitGTK's MiniBrowser, on a display of its own.
port=$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")
setsid xvfb-run -a -s '-screen 0 1280x1024x24' WebKitWebDriver --port="$port" >/dev/null 2>&1 &
webkit_group=$!
stop_webkit() { kill -- -"$webkit_group" 2>/dev/null || true; }
trap 'stop_server; stop_webkit' EXIT
# Ready once it answers (10 s at most; the runner reports a driver that never did).
node -e "
  const until = Date.now() + 10000;
  const poll = () => fetch('http://127.0.0.1:$port/status').then(() => {}, () => Date.now() < until && setTimeout(poll, 100));
  poll();"

SAFARIDRIVER_REMOTE=http://127.0.0.1:$port test_web "$@" || status=1
exit $status
