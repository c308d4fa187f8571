/* KafkaConsumer through the C++ wrapper: subscription, rebalance and
 * offset-commit callbacks, consume, position, committed, every commit form,
 * seek, pause/resume, watermarks and close.
 *
 * Usage: consumer_unit BOOTSTRAP TOPIC
 * TOPIC must exist and be empty; 20 messages are produced to partition 0
 * first. Prints "c-library: PATH" and, on success, "ok". */
#include <librdkafka/rdkafkacpp.h>

#include <memory>

#include "check.h"
#include "produce.h"

namespace {

const int COUNT = 20;

struct Rebalance : RdKafka::RebalanceCb {
  int assigned = 0;
  int revoked = 0;
  void rebalance_cb(RdKafka::KafkaConsumer *consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition *> &partitions) {
    CHECK(consumer != NULL);
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      assigned++;
      CHECK(!partitions.empty());
      CHECK_EQ(consumer->assign(partitions), RdKafka::ERR_NO_ERROR);
    } else {
      CHECK_EQ(err, RdKafka::ERR__REVOKE_PARTITIONS);
      revoked++;
      CHECK_EQ(consumer->unassign(), RdKafka::ERR_NO_ERROR);
    }
  }
};

struct Commits : RdKafka::OffsetCommitCb {
  int calls = 0;
  int64_t last_offset = -1;
  void offset_commit_cb(RdKafka::ErrorCode err,
                        std::vector<RdKafka::TopicPartition *> &offsets) {
    calls++;
    CHECK_EQ(err, RdKafka::ERR_NO_ERROR);
    for (size_t i = 0; i < offsets.size(); i++)
      if (offsets[i]->partition() == 0)
        last_offset = offsets[i]->offset();
  }
};

int partition_zero(int) { return 0; }

/* Consumes until a message (not an event) arrives or the deadline. */
RdKafka::Message *next(RdKafka::KafkaConsumer *c) {
  for (int i = 0; i < 300; i++) {
    RdKafka::Message *m = c->consume(100);
    if (m->err() == RdKafka::ERR_NO_ERROR)
      return m;
    CHECK(m->err() == RdKafka::ERR__TIMED_OUT ||
          m->err() == RdKafka::ERR__PARTITION_EOF);
    delete m;
  }
  return NULL;
}

int64_t committed(RdKafka::KafkaConsumer *c, const std::string &topic) {
  std::vector<RdKafka::TopicPartition *> tps(
      1, RdKafka::TopicPartition::create(topic, 0));
  CHECK_EQ(c->committed(tps, 10000), RdKafka::ERR_NO_ERROR);
  int64_t off = tps[0]->offset();
  RdKafka::TopicPartition::destroy(tps);
  return off;
}

}  // namespace

