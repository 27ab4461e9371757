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
  # WebKit: WebKitWebDriver drives WebKitGTK's MiniBrowser (libwebkit2gtk-4.1-0, a dependency),
  # which needs an X display: Xvfb (tests/browser/webkit.mjs).
  command -v WebKitWebDriver >/dev/null || missing+=(webkit2gtk-driver)
  command -v Xvfb >/dev/null || missing+=(xvfb)
  if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    # Another apt run (e.g. a parallel setup) holds the lock for a while: wait for it.
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
