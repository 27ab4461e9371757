#!/usr/bin/env bash
# What an EventSource adds to a minimal wasm-bindgen app (examples/size), gzipped: the app without
# one, with ours (eventsource_wasm::web) and with gloo-net's wrapper of the browser's EventSource
# (gloo-net with only its `eventsource` feature). Each: cargo release build (opt-level z, LTO,
# panic=abort) → wasm-bindgen --target web → wasm-opt -Oz (npm binaryen); the JS glue as generated
# and minified by esbuild. Needs wasm-bindgen (the version pinned in Cargo.toml) on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/size/out
wasm_opt=node_modules/binaryen/bin/wasm-opt
mkdir -p "$out"

gz() { gzip -9 -c "$1" | wc -c; }
raw() { wc -c < "$1"; }

for variant in base ours gloo; do
  features=()
  [ "$variant" != base ] && features=(--features "$variant")
  (cd examples/size && cargo build --quiet --release --target wasm32-unknown-unknown \
    --target-dir ../../target/size "${features[@]}")
  rm -rf "${out:?}/$variant"
  wasm-bindgen --target web --out-dir "$out/$variant" --out-name app \
    target/size/wasm32-unknown-unknown/release/eventsource_wasm_size.wasm
  "$wasm_opt" -Oz --strip-debug --strip-producers "$out/$variant/app_bg.wasm" -o "$out/$variant/app.opt.wasm"
  node_modules/.bin/esbuild --minify --log-level=error "$out/$variant/app.js" > "$out/$variant/app.min.js"
done

printf '%-6s %10s %10s %10s %10s %14s\n' app 'wasm' 'wasm gz' 'glue gz' 'glue.min gz' 'total gz (min)'
declare -A total
for variant in base ours gloo; do
  dir=$out/$variant
  wasm=$(raw "$dir/app.opt.wasm"); wasm_gz=$(gz "$dir/app.opt.wasm")
  glue_gz=$(gz "$dir/app.js"); min_gz=$(gz "$dir/app.min.js")
  total[$variant]=$((wasm_gz + min_gz))
  printf '%-6s %10d %10d %10d %10d %14d\n' "$variant" "$wasm" "$wasm_gz" "$glue_gz" "$min_gz" "${total[$variant]}"
done
echo "added to the app, gzipped (wasm + minified glue): ours $((total[ours] - total[base])) B, gloo-net $((total[gloo] - total[base])) B (goal for ours: at most 8192 B)"