int main(int argc, char **argv) {
  print_c_library();
  if (argc != 3) {
    std::cerr << "usage: consumer_unit BOOTSTRAP TOPIC" << std::endl;
    return 2;
  }
  std::string bootstrap = argv[1], topic = argv[2], errstr;
  produce_numbered(bootstrap, topic, COUNT, partition_zero);

  Rebalance rebalance;
  Commits commits;
  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  CHECK_EQ(conf->set("bootstrap.servers", bootstrap, errstr),
           RdKafka::Conf::CONF_OK);
  CHECK_EQ(conf->set("group.id", "cpp-consumer-unit", errstr),
           RdKafka::Conf::CONF_OK);
  CHECK_EQ(conf->set("auto.offset.reset", "earliest", errstr),
           RdKafka::Conf::CONF_OK);
  CHECK_EQ(conf->set("enable.auto.commit", "false", errstr),
           RdKafka::Conf::CONF_OK);
  /* offsets_store() is only allowed with manual offset storing. */
  CHECK_EQ(conf->set("enable.auto.offset.store", "false", errstr),
           RdKafka::Conf::CONF_OK);
  CHECK_EQ(conf->set("rebalance_cb", &rebalance, errstr),
           RdKafka::Conf::CONF_OK);
  CHECK_EQ(conf->set("offset_commit_cb", &commits, errstr),
           RdKafka::Conf::CONF_OK);
  std::unique_ptr<RdKafka::KafkaConsumer> c(
      RdKafka::KafkaConsumer::create(conf.get(), errstr));
  if (!c) {
    std::cerr << "KafkaConsumer::create: " << errstr << std::endl;
    return 1;
  }
  conf.reset();

  CHECK_EQ(c->subscribe(std::vector<std::string>(1, topic)),
           RdKafka::ERR_NO_ERROR);
  std::vector<std::string> subscription;
  CHECK_EQ(c->subscription(subscription), RdKafka::ERR_NO_ERROR);
  CHECK(subscription == std::vector<std::string>(1, topic));

  for (int i = 0; i < COUNT; i++) {
    std::unique_ptr<RdKafka::Message> m(next(c.get()));
    CHECK(m.get() != NULL);
    if (!m)
      break;
    CHECK_EQ(m->topic_name(), topic);
    CHECK_EQ(m->partition(), 0);
    CHECK_EQ(m->offset(), i);
    CHECK_EQ(std::string(static_cast<char *>(m->payload()), m->len()),
             "m" + std::to_string(i));
    CHECK(m->key() == NULL);
    CHECK(m->timestamp().type != RdKafka::MessageTimestamp::MSG_TIMESTAMP_NOT_AVAILABLE);
    if (i == 0) {
      /* commitSync(Message*) commits offset + 1. */
      CHECK_EQ(c->commitSync(m.get()), RdKafka::ERR_NO_ERROR);
      CHECK_EQ(committed(c.get(), topic), 1);
    }
  }
  CHECK_EQ(rebalance.assigned, 1);
  CHECK_EQ(c->rebalance_protocol(), "EAGER");
  CHECK(!c->assignment_lost());

  std::vector<RdKafka::TopicPartition *> assignment;
  CHECK_EQ(c->assignment(assignment), RdKafka::ERR_NO_ERROR);
  CHECK(!assignment.empty());
  RdKafka::TopicPartition::destroy(assignment);

  std::vector<RdKafka::TopicPartition *> tp0(
      1, RdKafka::TopicPartition::create(topic, 0));
  CHECK_EQ(c->position(tp0), RdKafka::ERR_NO_ERROR);
  CHECK_EQ(tp0[0]->offset(), COUNT);

  /* Explicit offsets with a one-off callback object. */
  Commits once;
  tp0[0]->set_offset(10);
  CHECK_EQ(c->commitSync(tp0, &once), RdKafka::ERR_NO_ERROR);
  CHECK_EQ(once.calls, 1);
  CHECK_EQ(once.last_offset, 10);
  CHECK_EQ(tp0[0]->err(), RdKafka::ERR_NO_ERROR);
  CHECK_EQ(committed(c.get(), topic), 10);

  /* The stored offsets, result through the configured callback. */
  tp0[0]->set_offset(COUNT);
  CHECK_EQ(c->offsets_store(tp0), RdKafka::ERR_NO_ERROR);
  CHECK_EQ(c->commitSync(), RdKafka::ERR_NO_ERROR);
  CHECK_EQ(committed(c.get(), topic), COUNT);
  for (int i = 0; i < 50 && commits.calls == 0; i++)
    delete c->consume(100);
  CHECK(commits.calls >= 1);

  tp0[0]->set_offset(12);
  CHECK_EQ(c->commitAsync(tp0), RdKafka::ERR_NO_ERROR);
  for (int i = 0; i < 100 && commits.last_offset != 12; i++)
    delete c->consume(100);
  CHECK_EQ(commits.last_offset, 12);

  int64_t low = -1, high = -1;
  CHECK_EQ(c->query_watermark_offsets(topic, 0, &low, &high, 10000),
           RdKafka::ERR_NO_ERROR);
  CHECK_EQ(high, COUNT);
  CHECK_EQ(c->get_watermark_offsets(topic, 0, &low, &high),
           RdKafka::ERR_NO_ERROR);

  CHECK_EQ(c->pause(tp0), RdKafka::ERR_NO_ERROR);
  CHECK_EQ(c->resume(tp0), RdKafka::ERR_NO_ERROR);

  std::unique_ptr<RdKafka::TopicPartition> at5(
      RdKafka::TopicPartition::create(topic, 0, 5));
  CHECK_EQ(c->seek(*at5, 5000), RdKafka::ERR_NO_ERROR);
  std::unique_ptr<RdKafka::Message> again(next(c.get()));
  CHECK(again.get() != NULL);
  if (again)
    CHECK_EQ(again->offset(), 5);
  again.reset();

  RdKafka::TopicPartition::destroy(tp0);

  std::unique_ptr<RdKafka::ConsumerGroupMetadata> md(c->groupMetadata());
  CHECK(md.get() != NULL);

  CHECK(!c->memberid().empty());
  CHECK_EQ(c->close(), RdKafka::ERR_NO_ERROR);
  CHECK(c->closed());
  CHECK_EQ(rebalance.revoked, 1);
  c.reset();

  /* The asynchronous close: close(Queue*) returns at once, the revoke
   * reaches the rebalance callback while the application serves the
   * queue, until closed(). */
  Rebalance async_rebalance;
  std::unique_ptr<RdKafka::Conf> async_conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  CHECK_EQ(async_conf->set("bootstrap.servers", bootstrap, errstr),
           RdKafka::Conf::CONF_OK);
  CHECK_EQ(async_conf->set("group.id", "cpp-consumer-unit-async", errstr),
           RdKafka::Conf::CONF_OK);
  CHECK_EQ(async_conf->set("auto.offset.reset", "earliest", errstr),
           RdKafka::Conf::CONF_OK);
  CHECK_EQ(async_conf->set("rebalance_cb", &async_rebalance, errstr),
           RdKafka::Conf::CONF_OK);
  std::unique_ptr<RdKafka::KafkaConsumer> ac(
      RdKafka::KafkaConsumer::create(async_conf.get(), errstr));
  CHECK(ac.get() != NULL);
  if (ac) {
    CHECK_EQ(ac->subscribe(std::vector<std::string>(1, topic)),
             RdKafka::ERR_NO_ERROR);
    std::unique_ptr<RdKafka::Message> first(next(ac.get()));
    CHECK(first.get() != NULL);
    first.reset();
    std::unique_ptr<RdKafka::Queue> q(RdKafka::Queue::create(ac.get()));
    RdKafka::Error *error = ac->close(q.get());
    CHECK(error == NULL);
    delete error;
    for (int i = 0; i < 300 && !ac->closed(); i++)
      delete q->consume(100);
    CHECK(ac->closed());
    CHECK_EQ(async_rebalance.revoked, 1);
    q.reset();
    ac.reset();
  }

  if (failures() != 0) {
    std::cerr << failures() << " check(s) failed" << std::endl;
    return 1;
  }
  std::cout << "ok" << std::endl;
  return 0;
}
