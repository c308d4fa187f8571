#!/usr/bin/env python3
"""Test peer: what an exactly-once pipeline left behind, seen by
confluent-kafka (tests/eos_pipeline.rs).

Reads every partition of --out from the beginning with
isolation.level=read_committed until each reports end of partition, then
looks up the committed offsets of --group on --in and --in's high
watermarks. Prints, tab-separated:
  MSG <partition> <offset> <key hex>     per message of --out
  COMMITTED <partition> <offset>         per partition of --in
  HIGH <partition> <high watermark>      per partition of --in
  UNCOMMITTED <n>                        --out's records read_uncommitted
                                         (aborted output included)
and "DONE" (exit 0), or "TIMEOUT ..." (exit 2).
"""
import argparse
import sys
import time

from confluent_kafka import Consumer, KafkaError, TopicPartition, OFFSET_BEGINNING

from common import hexornull


def partitions_of(consumer, topic, deadline):
    while time.monotonic() < deadline:
        md = consumer.list_topics(topic, timeout=5.0)
        tmd = md.topics.get(topic)
        if tmd is not None and tmd.error is None and tmd.partitions:
            return sorted(tmd.partitions)
        time.sleep(0.1)
    print("TIMEOUT (no metadata for %s)" % topic, flush=True)
    sys.exit(2)


def read_to_end(bootstrap, topic, isolation, deadline, on_message):
    reader = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "eos-verify-reader",
        "isolation.level": isolation,
        "enable.auto.commit": False,
        "enable.partition.eof": True,
    })
    parts = partitions_of(reader, topic, deadline)
    reader.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in parts])
    at_end = set()
    while len(at_end) < len(parts):
        if time.monotonic() > deadline:
            print("TIMEOUT (end of partitions %s of %s)" % (sorted(at_end), parts), flush=True)
            sys.exit(2)
        msg = reader.poll(1.0)
        if msg is None:
            continue
        if msg.error():
            if msg.error().code() == KafkaError._PARTITION_EOF:
                at_end.add(msg.partition())
                continue
            print("ERROR %s" % msg.error(), flush=True)
            continue
        at_end.discard(msg.partition())
        on_message(msg)
    reader.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--in", dest="in_topic", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--group", required=True)
    ap.add_argument("--timeout", type=float, default=60.0)
    args = ap.parse_args()
    deadline = time.monotonic() + args.timeout

    read_to_end(args.bootstrap, args.out, "read_committed", deadline,
                lambda msg: print("MSG\t%d\t%d\t%s" % (msg.partition(), msg.offset(),
                                                       hexornull(msg.key())), flush=True))
    uncommitted = []
    read_to_end(args.bootstrap, args.out, "read_uncommitted", deadline,
                lambda msg: uncommitted.append(1))
    print("UNCOMMITTED\t%d" % len(uncommitted), flush=True)

    group = Consumer({"bootstrap.servers": args.bootstrap, "group.id": args.group,
                      "enable.auto.commit": False})
    in_parts = partitions_of(group, args.in_topic, deadline)
    committed = group.committed([TopicPartition(args.in_topic, p) for p in in_parts], timeout=10.0)
    for tp in committed:
        print("COMMITTED\t%d\t%d" % (tp.partition, tp.offset), flush=True)
    for p in in_parts:
        low, high = group.get_watermark_offsets(TopicPartition(args.in_topic, p), timeout=10.0)
        print("HIGH\t%d\t%d" % (p, high), flush=True)
    group.close()
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
