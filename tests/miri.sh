#!/usr/bin/env bash
# Runs the unit tests of the C API's unsafe helpers under Miri: every
# `ffi::` test of the library (src/ffi/: the Castable handle table,
# error texts, last error, headers, topic-partition lists, message
# accessors, events, configuration objects), which call the exported functions
# with raw pointers as C does. Miri interprets them and stops at the first
# undefined behaviour (use after free, double free, misuse of
# malloc/free, out-of-bounds or aliasing violations under Stacked Borrows,
# pointers without provenance) and at leaks left when the tests end, and
# this script then exits non-zero. Code Miri cannot run (the C shims
# built by build.rs, sockets) is marked #[cfg_attr(miri, ignore = "...")]
# in those tests, and shows as ignored with its reason.
#
# Needs a nightly toolchain with the miri and rust-src components
# (tests/setup-peers.sh adds them when nightly is installed); without them
# it says so and exits 0 (MIRI_REQUIRED=1 makes that a failure).
# MIRI_TOOLCHAIN names another toolchain than nightly.
# ./run-tests runs it unless MIRI=0. About 15 s once built; the first run
# builds the dependencies for Miri (about 40 s more on 2 cores).
#
# Arguments replace the test filter, e.g. tests/miri.sh ffi::partition_list
set -euo pipefail
cd "$(dirname "$0")/.."

skip() {
    echo "miri.sh: SKIPPED, $*" >&2
    [ "${MIRI_REQUIRED:-0}" = 1 ] && exit 2
    exit 0
}
# Through rustup, not $CARGO: cargo sets CARGO to its own toolchain's
# binary for what it runs, and that one does not take +nightly.
toolchain=${MIRI_TOOLCHAIN:-nightly}
rustup run "$toolchain" rustc --version >/dev/null 2>&1 ||
    skip "no $toolchain Rust toolchain: 'rustup toolchain install $toolchain', then tests/setup-peers.sh"
rustup run "$toolchain" cargo miri --version >/dev/null 2>&1 ||
    skip "no miri component: 'rustup component add miri rust-src --toolchain $toolchain' (or tests/setup-peers.sh)"
sysroot=$(rustup run "$toolchain" rustc --print sysroot)
[ -d "$sysroot/lib/rustlib/src/rust/library" ] ||
    skip "no rust-src component: 'rustup component add rust-src --toolchain $toolchain' (or tests/setup-peers.sh)"

# -Zmiri-disable-isolation: the code reads the wall clock (message
# timestamps, the random partitioners' seed), which isolation forbids.
# -Zmiri-permissive-provenance: the C API stores application pointers
# (opaques, callbacks) as integers by design, and turns them back with
# `as` casts; this silences Miri's warning about those casts, which keep
# working with the exposed provenance (a transmute would not: see
# fn_from_addr in src/ffi/conf.rs).
export MIRIFLAGS="-Zmiri-disable-isolation -Zmiri-permissive-provenance ${MIRIFLAGS:-}"

filters=("$@")
[ ${#filters[@]} -ne 0 ] || filters=(ffi::)
start=$SECONDS
status=0
rustup run "$toolchain" cargo miri test --lib -- "${filters[@]}" || status=$?
echo "miri.sh: $((SECONDS - start)) s, exit status $status"
exit "$status"
