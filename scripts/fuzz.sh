#!/usr/bin/env bash
# Fuzzes the core (src/engine/) with cargo-fuzz and libFuzzer. Targets (fuzz/fuzz_targets/):
#   decode        UTF-8 decoding: engine = Encoding Standard (step by step) = from_utf8_lossy;
#                 lines of the stream decoder, any chunking = decoding the whole stream
#   parser        lines, fields, dispatch, size bound: any chunking = feeding whole; no panic
#   engine        the state machine under arbitrary input sequences and options: invariants
#   differential  the engine against the reference model in tests/common/reference.rs
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   every target for that long (default 300)
#        scripts/fuzz.sh --smoke                 every target briefly (FUZZ_SMOKE_SECONDS, 12)
# Targets run FUZZ_JOBS at a time (default: the number of cores). FUZZ_SANITIZER picks cargo-fuzz's
# sanitizer (default address; `none` runs about 4 times as many inputs: the core is safe Rust, and
# overflow checks and debug assertions stay on either way). Corpora grow in
# fuzz/corpus/<target> (seeded from fuzz/seeds/<target>); crashes land in fuzz/artifacts/<target>/
# and libFuzzer's log in fuzz/artifacts/<target>.log. Ends with one line:
# `fuzz: N passed, M failed` (targets); exits non-zero when a target failed.
#
# Needs no nightly toolchain: cargo-fuzz passes unstable flags (-Zsanitizer=address, ...) to
# rustc, and RUSTC_BOOTSTRAP=1 lets the stable compiler accept them.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
toolchain=${FUZZ_TOOLCHAIN:-stable}
targets=(decode parser engine differential)

usage() {
  echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET | --smoke]" >&2
  exit 2
}
case "${1:-}" in
  --smoke) seconds=${FUZZ_SMOKE_SECONDS:-12} ;;
  '') seconds=300 ;;
  *[!0-9]*) usage ;;
  *) seconds=$1 ;;
esac
[ "$#" -le 1 ] || usage
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}

sanitizer=${FUZZ_SANITIZER:-address}
build_flags=(-s "$sanitizer")
# Each sanitizer builds in a directory of its own, so switching does not rebuild everything.
[ "$sanitizer" = address ] || build_flags+=(--target-dir "fuzz/target/sanitizer-$sanitizer")

export RUSTC_BOOTSTRAP=1
fuzz() { cargo "+$toolchain" fuzz "$@"; }

# cargo-fuzz, pinned; installed only when missing or another version.
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  echo "installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install --quiet --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION" ||
    cargo install --quiet --force cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

# One build of every target (release, debug assertions, AddressSanitizer).
if ! build_log=$(fuzz build "${build_flags[@]}" 2>&1); then
  printf '%s\n' "$build_log" | tail -40
  echo "FAIL build of the fuzz targets"
  echo "fuzz: 0 passed, ${#targets[@]} failed"
  exit 1
fi

# Runs one target; writes its verdict to fuzz/artifacts/<target>.status and never fails itself.
run_target() {
  local target=$1 log=fuzz/artifacts/$1.log corpus=fuzz/corpus/$1 seeds=fuzz/seeds/$1
  mkdir -p "$corpus" "$seeds" "fuzz/artifacts/$target"
  local status=0
  # -timeout: one input taking this long is a hang, reported as a failure. Seeds are read-only.
  fuzz run "${build_flags[@]}" "$target" "$corpus" "$seeds" -- \
    -max_total_time="$seconds" -timeout=30 -dict=fuzz/sse.dict -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  local runs
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [ -n "$runs" ] || runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
  local size
  size=$(find "$corpus" -type f | wc -l)
  if [ "$status" -eq 0 ] && grep -q '^Done [0-9]* runs' "$log"; then
    printf 'ok   %-13s %10s executions in %ss, corpus %s inputs\n' "$target" "${runs:-?}" "$seconds" \
      "$size" >"fuzz/artifacts/$target.status"
  else
    local artifact
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    {
      printf 'FAIL %-13s after %s executions (exit %s); log: %s\n' "$target" "${runs:-?}" "$status" "$log"
      grep -m1 -A4 'panicked at' "$log" | sed 's/^/     /' || tail -5 "$log" | sed 's/^/     /'
      if [ -n "$artifact" ]; then
        echo "     artifact: $artifact"
        echo "     reproduce: RUSTC_BOOTSTRAP=1 cargo +$toolchain fuzz run ${build_flags[*]} $target $artifact"
      fi
    } >"fuzz/artifacts/$target.status"
  fi
}

trap 'kill $(jobs -p) 2>/dev/null || true' INT TERM
echo "fuzzing ${#targets[@]} targets for ${seconds}s each, $jobs at a time (sanitizer: $sanitizer)"
for target in "${targets[@]}"; do
  rm -f "fuzz/artifacts/$target.status"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
    wait -n || true
  done
  run_target "$target" &
done
wait

passed=0
failed=0
for target in "${targets[@]}"; do
  if [ -f "fuzz/artifacts/$target.status" ]; then
    cat "fuzz/artifacts/$target.status"
  else
    echo "FAIL $target: no verdict (interrupted?)"
  fi
  if grep -q '^ok ' "fuzz/artifacts/$target.status" 2>/dev/null; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
