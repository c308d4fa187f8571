"""AdminClient calls against a broker (our mock or Tansu), each result
checked; prints what it saw and "ok" at the end, or fails with the first
broken expectation. Works with confluent-kafka 2.16 (pip) and Debian's
1.7 (python3-confluent-kafka), whose librdkafka may be ours.

Usage: admin.py --bootstrap HOST:PORT --prefix NAME [--features pdar]
features: p=CreatePartitions d=DescribeConfigs a=AlterConfigs r=DeleteRecords
"""

import argparse
import sys

import confluent_kafka
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import (AdminClient, ConfigResource, NewPartitions,
                                   NewTopic)

TIMEOUT = 30


def error_of(future):
    """The KafkaError a result future fails with, or None."""
    try:
        future.result(timeout=TIMEOUT)
        return None
    except KafkaException as e:
        return e.args[0]


def expect(cond, what):
    if not cond:
        print("FAILED: " + what, flush=True)
        sys.exit(1)


def code(err):
    return None if err is None else err.code()


def describe(admin, topic):
    res = ConfigResource("topic", topic)
    return admin.describe_configs([res])[res].result(timeout=TIMEOUT)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--prefix", required=True)
    ap.add_argument("--features", default="pdar")
    args = ap.parse_args()
    print("libversion", confluent_kafka.libversion()[0], flush=True)
    admin = AdminClient({"bootstrap.servers": args.bootstrap})
    topic = args.prefix + "-a"

    fs = admin.create_topics([NewTopic(topic, 3, 1)], validate_only=True)
    expect(error_of(fs[topic]) is None, "validate_only create")
    fs = admin.create_topics([NewTopic(topic, 3, 1, config={"retention.ms": "12345"})],
                             operation_timeout=5)
    expect(error_of(fs[topic]) is None, "create")
    fs = admin.create_topics([NewTopic(topic, 3, 1)])
    err = error_of(fs[topic])
    print("create again", err, flush=True)
    expect(code(err) == KafkaError.TOPIC_ALREADY_EXISTS, "TOPIC_ALREADY_EXISTS")
    md = admin.list_topics(topic=topic, timeout=TIMEOUT)
    expect(len(md.topics[topic].partitions) == 3, "3 partitions")

    if "p" in args.features:
        fs = admin.create_partitions([NewPartitions(topic, 2)])
        err = error_of(fs[topic])
        print("shrink", err, flush=True)
        expect(code(err) == KafkaError.INVALID_PARTITIONS, "INVALID_PARTITIONS")
        fs = admin.create_partitions([NewPartitions(topic, 5)])
        expect(error_of(fs[topic]) is None, "grow to 5")
        md = admin.list_topics(topic=topic, timeout=TIMEOUT)
        expect(len(md.topics[topic].partitions) == 5, "5 partitions")

    if "d" in args.features:
        configs = describe(admin, topic)
        entry = configs["retention.ms"]
        print("retention.ms", entry.value, entry.source, entry.is_default,
              sorted(entry.synonyms), flush=True)
        expect(entry.value == "12345", "retention.ms value")
        expect(not entry.is_default, "retention.ms is not a default")
        expect(entry.source == 1, "retention.ms source DYNAMIC_TOPIC_CONFIG")
        expect("retention.ms" in entry.synonyms, "retention.ms synonym")
        expect(configs["cleanup.policy"].is_default, "cleanup.policy default")
        res = ConfigResource("topic", args.prefix + "-missing")
        err = error_of(admin.describe_configs([res])[res])
        print("describe missing", err, flush=True)
        expect(code(err) == KafkaError.UNKNOWN_TOPIC_OR_PART, "UNKNOWN_TOPIC_OR_PART")

    if "a" in args.features:
        res = ConfigResource("topic", topic, set_config={"retention.ms": "999"})
        expect(error_of(admin.alter_configs([res])[res]) is None, "alter")
        res = ConfigResource("topic", topic, set_config={"no.such.config": "1"})
        err = error_of(admin.alter_configs([res])[res])
        print("alter unknown", err, flush=True)
        expect(code(err) == KafkaError.INVALID_CONFIG, "INVALID_CONFIG")
        if "d" in args.features:
            expect(describe(admin, topic)["retention.ms"].value == "999", "altered value")

    if "r" in args.features and hasattr(admin, "delete_records"):
        from confluent_kafka import Producer, TopicPartition
        p = Producer({"bootstrap.servers": args.bootstrap})
        for _ in range(10):
            p.produce(topic, b"v", partition=0)
        expect(p.flush(TIMEOUT) == 0, "produce 10")
        fs = admin.delete_records([TopicPartition(topic, 0, 4)])
        result = list(fs.values())[0].result(timeout=TIMEOUT)
        print("delete_records", result, flush=True)
        low = getattr(result, "low_watermark", getattr(result, "offset", None))
        expect(low == 4, "low watermark 4")

    fs = admin.delete_topics([topic], operation_timeout=5)
    expect(error_of(fs[topic]) is None, "delete")
    err = error_of(admin.delete_topics([topic])[topic])
    print("delete again", err, flush=True)
    expect(code(err) == KafkaError.UNKNOWN_TOPIC_OR_PART, "UNKNOWN_TOPIC_OR_PART on delete")
    print("ok", flush=True)


if __name__ == "__main__":
    main()
