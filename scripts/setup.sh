#!/usr/bin/env bash
# Installs what the build and the tests need; fast when everything is already there.
# Usage: scripts/setup.sh [--browsers]
set -euo pipefail
cd "$(dirname "$0")/.."

# The pinned toolchain (rust-toolchain.toml) with its components and the wasm32 target. rustup
# installs it on first use unless RUSTUP_AUTO_INSTALL=0; `rustup toolchain install` with no name
# installs what the file pins either way. Then rustc must be exactly that version: a
# RUSTUP_TOOLCHAIN or `rustup override` would otherwise build other bytes unnoticed.
rustc -V >/dev/null 2>&1 || rustup toolchain install
pinned=$(sed -n 's/^channel = "\(.*\)"$/\1/p' rust-toolchain.toml)
case "$(rustc -V)" in
  "rustc $pinned "*) ;;
  *)
    echo "setup: rust-toolchain.toml pins Rust $pinned, but rustc here is: $(rustc -V)" >&2
    echo "setup: unset RUSTUP_TOOLCHAIN / remove the rustup override, or run: rustup toolchain install $pinned" >&2
    exit 1
    ;;
esac
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

# Duktape 2.7, a real ES5.1 interpreter, for tests/es5 (the legacy file in an IE-like engine):
# dukpy 0.3.1 embeds it (0.6 embeds QuickJS, an ES2023 engine). Built from source with the C
# compiler, into .cache/dukpy (--target: no virtualenv needed, and Debian's PEP 668 guard does
# not apply to it); tests/es5/duktape.py loads it from there.
if ! { [ -d .cache/dukpy/dukpy-0.3.1.dist-info ] &&
       python3 -c 'import sys; sys.path.insert(0, ".cache/dukpy"); import dukpy._dukpy' 2>/dev/null; }; then
  include=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
  if { [ ! -f "$include/Python.h" ] || ! command -v cc >/dev/null; } && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends python3-dev gcc libc6-dev >/dev/null
  fi
  rm -rf .cache/dukpy
  python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location --root-user-action=ignore \
    --target .cache/dukpy 'dukpy==0.3.1'
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
  # The Rust face's browser tests (tests/web/run.sh) and size script: the wasm-bindgen CLI of
  # exactly the wasm-bindgen version in Cargo.lock (its test runner drives the browsers), and
  # geckodriver for Firefox. Built from crates.io (a few minutes), skipped when present.
  wasm_bindgen=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' Cargo.lock)
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wasm_bindgen" ]; then
    cargo install --quiet wasm-bindgen-cli --version "$wasm_bindgen"
  fi
  command -v geckodriver >/dev/null || cargo install --quiet geckodriver --version 0.37.1
fi
