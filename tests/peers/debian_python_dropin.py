"""Debian's python3-confluent-kafka (built for librdkafka.so.1), loaded on
whichever librdkafka.so.1 the dynamic linker finds first: the test points
LD_LIBRARY_PATH at ours. Produces, consumes in a group, commits and uses
the AdminClient against BOOTSTRAP; prints one line per step and "ok" last.
Exits non-zero at the first step that goes wrong.

usage: debian_python_dropin.py BOOTSTRAP TOPIC
"""
import sys
import time

import confluent_kafka as ck
from confluent_kafka.admin import AdminClient, NewTopic

bootstrap, topic = sys.argv[1], sys.argv[2]
COUNT = 200


def fail(what):
    print("FAILED: " + what, flush=True)
    sys.exit(1)


print("library", ck.libversion()[0], flush=True)
if "ferrokafka" not in ck.libversion()[0]:
    fail("the binding did not load ferrokafka")

admin = AdminClient({"bootstrap.servers": bootstrap})
for name, future in admin.create_topics([NewTopic(topic, 3, 1)], request_timeout=15).items():
    future.result(timeout=30)
    print("created", name, flush=True)
if len(admin.list_topics(timeout=15).topics[topic].partitions) != 3:
    fail("the new topic does not have 3 partitions")

delivered = []
producer = ck.Producer({"bootstrap.servers": bootstrap, "linger.ms": 5})
for i in range(COUNT):
    producer.produce(topic, key=b"k%d" % i, value=b"v%d" % i,
                     on_delivery=lambda err, msg: delivered.append((err, msg.value())))
if producer.flush(30) != 0:
    fail("flush left messages undelivered")
errors = [e for e, _ in delivered if e is not None]
if len(delivered) != COUNT or errors:
    fail("delivery reports: %d of %d, errors %s" % (len(delivered), COUNT, errors[:3]))
print("delivered", len(delivered), flush=True)

consumer = ck.Consumer({
    "bootstrap.servers": bootstrap,
    "group.id": "debian-python",
    "auto.offset.reset": "earliest",
    "enable.auto.commit": False,
})
consumer.subscribe([topic])
seen = set()
deadline = time.monotonic() + 60
while len(seen) < COUNT and time.monotonic() < deadline:
    msg = consumer.poll(1.0)
    if msg is None:
        continue
    if msg.error():
        fail("consumer error %s" % msg.error())
    seen.add(msg.value())
if seen != {b"v%d" % i for i in range(COUNT)}:
    fail("consumed %d distinct of %d" % (len(seen), COUNT))
print("consumed", len(seen), flush=True)
committed = consumer.commit(asynchronous=False)
if sum(tp.offset for tp in committed) != COUNT:
    fail("committed offsets add up to %d" % sum(tp.offset for tp in committed))
print("committed", sum(tp.offset for tp in committed), flush=True)
consumer.close()
print("ok", flush=True)
