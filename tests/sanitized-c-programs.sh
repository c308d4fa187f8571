#!/usr/bin/env bash
# Runs the test binaries that build and run C/C++ programs, with those
# programs built with ASan and UBSan (FERROKAFKA_SANITIZE=1, see
# tests/support/cbuild.rs): a memory error or undefined behaviour in a
# program, in the headers it compiles, or in what the library does with the
# memory it is handed (ASan intercepts every malloc and free) fails the test
# that ran it. CMake's sanitizer build (FERROKAFKA_SANITIZE=ON: the C++
# wrapper unit tests and the examples under CTest) is already part of the
# normal suite, as cmake_package's sanitizer_build_passes_ctest.
#
# Valgrind cannot run ASan-instrumented programs, so the two valgrind tests
# skip in this run (they run in the normal suite).
#
# Arguments: test binary names, to run only those.
set -euo pipefail
cd "$(dirname "$0")/.."

export FERROKAFKA_SANITIZE=1
# Rust's runtime keeps process-wide allocations LeakSanitizer would report.
export ASAN_OPTIONS=detect_leaks=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

all=(
    abi_layout assignor_parity conf_api consumer_e2e consumer_faults
    consumer_features cpp_wrapper legacy_consumer logging mock_cluster
    partitioner_parity peers_smoke
    perf_tool producer_bad_input producer_e2e producer_faults stats
)
selected=("$@")
[ ${#selected[@]} -ne 0 ] || selected=("${all[@]}")
args=()
for t in "${selected[@]}"; do
    args+=(--test "$t")
done
# One test at a time, as run-tests does.
"${CARGO:-cargo}" test --release --no-fail-fast "${args[@]}" -- --test-threads=1
