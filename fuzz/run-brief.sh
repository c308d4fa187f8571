#!/usr/bin/env bash
# CI's fuzz step: builds every fuzz target and runs each for a minute
# (FUZZ_SECONDS) on its stored corpus, fuzz/corpus/TARGET. Exits non-zero
# when any target finds a crash, a timeout (10 s per input) or an
# out-of-memory (libFuzzer's 2 GB RSS and single-allocation limits); the
# input is then under fuzz/artifacts/TARGET/. New inputs go to a scratch
# directory, so the stored corpus is not modified.
#
# cargo-fuzz needs a nightly toolchain (it builds with -Zsanitizer=address);
# tests/setup-peers.sh installs it (into cargo's bin directory) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "run-brief.sh: cargo-fuzz needs a nightly Rust toolchain (rustup toolchain install nightly)" >&2
    exit 2
fi
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "run-brief.sh: cargo-fuzz not found: run tests/setup-peers.sh (it installs it)" >&2
    exit 2
fi

cargo +nightly fuzz build

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=()
for target in $(cargo +nightly fuzz list); do
    mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target" "$scratch/$target"
    echo "== $target: ${seconds}s on $(ls "fuzz/corpus/$target" | wc -l) stored inputs"
    if ! nice -n 10 cargo +nightly fuzz run "$target" "$scratch/$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="fuzz/artifacts/$target/" 2>"$scratch/$target.log"; then
        tail -n 60 "$scratch/$target.log" >&2
        failed+=("$target")
    fi
    grep -E '^(Done|stat::number_of_executed_units)' "$scratch/$target.log" || true
done
if [ ${#failed[@]} -ne 0 ]; then
    echo "run-brief.sh: failed: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
    exit 1
fi
echo "run-brief.sh: every target ran ${seconds}s without a finding"
