#!/usr/bin/env python3
"""Test peer: read every partition of a topic completely, with confluent-kafka.

For large read-backs (tests/chaos.rs): each partition is read from its low
to its high watermark (queried first, so the end is exact, not a timeout).
Keys must be "key-<index>" and values the deterministic payload of that
index (common.expected_value).

Output, tab-separated:
  WATERMARKS <partition> <low> <high>   one per partition, first
  M <partition> <offset> <index> <ok>   one per message; ok is 1 when the
                                        value is the one of that index
  DONE <n>                              (exit 0), or TIMEOUT <n> (exit 2)
"""
import argparse
import sys
import time

from confluent_kafka import Consumer, KafkaError, TopicPartition

from common import expected_value


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--size", type=int, required=True, help="value size of every message")
    ap.add_argument("--timeout", type=float, default=60.0)
    args = ap.parse_args()

    deadline = time.monotonic() + args.timeout
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": "ferrokafka-read-all",
        "enable.auto.commit": False,
        "enable.partition.eof": False,
    })
    md = consumer.list_topics(args.topic, timeout=10)
    tmd = md.topics.get(args.topic)
    if tmd is None or tmd.error is not None or not tmd.partitions:
        print("TIMEOUT 0 (no metadata for topic)", flush=True)
        sys.exit(2)
    out = []
    remaining = {}
    assignment = []
    for p in sorted(tmd.partitions):
        low, high = consumer.get_watermark_offsets(TopicPartition(args.topic, p), timeout=10)
        out.append("WATERMARKS\t%d\t%d\t%d" % (p, low, high))
        if high > low:
            remaining[p] = high
            assignment.append(TopicPartition(args.topic, p, low))
    consumer.assign(assignment)

    got = 0
    while remaining:
        if time.monotonic() > deadline:
            out.append("TIMEOUT %d" % got)
            print("\n".join(out), flush=True)
            consumer.close()
            sys.exit(2)
        for msg in consumer.consume(10000, 0.5):
            if msg.error():
                if msg.error().code() != KafkaError._PARTITION_EOF:
                    out.append("ERROR\t%s" % msg.error())
                continue
            p, offset = msg.partition(), msg.offset()
            key = msg.key() or b""
            index = int(key[4:]) if key.startswith(b"key-") and key[4:].isdigit() else -1
            ok = index >= 0 and msg.value() == expected_value(index, args.size)
            out.append("M\t%d\t%d\t%d\t%d" % (p, offset, index, 1 if ok else 0))
            got += 1
            if p in remaining and offset + 1 >= remaining[p]:
                del remaining[p]
    out.append("DONE %d" % got)
    print("\n".join(out), flush=True)
    consumer.close()


if __name__ == "__main__":
    main()
