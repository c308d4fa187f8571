#!/usr/bin/env python3
"""Test peer: confluent-kafka's transactional producer.

Message i always has key common.expected_key(i) and value
common.expected_value(i, SIZE), so a reader can tell every message apart.

--mode mixed: TXNS transactions, each writing PER_TXN messages spread over
  PARTITIONS partitions, committed or aborted by a fixed pattern (every
  third one aborted), with non-transactional messages from a second, plain
  producer between them; the last transaction commits and touches every
  partition, so each partition ends in a commit marker preceded by
  committed data (a reader that delivered aborted messages would run out
  of room before it saw them all). Prints "IDX <class> <i>" per message,
  class C (committed), A (aborted) or N (non-transactional).
--mode fence: instance 1 begins a transaction and produces; instance 2
  (same transactional.id) initializes, which must fence instance 1: prints
  "FENCED <error name> fatal=<0|1>" for instance 1's commit, then instance
  2 commits its own message ("IDX C <i>") and instance 1's is "IDX A <i>".
--mode expire: a transaction (transaction.timeout.ms=2000) writes message
  0 to partition 0 and stays open; a plain producer writes message 1 after
  it. A read_committed consumer must see nothing while it is open ("HELD
  <n read>"), and message 1 only once the coordinator aborted it on expiry
  ("RELEASED <keys>"); the expired producer's commit then fails ("EXPIRED
  <error name> fatal=<0|1>").
--mode offsets: sends offsets of GROUP for TOPIC partition 0 in two
  transactions: offset 5 committed, then offset 9 aborted; prints
  "COMMITTED_OFFSET <n>" as the group coordinator reports it afterwards.

Exits 0 only if every step did what the mode expects; "ERROR ..." lines say
what did not.
"""
import argparse
import sys
import time

from confluent_kafka import (OFFSET_BEGINNING, Consumer, KafkaException, Producer,
                             TopicPartition)

from common import expected_key, expected_value, extra_conf


def fail(text):
    print("ERROR %s" % text, flush=True)
    sys.exit(1)


def producer(args, transactional_id=None):
    conf = {"bootstrap.servers": args.bootstrap, "linger.ms": 5}
    if transactional_id:
        conf["transactional.id"] = transactional_id
        conf["transaction.timeout.ms"] = 60000
    conf.update(extra_conf(args.conf))
    p = Producer(conf)
    if transactional_id:
        p.init_transactions(30)
    return p


def produce(p, args, i, partition):
    p.produce(args.topic, key=expected_key(i), value=expected_value(i, args.size),
              partition=partition)


def mixed(args):
    txn = producer(args, args.transactional_id)
    plain = producer(args)
    i = 0
    for t in range(args.txns):
        last = t == args.txns - 1
        commit = last or t % 3 != 1
        txn.begin_transaction()
        count = max(args.per_txn, args.partitions) if last else args.per_txn
        for k in range(count):
            produce(txn, args, i, (t + k) % args.partitions)
            print("IDX %s %d" % ("C" if commit else "A", i))
            i += 1
        # Make sure the data is in the log before the marker, as a slow
        # producer's would be, and interleave plain messages with an open
        # transaction.
        txn.flush(30)
        for k in range(args.plain):
            produce(plain, args, i, (t + k) % args.partitions)
            print("IDX N %d" % i)
            i += 1
        if plain.flush(30):
            fail("plain messages not delivered")
        if commit:
            txn.commit_transaction(30)
        else:
            txn.abort_transaction(30)
    print("DONE %d" % i, flush=True)


def fence(args):
    first = producer(args, args.transactional_id)
    first.begin_transaction()
    produce(first, args, 0, 0)
    print("IDX A 0")
    first.flush(30)
    second = producer(args, args.transactional_id)
    try:
        first.commit_transaction(30)
        fail("the fenced instance committed")
    except KafkaException as e:
        err = e.args[0]
        print("FENCED %s fatal=%d" % (err.name(), 1 if err.fatal() else 0), flush=True)
    second.begin_transaction()
    produce(second, args, 1, 0)
    print("IDX C 1")
    second.commit_transaction(30)
    print("DONE 2", flush=True)


def read_for(consumer, seconds):
    deadline = time.monotonic() + seconds
    keys = []
    while time.monotonic() < deadline:
        msg = consumer.poll(0.2)
        if msg is not None and not msg.error():
            keys.append(msg.key().decode())
    return keys


def expire(args):
    conf = ["transaction.timeout.ms=2000"]
    txn = producer(argparse.Namespace(**dict(vars(args), conf=args.conf + conf)),
                   args.transactional_id)
    plain = producer(args)
    txn.begin_transaction()
    produce(txn, args, 0, 0)
    txn.flush(30)
    opened = time.monotonic()
    produce(plain, args, 1, 0)
    if plain.flush(30):
        fail("plain message not delivered")
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": args.group,
                         "isolation.level": "read_committed", "enable.auto.commit": False})
    consumer.assign([TopicPartition(args.topic, 0, OFFSET_BEGINNING)])
    held = read_for(consumer, max(0.5, 1.5 - (time.monotonic() - opened)))
    print("HELD %d" % len(held), flush=True)
    released = read_for(consumer, 6)
    print("RELEASED %s" % ",".join(released), flush=True)
    consumer.close()
    try:
        txn.commit_transaction(30)
        print("EXPIRED none fatal=0", flush=True)
    except KafkaException as e:
        err = e.args[0]
        print("EXPIRED %s fatal=%d" % (err.name(), 1 if err.fatal() else 0), flush=True)


def offsets(args):
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": args.group,
                         "enable.auto.commit": False})
    txn = producer(args, args.transactional_id)
    for offset, commit in ((5, True), (9, False)):
        txn.begin_transaction()
        produce(txn, args, offset, 1)
        txn.send_offsets_to_transaction([TopicPartition(args.topic, 0, offset)],
                                        consumer.consumer_group_metadata(), 30)
        if commit:
            txn.commit_transaction(30)
        else:
            txn.abort_transaction(30)
    committed = consumer.committed([TopicPartition(args.topic, 0)], 30)
    print("COMMITTED_OFFSET %d" % committed[0].offset, flush=True)
    consumer.close()


def committed(args):
    """Prints the group's committed offset of partition 0 (written by
    someone else's transactions)."""
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": args.group,
                         "enable.auto.commit": False})
    got = consumer.committed([TopicPartition(args.topic, 0)], 30)
    print("COMMITTED_OFFSET %d" % got[0].offset, flush=True)
    consumer.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--mode", choices=["mixed", "fence", "expire", "offsets", "committed"], required=True)
    ap.add_argument("--transactional-id", default="ferrokafka-txn")
    ap.add_argument("--group", default="ferrokafka-txn-group")
    ap.add_argument("--partitions", type=int, default=3)
    ap.add_argument("--txns", type=int, default=9)
    ap.add_argument("--per-txn", type=int, default=7)
    ap.add_argument("--plain", type=int, default=2)
    ap.add_argument("--size", type=int, default=32)
    ap.add_argument("--conf", action="append", default=[],
                    help="extra KEY=VALUE configuration")
    args = ap.parse_args()
    {"mixed": mixed, "fence": fence, "expire": expire, "offsets": offsets,
     "committed": committed}[args.mode](args)


if __name__ == "__main__":
    main()
