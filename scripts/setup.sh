#!/usr/bin/env bash
# Installs what the build and the tests need; fast when everything is already there.
# Usage: scripts/setup.sh [--browsers]
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
# rust-src: the build rebuilds core and alloc for the wasm engine (scripts/build.mjs).
for component in rustfmt clippy rust-src; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

# npm packages, pinned by package-lock.json; reinstalled only when the lock file changes.
stamp=node_modules/.setup-stamp
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > "$stamp"
fi

if [ "${1:-}" = "--browsers" ]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium chromium-driver)
  command -v firefox-esr >/dev/null || missing+=(firefox-esr)
  if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # The Rust face's browser tests (tests/web/run.sh) and size script: the wasm-bindgen CLI of
  # exactly the wasm-bindgen version in Cargo.lock (its test runner drives the browsers), and
  # geckodriver for Firefox. Built from crates.io (a few minutes), skipped when present.
  wasm_bindgen=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' Cargo.lock)
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wasm_bindgen" ]; then
    cargo install --quiet wasm-bindgen-cli --version "$wasm_bindgen"
  fi
  command -v geckodriver >/dev/null || cargo install --quiet geckodriver --version 0.37.1
fi
