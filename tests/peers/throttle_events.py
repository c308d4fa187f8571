"""confluent-kafka's view of a throttling broker: the producer half of
tests/c/throttle_client.c, with the same sync points and output lines, so
tests/throttle.rs can compare the throttle reports of librdkafka (the one
inside confluent-kafka) with ours against the same mock.

Sync points ("SYNC <name>", then a line on stdin): "throttled" before
producing --messages messages to partition 0, "unthrottled" before 10 more.
Prints "version <libversion>", one "throttle producer <broker name>
<broker id> <ms> 1" per throttle_cb call (served by poll/flush, on this
thread), and "producer delivered=N failed=N".
"""

import argparse
import sys

from confluent_kafka import Producer, libversion

AFTER_THROTTLE = 10


def sync_point(name):
    print("SYNC %s" % name, flush=True)
    if not sys.stdin.readline():
        raise SystemExit("stdin closed at sync %s" % name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--messages", type=int, required=True)
    args = ap.parse_args()

    print("version %s" % libversion()[0], flush=True)
    counts = {"delivered": 0, "failed": 0}

    def on_throttle(event):
        ms = int(round(event.throttle_time * 1000))
        print("throttle producer %s %d %d 1" % (event.broker_name, event.broker_id, ms),
              flush=True)

    def on_delivery(err, _msg):
        counts["failed" if err else "delivered"] += 1

    producer = Producer({
        "bootstrap.servers": args.bootstrap,
        "linger.ms": 5,
        "batch.num.messages": 20,
        "throttle_cb": on_throttle,
    })

    def produce(start, count):
        for i in range(start, start + count):
            while True:
                try:
                    producer.produce(args.topic, value=b"message-%d" % i, partition=0,
                                     on_delivery=on_delivery)
                    break
                except BufferError:
                    producer.poll(0.01)
            producer.poll(0)
        producer.flush(60)

    sync_point("throttled")
    produce(0, args.messages)
    sync_point("unthrottled")
    produce(args.messages, AFTER_THROTTLE)
    print("producer delivered=%d failed=%d" % (counts["delivered"], counts["failed"]),
          flush=True)


if __name__ == "__main__":
    main()
