/* RdKafka::Consumer, the legacy (simple) consumer, through the C++
 * wrapper: start at BEGINNING and at OffsetTail(n), consume with its
 * timeout and partition EOF, seek, stop, consume_callback on a partition
 * and on a Queue, and a partition that was never started.
 *
 * Usage: legacy_consumer BOOTSTRAP TOPIC
 * TOPIC must exist with 2 partitions and be empty; COUNT messages are
 * produced to partition 0 and 1 to partition 1 first. Prints
 * "c-library: PATH" and, on success, "ok". */
#include <librdkafka/rdkafkacpp.h>

#include <memory>

#include "check.h"
#include "produce.h"

namespace {

const int COUNT = 8;

/* COUNT messages to partition 0, then one to partition 1. */
int first_count_to_zero(int i) { return i < COUNT ? 0 : 1; }

/* The offset of the next message of a started partition (-1 for none in
 * 10 s); an EOF on the way is counted. */
int64_t next_offset(RdKafka::Consumer *c, RdKafka::Topic *t, int partition,
                    int *eofs) {
  for (int i = 0; i < 100; i++) {
    std::unique_ptr<RdKafka::Message> m(c->consume(t, partition, 100));
    if (m->err() == RdKafka::ERR_NO_ERROR) {
      CHECK_EQ(std::string(static_cast<char *>(m->payload()), m->len()),
               "m" + std::to_string(m->offset()));
      return m->offset();
    }
    if (m->err() == RdKafka::ERR__PARTITION_EOF)
      (*eofs)++;
    else
      CHECK_EQ(m->err(), RdKafka::ERR__TIMED_OUT);
  }
  return -1;
}

struct Collect : RdKafka::ConsumeCb {
  int messages = 0;
  int eofs = 0;
  int64_t last = -1;
  void consume_cb(RdKafka::Message &m, void *opaque) {
    CHECK(opaque == this);
    if (m.err() == RdKafka::ERR__PARTITION_EOF) {
      eofs++;
      return;
    }
    CHECK_EQ(m.err(), RdKafka::ERR_NO_ERROR);
    if (last >= 0 && m.partition() == 0)
      CHECK_EQ(m.offset(), last + 1);
    if (m.partition() == 0)
      last = m.offset();
    messages++;
  }
};

}  // namespace

int main(int argc, char **argv) {
  print_c_library();
  if (argc != 3) {
    std::cerr << "usage: legacy_consumer BOOTSTRAP TOPIC" << std::endl;
    return 2;
  }
  std::string bootstrap = argv[1], topic_name = argv[2], errstr;
  produce_numbered(bootstrap, topic_name, COUNT + 1, first_count_to_zero);

  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  CHECK_EQ(conf->set("bootstrap.servers", bootstrap, errstr),
           RdKafka::Conf::CONF_OK);
  CHECK_EQ(conf->set("enable.partition.eof", "true", errstr),
           RdKafka::Conf::CONF_OK);
  std::unique_ptr<RdKafka::Consumer> c(
      RdKafka::Consumer::create(conf.get(), errstr));
  if (!c) {
    std::cerr << "Consumer::create: " << errstr << std::endl;
    return 1;
  }
  conf.reset();
  std::unique_ptr<RdKafka::Topic> t(
      RdKafka::Topic::create(c.get(), topic_name, NULL, errstr));
  CHECK(t.get() != NULL);
  if (!t)
    return 1;

  /* A partition never started: the error comes back as a message. */
  std::unique_ptr<RdKafka::Message> none(c->consume(t.get(), 42, 0));
  CHECK_EQ(none->err(), RdKafka::ERR__UNKNOWN_PARTITION);
  CHECK_EQ(c->start(t.get(), -1, 0), RdKafka::ERR__UNKNOWN_PARTITION);

  int eofs = 0;
  CHECK_EQ(c->start(t.get(), 0, RdKafka::Topic::OFFSET_BEGINNING),
           RdKafka::ERR_NO_ERROR);
  for (int i = 0; i < COUNT; i++)
    CHECK_EQ(next_offset(c.get(), t.get(), 0, &eofs), i);
  CHECK_EQ(c->seek(t.get(), 0, 3, 5000), RdKafka::ERR_NO_ERROR);
  CHECK_EQ(next_offset(c.get(), t.get(), 0, &eofs), 3);
  CHECK_EQ(c->stop(t.get(), 0), RdKafka::ERR_NO_ERROR);

  CHECK_EQ(RdKafka::Consumer::OffsetTail(2), RD_KAFKA_OFFSET_TAIL(2));
  CHECK_EQ(c->start(t.get(), 0, RdKafka::Consumer::OffsetTail(2)),
           RdKafka::ERR_NO_ERROR);
  CHECK_EQ(next_offset(c.get(), t.get(), 0, &eofs), COUNT - 2);
  CHECK_EQ(next_offset(c.get(), t.get(), 0, &eofs), COUNT - 1);
  /* Then the end of the partition, and nothing more. */
  eofs = 0;
  CHECK_EQ(next_offset(c.get(), t.get(), 0, &eofs), -1);
  CHECK_EQ(eofs, 1);
  CHECK_EQ(c->stop(t.get(), 0), RdKafka::ERR_NO_ERROR);

  Collect on_partition;
  CHECK_EQ(c->start(t.get(), 0, 1), RdKafka::ERR_NO_ERROR);
  for (int i = 0; i < 100 && on_partition.eofs == 0; i++)
    CHECK(c->consume_callback(t.get(), 0, 100, &on_partition, &on_partition) >=
          0);
  CHECK_EQ(on_partition.messages, COUNT - 1);
  CHECK_EQ(on_partition.last, COUNT - 1);
  CHECK_EQ(c->stop(t.get(), 0), RdKafka::ERR_NO_ERROR);

  std::unique_ptr<RdKafka::Queue> q(RdKafka::Queue::create(c.get()));
  CHECK(q.get() != NULL);
  CHECK_EQ(c->start(t.get(), 0, RdKafka::Topic::OFFSET_BEGINNING, q.get()),
           RdKafka::ERR_NO_ERROR);
  CHECK_EQ(c->start(t.get(), 1, RdKafka::Topic::OFFSET_BEGINNING, q.get()),
           RdKafka::ERR_NO_ERROR);
  Collect on_queue;
  for (int i = 0; i < 100 && on_queue.eofs < 2; i++)
    CHECK(c->consume_callback(q.get(), 100, &on_queue, &on_queue) >= 0);
  CHECK_EQ(on_queue.messages, COUNT + 1);
  CHECK_EQ(on_queue.eofs, 2);
  CHECK_EQ(c->seek(t.get(), 1, 0, 5000), RdKafka::ERR_NO_ERROR);
  std::unique_ptr<RdKafka::Message> again;
  for (int i = 0; i < 100; i++) {
    again.reset(c->consume(q.get(), 100));
    if (again->err() != RdKafka::ERR__TIMED_OUT)
      break;
  }
  CHECK_EQ(again->err(), RdKafka::ERR_NO_ERROR);
  CHECK_EQ(again->partition(), 1);
  CHECK_EQ(again->offset(), 0);
  again.reset();
  CHECK_EQ(c->stop(t.get(), 0), RdKafka::ERR_NO_ERROR);
  CHECK_EQ(c->stop(t.get(), 1), RdKafka::ERR_NO_ERROR);
  q.reset();
  t.reset();
  c.reset();
  if (failures() != 0) {
    std::cerr << failures() << " check(s) failed" << std::endl;
    return 1;
  }
  std::cout << "ok" << std::endl;
  return 0;
}
