"""Debian's python3-confluent-kafka with a stats_cb, on whichever
librdkafka.so.1 the dynamic linker finds (the tests point LD_LIBRARY_PATH
at ours, or leave Debian's). An idempotent producer sends COUNT messages
(half to partition 0, half to partition 1) and a group consumer reads them
back, commits, then commits partition 0 back at LAG_BASE, so its
consumer_lag is known. Each client's statistics documents are kept until
after its work is done.

Prints the library's version, then one line of JSON: every document of
each client ("producer_docs", "consumer_docs") and, for each client's last
document, its key paths with broker, topic, partition and topic-partition
names replaced by placeholders ("producer", "consumer"), so two libraries'
documents compare as sets.

usage: stats_keys.py BOOTSTRAP TOPIC
"""
import json
import sys
import time

import confluent_kafka as ck

bootstrap, topic = sys.argv[1], sys.argv[2]
COUNT = 50
LAG_BASE = 10
# Maps whose keys are names (brokers, topics, partitions, toppars), not
# fields: their keys become one placeholder.
NAMED = {"brokers": "<broker>", "topics": "<topic>", "partitions": "<partition>",
         "toppars": "<toppar>"}


def paths(value, prefix, out):
    if isinstance(value, dict):
        placeholder = NAMED.get(prefix.rsplit(".", 1)[-1])
        for key, child in value.items():
            name = placeholder or key
            path = prefix + "." + name if prefix else name
            out.add(path + ":" + type(child).__name__)
            paths(child, path, out)
    return out


def settle(client, docs):
    """Serves the client until two more documents arrived: the last one
    then describes the client after its work."""
    seen = len(docs)
    deadline = time.monotonic() + 10
    while len(docs) < seen + 2 and time.monotonic() < deadline:
        client.poll(0.1)
    if len(docs) < seen + 2:
        sys.exit("no statistics documents after the work")


print("library", ck.libversion()[0], flush=True)
produced_stats = []
producer = ck.Producer({"bootstrap.servers": bootstrap, "statistics.interval.ms": 100,
                        "enable.idempotence": True, "stats_cb": produced_stats.append})
for i in range(COUNT):
    producer.produce(topic, value=b"v%d" % i, partition=i % 2)
if producer.flush(30) != 0:
    sys.exit("flush left messages undelivered")
settle(producer, produced_stats)

consumed_stats = []
consumer = ck.Consumer({"bootstrap.servers": bootstrap, "group.id": topic,
                        "auto.offset.reset": "earliest", "enable.auto.commit": False,
                        "statistics.interval.ms": 100, "stats_cb": consumed_stats.append})
consumer.subscribe([topic])
seen = 0
deadline = time.monotonic() + 60
while seen < COUNT and time.monotonic() < deadline:
    msg = consumer.poll(0.2)
    if msg is not None and not msg.error():
        seen += 1
if seen < COUNT:
    sys.exit("consumed %d of %d" % (seen, COUNT))
consumer.commit(asynchronous=False)
consumer.commit(offsets=[ck.TopicPartition(topic, 0, LAG_BASE)], asynchronous=False)
settle(consumer, consumed_stats)
# close() serves documents too, made while leaving the group: not these.
consumer_docs = [json.loads(d) for d in consumed_stats]
consumer.close()
producer_docs = [json.loads(d) for d in produced_stats]
print(json.dumps({"count": COUNT, "lag_base": LAG_BASE, "topic": topic,
                  "producer": sorted(paths(producer_docs[-1], "", set())),
                  "consumer": sorted(paths(consumer_docs[-1], "", set())),
                  "producer_docs": producer_docs, "consumer_docs": consumer_docs}), flush=True)
