#!/usr/bin/env python3
"""Test peer: produce deterministic messages with confluent-kafka.

Message i has value common.expected_value(i, SIZE), key
common.expected_key(i) with --keys (else no key) and, with --headers, the
headers ("index", str(i)) and ("null", None).

Prints "DELIVERED <n>" (and "ERROR <text>" lines for failed deliveries);
exits 0 only if all COUNT messages were delivered within TIMEOUT seconds.
"""
import argparse
import sys
import time

from confluent_kafka import Producer

from common import expected_key, expected_value, extra_conf


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--size", type=int, default=100)
    ap.add_argument("--compression", default="none")
    ap.add_argument("--keys", action="store_true")
    ap.add_argument("--headers", action="store_true")
    ap.add_argument("--partition", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--conf", action="append", default=[],
                    help="extra KEY=VALUE configuration (SASL settings, ...)")
    args = ap.parse_args()

    deadline = time.monotonic() + args.timeout
    conf = {
        "bootstrap.servers": args.bootstrap,
        "compression.type": args.compression,
        "message.timeout.ms": max(1000, int(args.timeout * 1000)),
        "linger.ms": 5,
    }
    conf.update(extra_conf(args.conf))
    producer = Producer(conf)
    delivered = 0
    failed = 0

    def on_delivery(err, _msg):
        nonlocal delivered, failed
        if err is None:
            delivered += 1
        else:
            failed += 1
            print("ERROR %s" % err, flush=True)

    for i in range(args.count):
        kwargs = {"value": expected_value(i, args.size), "on_delivery": on_delivery}
        if args.keys:
            kwargs["key"] = expected_key(i)
        if args.headers:
            kwargs["headers"] = [("index", str(i).encode()), ("null", None)]
        if args.partition is not None:
            kwargs["partition"] = args.partition
        while True:
            try:
                producer.produce(args.topic, **kwargs)
                break
            except BufferError:
                # Local queue full: let deliveries drain, but never past the deadline.
                if time.monotonic() > deadline:
                    break
                producer.poll(0.1)

    remaining = producer.flush(max(0.0, deadline - time.monotonic()))
    print("DELIVERED %d" % delivered, flush=True)
    if remaining or failed or delivered != args.count:
        print("ERROR %d undelivered, %d failed" % (remaining, failed), flush=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
