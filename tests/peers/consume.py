#!/usr/bin/env python3
"""Test peer: consume messages with confluent-kafka.

Without --group, partitions are assigned directly (no group coordination)
from the beginning; with --group, the topic is subscribed to with that group
id and auto.offset.reset=earliest.

One line per message:
  MSG <partition> <offset> <key> <value> <ts-type> <ts-ms> <headers>
tab-separated; key/value hex or "-" for NULL; headers are
comma-separated "<name-hex>=<value-hex or ->" pairs (empty field: none).
Ends with "DONE <n>" (exit 0) once COUNT messages were read, or
"TIMEOUT <n>" (exit 2) if TIMEOUT seconds pass first.

With --to-end (no group), the end is where the topic ends instead: each
partition's high watermark is queried after the assignment and reading
stops once every partition got there (COUNT is then only an upper bound),
so a caller that does not know how many messages (duplicates included)
the topic holds need not wait for the timeout.

--progress FILE appends "<partition> <offset>" for every message (flushed
at once) so a test can follow a running group member; --stop-file FILE
ends the run ("DONE <n>", exit 0) once FILE exists.
"""
import argparse
import os
import sys
import time

from confluent_kafka import Consumer, KafkaError, TopicPartition, OFFSET_BEGINNING

from common import extra_conf, hexornull


def format_headers(headers):
    if not headers:
        return ""
    return ",".join("%s=%s" % (k.encode().hex(), hexornull(v)) for k, v in headers)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--group", default=None)
    ap.add_argument("--progress", default=None, help="file to append each message's position to")
    ap.add_argument("--stop-file", default=None, help="stop once this file exists")
    ap.add_argument("--to-end", action="store_true",
                    help="stop at every partition's high watermark (no --group)")
    ap.add_argument("--conf", action="append", default=[],
                    help="extra configuration property as NAME=VALUE (repeatable)")
    args = ap.parse_args()

    deadline = time.monotonic() + args.timeout
    conf = {
        "bootstrap.servers": args.bootstrap,
        "group.id": args.group or "ferrokafka-test-assign",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": args.group is not None,
        "enable.partition.eof": False,
        # Tansu completes a JoinGroup only after about half the session
        # timeout; the 45 s default would make every group test slow.
        "session.timeout.ms": 6000,
        "heartbeat.interval.ms": 1000,
    }
    conf.update(extra_conf(args.conf))
    consumer = Consumer(conf)
    if args.group:
        consumer.subscribe([args.topic])
    else:
        partitions = None
        while partitions is None and time.monotonic() < deadline:
            md = consumer.list_topics(args.topic, timeout=max(0.1, min(5.0, deadline - time.monotonic())))
            tmd = md.topics.get(args.topic)
            if tmd is not None and tmd.error is None and tmd.partitions:
                partitions = sorted(tmd.partitions)
            else:
                time.sleep(0.1)
        if partitions is None:
            print("TIMEOUT 0 (no metadata for topic)", flush=True)
            sys.exit(2)
        consumer.assign([TopicPartition(args.topic, p, OFFSET_BEGINNING) for p in partitions])

    # partition -> high watermark still to reach (--to-end only).
    remaining = None
    if args.to_end:
        if args.group:
            raise SystemExit("--to-end reads assigned partitions, not a group's")
        remaining = {}
        for p in partitions:
            low, high = consumer.get_watermark_offsets(
                TopicPartition(args.topic, p), timeout=max(0.1, deadline - time.monotonic()))
            if high > low:
                remaining[p] = high

    progress = open(args.progress, "a") if args.progress else None
    got = 0
    while got < args.count and remaining != {}:
        if args.stop_file and os.path.exists(args.stop_file):
            break
        left = deadline - time.monotonic()
        if left <= 0:
            print("TIMEOUT %d" % got, flush=True)
            consumer.close()
            sys.exit(2)
        msg = consumer.poll(min(1.0, left))
        if msg is None:
            continue
        if msg.error():
            if msg.error().code() != KafkaError._PARTITION_EOF:
                print("ERROR %s" % msg.error(), flush=True)
            continue
        ts_type, ts = msg.timestamp()
        print("MSG\t%d\t%d\t%s\t%s\t%d\t%d\t%s" % (
            msg.partition(), msg.offset(), hexornull(msg.key()), hexornull(msg.value()),
            ts_type, ts, format_headers(msg.headers())), flush=True)
        got += 1
        if progress:
            progress.write("%d %d\n" % (msg.partition(), msg.offset()))
            progress.flush()
        if remaining and msg.offset() + 1 >= remaining.get(msg.partition(), 0):
            remaining.pop(msg.partition(), None)
    print("DONE %d" % got, flush=True)
    consumer.close()


if __name__ == "__main__":
    main()
