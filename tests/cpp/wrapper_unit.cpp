/* Unit tests of the header-only C++ wrapper (include/librdkafka/rdkafkacpp.h).
 *
 * Usage: wrapper_unit [--no-stats] [BOOTSTRAP TOPIC PARTITION_COUNT]
 * Without arguments only tests that need no broker run (a producer pointed
 * at a closed port). With a bootstrap list and an existing topic, messages
 * are produced through every produce() overload and each delivery report is
 * checked. Prints "c-library: PATH" and, on success, "ok". */
#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <memory>
#include <set>
#include <stdexcept>
#include <thread>

#include "check.h"

namespace {

/* A port nothing listens on: connections are refused at once. */
const char *const NOWHERE = "127.0.0.1:1";

std::unique_ptr<RdKafka::Conf> global_conf(const std::string &bootstrap) {
  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string errstr;
  CHECK_EQ(conf->set("bootstrap.servers", bootstrap, errstr),
           RdKafka::Conf::CONF_OK);
  return conf;
}

void test_conf() {
  std::string errstr;
  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::unique_ptr<RdKafka::Conf> tconf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_TOPIC));

  CHECK_EQ(conf->set("client.id", "cpp-unit", errstr), RdKafka::Conf::CONF_OK);
  std::string value;
  CHECK_EQ(conf->get("client.id", value), RdKafka::Conf::CONF_OK);
  CHECK_EQ(value, "cpp-unit");

  errstr.clear();
  CHECK_EQ(conf->set("message.timeout.ms", "not-a-number", errstr),
           RdKafka::Conf::CONF_INVALID);
  CHECK(!errstr.empty());
  errstr.clear();
  CHECK_EQ(conf->set("acks", "seven", errstr), RdKafka::Conf::CONF_INVALID);
  CHECK(!errstr.empty());
  errstr.clear();
  CHECK_EQ(conf->set("no.such.property", "1", errstr),
           RdKafka::Conf::CONF_UNKNOWN);
  CHECK(!errstr.empty());
  CHECK_EQ(conf->get("no.such.property", value), RdKafka::Conf::CONF_UNKNOWN);

  CHECK_EQ(tconf->set("acks", "all", errstr), RdKafka::Conf::CONF_OK);
  CHECK_EQ(tconf->get("acks", value), RdKafka::Conf::CONF_OK);
  CHECK_EQ(value, "-1");

  /* dump(): name, value pairs. */
  std::unique_ptr<std::list<std::string> > dump(conf->dump());
  CHECK(dump->size() % 2 == 0);
  bool found = false;
  for (std::list<std::string>::const_iterator it = dump->begin();
       it != dump->end(); ++it) {
    std::list<std::string>::const_iterator v = it;
    ++v;
    if (*it == "client.id" && v != dump->end() && *v == "cpp-unit")
      found = true;
    it = v;
    if (it == dump->end())
      break;
  }
  CHECK(found);

  /* Callback objects: right name and conf type only. */
  struct Dr : RdKafka::DeliveryReportCb {
    void dr_cb(RdKafka::Message &) {}
  } dr;
  errstr.clear();
  CHECK_EQ(conf->set("event_cb", &dr, errstr), RdKafka::Conf::CONF_INVALID);
  CHECK(!errstr.empty());
  errstr.clear();
  CHECK_EQ(tconf->set("dr_cb", &dr, errstr), RdKafka::Conf::CONF_INVALID);
  CHECK(!errstr.empty());
  CHECK_EQ(conf->set("dr_cb", &dr, errstr), RdKafka::Conf::CONF_OK);
  RdKafka::DeliveryReportCb *got = NULL;
  CHECK_EQ(conf->get(got), RdKafka::Conf::CONF_OK);
  CHECK(got == &dr);

  struct Part : RdKafka::PartitionerCb {
    int32_t partitioner_cb(const RdKafka::Topic *, const std::string *,
                           int32_t, void *) {
      return 0;
    }
  } part;
  errstr.clear();
  CHECK_EQ(conf->set("partitioner_cb", &part, errstr),
           RdKafka::Conf::CONF_INVALID);
  CHECK(!errstr.empty());
  CHECK_EQ(tconf->set("partitioner_cb", &part, errstr), RdKafka::Conf::CONF_OK);
  RdKafka::PartitionerCb *got_part = NULL;
  CHECK_EQ(tconf->get(got_part), RdKafka::Conf::CONF_OK);
  CHECK(got_part == &part);

  errstr.clear();
  CHECK_EQ(conf->set("default_topic_conf", conf.get(), errstr),
           RdKafka::Conf::CONF_INVALID);
  CHECK(!errstr.empty());
  CHECK_EQ(conf->set("default_topic_conf", tconf.get(), errstr),
           RdKafka::Conf::CONF_OK);

  CHECK(conf->c_ptr_global() != NULL);
  CHECK(conf->c_ptr_topic() == NULL);
  CHECK(tconf->c_ptr_topic() != NULL);

  /* A producer cannot be made from a topic conf or a bad global conf. */
  errstr.clear();
  CHECK(RdKafka::Producer::create(tconf.get(), errstr) == NULL);
  CHECK(!errstr.empty());
  std::unique_ptr<RdKafka::Conf> bad(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  CHECK_EQ(bad->set("transactional.id", "t", errstr), RdKafka::Conf::CONF_OK);
  CHECK_EQ(bad->set("enable.idempotence", "false", errstr),
           RdKafka::Conf::CONF_OK);
  errstr.clear();
  RdKafka::Producer *none = RdKafka::Producer::create(bad.get(), errstr);
  CHECK(none == NULL);
  CHECK(!errstr.empty());
  delete none;

  /* KafkaConsumer requires group.id whatever the C library supports. */
  errstr.clear();
  RdKafka::KafkaConsumer *consumer =
      RdKafka::KafkaConsumer::create(conf.get(), errstr);
  CHECK(consumer == NULL);
  CHECK(!errstr.empty());
  delete consumer;
}

void test_headers() {
  std::unique_ptr<RdKafka::Headers> h(RdKafka::Headers::create());
  CHECK_EQ(h->size(), 0u);
  CHECK_EQ(h->add("a", "one"), RdKafka::ERR_NO_ERROR);
  CHECK_EQ(h->add("b", "\0x", 2), RdKafka::ERR_NO_ERROR);
  CHECK_EQ(h->add("a", std::string("two")), RdKafka::ERR_NO_ERROR);
  CHECK_EQ(h->add(RdKafka::Headers::Header("null", NULL, 0)),
           RdKafka::ERR_NO_ERROR);
  CHECK_EQ(h->size(), 4u);

  std::vector<RdKafka::Headers::Header> as = h->get("a");
  CHECK_EQ(as.size(), 2u);
  if (as.size() == 2) {
    CHECK_EQ(std::string(as[0].value_string()), "one");
    CHECK_EQ(std::string(as[1].value_string()), "two");
  }
  RdKafka::Headers::Header last = h->get_last("a");
  CHECK_EQ(last.err(), RdKafka::ERR_NO_ERROR);
  CHECK_EQ(std::string(last.value_string()), "two");
  RdKafka::Headers::Header b = h->get_last("b");
  CHECK_EQ(b.value_size(), 2u);
  CHECK(std::memcmp(b.value(), "\0x", 2) == 0);
  RdKafka::Headers::Header n = h->get_last("null");
  CHECK(n.value() == NULL);
  CHECK_EQ(h->get_last("missing").err(), RdKafka::ERR__NOENT);

  std::vector<RdKafka::Headers::Header> all = h->get_all();
  CHECK_EQ(all.size(), 4u);
  if (all.size() == 4) {
    CHECK_EQ(all[0].key(), "a");
    CHECK_EQ(all[1].key(), "b");
    CHECK_EQ(all[3].key(), "null");
  }

  CHECK_EQ(h->remove("a"), RdKafka::ERR_NO_ERROR);
  CHECK_EQ(h->size(), 2u);
  CHECK_EQ(h->remove("a"), RdKafka::ERR__NOENT);

  /* Header is a value type: copies own their bytes. */
  RdKafka::Headers::Header copy = last;
  RdKafka::Headers::Header assigned("x", "y", 1);
  assigned = copy;
  assigned = assigned;
  CHECK_EQ(std::string(assigned.value_string()), "two");
  CHECK_EQ(assigned.key(), "a");

  std::unique_ptr<RdKafka::Headers> from(RdKafka::Headers::create(all));
  CHECK_EQ(from->size(), 4u);
}

void test_values() {
  CHECK_EQ(RdKafka::version(), rd_kafka_version());
  CHECK_EQ(RdKafka::version_str(), std::string(rd_kafka_version_str()));
  CHECK_EQ(RdKafka::err2str(RdKafka::ERR__MSG_TIMED_OUT),
           std::string(rd_kafka_err2str(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)));
  CHECK_EQ(static_cast<int>(RdKafka::ERR_GROUP_LOAD_IN_PROGRESS), 14);
  CHECK_EQ(RdKafka::Topic::PARTITION_UA, -1);
  CHECK_EQ(RdKafka::Topic::OFFSET_BEGINNING, -2);
  CHECK_EQ(RdKafka::Topic::OFFSET_STORED, -1000);

  std::vector<RdKafka::TopicPartition *> tps;
  tps.push_back(RdKafka::TopicPartition::create("t", 1));
  tps.push_back(RdKafka::TopicPartition::create("u", 2, 42));
  CHECK_EQ(tps[0]->offset(), RdKafka::Topic::OFFSET_INVALID);
  CHECK_EQ(tps[1]->offset(), 42);
  tps[0]->set_offset(7);
  CHECK_EQ(tps[0]->offset(), 7);
  CHECK_EQ(tps[1]->topic(), "u");
  CHECK_EQ(tps[1]->partition(), 2);
  CHECK_EQ(tps[1]->err(), RdKafka::ERR_NO_ERROR);
  RdKafka::TopicPartition::destroy(tps);
  CHECK(tps.empty());

  std::string text = "bad thing";
  std::unique_ptr<RdKafka::Error> e(
      RdKafka::Error::create(RdKafka::ERR__STATE, &text));
  CHECK_EQ(e->code(), RdKafka::ERR__STATE);
  CHECK_EQ(e->str(), "bad thing");
  CHECK_EQ(e->name(), "_STATE");
  CHECK(!e->is_fatal());
  std::unique_ptr<RdKafka::Error> d(
      RdKafka::Error::create(RdKafka::ERR__TIMED_OUT, NULL));
  CHECK_EQ(d->str(), RdKafka::err2str(RdKafka::ERR__TIMED_OUT));
}

struct Report {
  RdKafka::ErrorCode err;
  std::string topic;
  std::string payload;
  std::string key;
  bool has_key;
  void *opaque;
  int32_t partition;
  int64_t offset;
  size_t header_count;
  std::string first_header;
  RdKafka::Topic *topic_obj;
};

/* Records every delivery report; throws for messages whose opaque says so. */
struct RecordingDr : RdKafka::DeliveryReportCb {
  std::vector<Report> reports;
  void dr_cb(RdKafka::Message &m) {
    Report r;
    r.err = m.err();
    r.topic = m.topic_name();
    r.payload = std::string(static_cast<const char *>(m.payload()), m.len());
    r.has_key = m.key() != NULL;
    r.key = r.has_key ? *m.key() : std::string();
    CHECK_EQ(m.key_len(), r.key.size());
    r.opaque = m.msg_opaque();
    r.partition = m.partition();
    r.offset = m.offset();
    r.topic_obj = m.topic();
    RdKafka::Headers *h = m.headers();
    r.header_count = h != NULL ? h->size() : 0;
    if (h != NULL && h->size() > 0)
      r.first_header = h->get_all()[0].key();
    if (m.err() != RdKafka::ERR_NO_ERROR)
      CHECK(!m.errstr().empty());
    reports.push_back(r);
    if (r.opaque == &throw_marker)
      throw std::runtime_error("thrown from dr_cb");
  }
  static int throw_marker;
};
int RecordingDr::throw_marker = 0;

struct RecordingEvents : RdKafka::EventCb {
  std::mutex mutex;
  std::vector<RdKafka::Event::Type> types;
  std::vector<RdKafka::ErrorCode> errors;
  void event_cb(RdKafka::Event &e) {
    std::lock_guard<std::mutex> lock(mutex);
    types.push_back(e.type());
    if (e.type() == RdKafka::Event::EVENT_ERROR) {
      errors.push_back(e.err());
      CHECK(!e.str().empty());
    }
    if (e.type() == RdKafka::Event::EVENT_LOG)
      CHECK(!e.fac().empty());
  }
  bool seen(RdKafka::Event::Type t) {
    std::lock_guard<std::mutex> lock(mutex);
    for (size_t i = 0; i < types.size(); i++)
      if (types[i] == t)
        return true;
    return false;
  }
};

/* Delivery reports for messages that cannot be delivered (no broker),
 * exceptions out of dr_cb, purge, Headers ownership, and events. */
void test_producer_offline(bool want_stats) {
  std::string errstr;
  RecordingDr dr;
  RecordingEvents events;
  std::unique_ptr<RdKafka::Conf> conf = global_conf(NOWHERE);
  CHECK_EQ(conf->set("message.timeout.ms", "300", errstr),
           RdKafka::Conf::CONF_OK);
  CHECK_EQ(conf->set("statistics.interval.ms", "100", errstr),
           RdKafka::Conf::CONF_OK);
  CHECK_EQ(conf->set("debug", "broker", errstr), RdKafka::Conf::CONF_OK);
  CHECK_EQ(conf->set("dr_cb", &dr, errstr), RdKafka::Conf::CONF_OK);
  CHECK_EQ(conf->set("event_cb", &events, errstr), RdKafka::Conf::CONF_OK);
  std::unique_ptr<RdKafka::Producer> p(
      RdKafka::Producer::create(conf.get(), errstr));
  CHECK(p.get() != NULL);
  if (!p)
    return;
  /* The handle keeps its own copy: the Conf may go now. */
  conf.reset();
  CHECK(p->name().find("producer") != std::string::npos);

  int opaque1 = 0;
  std::string key = "k1";
  std::unique_ptr<RdKafka::Topic> topic(
      RdKafka::Topic::create(p.get(), "offline", NULL, errstr));
  CHECK(topic.get() != NULL);
  CHECK_EQ(topic->name(), "offline");
  CHECK_EQ(p->produce(topic.get(), RdKafka::Topic::PARTITION_UA,
                      RdKafka::Producer::RK_MSG_COPY,
                      const_cast<char *>("v1"), 2, &key, &opaque1),
           RdKafka::ERR_NO_ERROR);

  RdKafka::Headers *headers = RdKafka::Headers::create();
  headers->add("h1", "x");
  CHECK_EQ(p->produce("offline", 0, RdKafka::Producer::RK_MSG_COPY,
                      const_cast<char *>("v2"), 2, NULL, 0, 1700000000000LL,
                      headers, &RecordingDr::throw_marker),
           RdKafka::ERR_NO_ERROR);
  /* headers now belongs to the library (valgrind checks it is freed).
   * librdkafka also counts queued events in outq_len. */
  CHECK(p->outq_len() >= 2);

  bool rethrown = false;
  try {
    p->flush(10000);
  } catch (const std::runtime_error &e) {
    rethrown = std::string(e.what()) == "thrown from dr_cb";
  }
  CHECK(rethrown);
  /* flush returned early because of the exception: finish serving. */
  for (int i = 0; i < 100 && dr.reports.size() < 2; i++)
    p->poll(100);
  CHECK_EQ(dr.reports.size(), 2u);
  /* outq_len also counts queued events: librdkafka may have queued another
   * connection-refused error event meanwhile; serving it empties the queue. */
  for (int i = 0; i < 50 && p->outq_len() != 0; i++)
    p->poll(100);
  CHECK_EQ(p->outq_len(), 0);
  for (size_t i = 0; i < dr.reports.size(); i++) {
    const Report &r = dr.reports[i];
    CHECK_EQ(r.err, RdKafka::ERR__MSG_TIMED_OUT);
    CHECK_EQ(r.topic, "offline");
    if (r.opaque == &opaque1) {
      CHECK_EQ(r.payload, "v1");
      CHECK_EQ(r.key, "k1");
      CHECK(r.topic_obj == topic.get());
    } else {
      CHECK(r.opaque == &RecordingDr::throw_marker);
      CHECK_EQ(r.payload, "v2");
      CHECK(!r.has_key);
      CHECK_EQ(r.header_count, 1u);
      CHECK_EQ(r.first_header, "h1");
    }
  }

  /* A failed produce leaves the headers with the caller. */
  RdKafka::Headers *kept = RdKafka::Headers::create();
  kept->add("k", "v");
  std::vector<char> huge(2000000, 'h'); /* > message.max.bytes */
  RdKafka::ErrorCode bad =
      p->produce("offline", 0, RdKafka::Producer::RK_MSG_COPY, &huge[0],
                 huge.size(), NULL, 0, 0, kept, NULL);
  CHECK_EQ(bad, RdKafka::ERR_MSG_SIZE_TOO_LARGE);
  CHECK(bad != RdKafka::ERR_NO_ERROR);
  if (bad != RdKafka::ERR_NO_ERROR) {
    CHECK_EQ(kept->size(), 1u);
    delete kept;
  }

  /* purge() reports queued messages as purged. */
  dr.reports.clear();
  std::vector<char> payload(3, 'p');
  CHECK_EQ(p->produce(topic.get(), 0, &payload, NULL, NULL),
           RdKafka::ERR_NO_ERROR);
  CHECK_EQ(p->purge(RdKafka::Producer::PURGE_QUEUE), RdKafka::ERR_NO_ERROR);
  for (int i = 0; i < 100 && dr.reports.empty(); i++)
    p->poll(100);
  CHECK_EQ(dr.reports.size(), 1u);
  if (!dr.reports.empty()) {
    CHECK_EQ(dr.reports[0].err, RdKafka::ERR__PURGE_QUEUE);
    CHECK_EQ(dr.reports[0].payload, "ppp");
  }

  /* Events: logs (debug=broker), statistics, and the refused connection. */
  for (int i = 0; i < 50 && !((!want_stats ||
                                events.seen(RdKafka::Event::EVENT_STATS)) &&
                              events.seen(RdKafka::Event::EVENT_LOG) &&
                              events.seen(RdKafka::Event::EVENT_ERROR));
       i++)
    p->poll(100);
  CHECK(events.seen(RdKafka::Event::EVENT_LOG));
  if (want_stats)
    CHECK(events.seen(RdKafka::Event::EVENT_STATS));
  CHECK(events.seen(RdKafka::Event::EVENT_ERROR));

  std::string fatal;
  CHECK_EQ(p->fatal_error(fatal), RdKafka::ERR_NO_ERROR);
  topic.reset();
  p.reset();
}

/* Without callback objects nothing is reported and nothing breaks. */
void test_producer_defaults() {
  std::string errstr;
  std::unique_ptr<RdKafka::Conf> conf = global_conf(NOWHERE);
  CHECK_EQ(conf->set("message.timeout.ms", "200", errstr),
           RdKafka::Conf::CONF_OK);
  std::unique_ptr<RdKafka::Producer> p(
      RdKafka::Producer::create(conf.get(), errstr));
  CHECK(p.get() != NULL);
  if (!p)
    return;
  CHECK_EQ(p->produce("defaults", 0, RdKafka::Producer::RK_MSG_COPY,
                      const_cast<char *>("v"), 1, NULL, 0, 0, NULL),
           RdKafka::ERR_NO_ERROR);
  CHECK_EQ(p->flush(10000), RdKafka::ERR_NO_ERROR);
  /* librdkafka's outq_len also counts queued events, and its broker thread
   * queues a connection-refused error event every reconnect (~1 s), which
   * can land between flush returning and this check: serve those (with no
   * callbacks they are just dropped) until the queue is empty. A message
   * still queued would keep it non-empty. */
  for (int i = 0; i < 20 && p->outq_len() != 0; i++)
    p->poll(100);
  CHECK_EQ(p->outq_len(), 0);
}

struct KeyPartitioner : RdKafka::PartitionerCb {
  std::mutex mutex;
  int calls;
  std::string topic_seen;
  KeyPartitioner() : calls(0) {}
  /* Key "pN" goes to partition N. */
  int32_t partitioner_cb(const RdKafka::Topic *topic, const std::string *key,
                         int32_t partition_cnt, void *) {
    std::lock_guard<std::mutex> lock(mutex);
    calls++;
    topic_seen = topic != NULL ? topic->name() : "";
    if (key == NULL || key->size() < 2)
      return 0;
    return std::atoi(key->c_str() + 1) % partition_cnt;
  }
};

/* Produces through every overload to a real broker and checks each report. */
void test_producer_online(const std::string &bootstrap,
                          const std::string &topic_name,
                          int32_t partition_cnt) {
  std::string errstr;
  RecordingDr dr;
  KeyPartitioner partitioner;
  std::unique_ptr<RdKafka::Conf> conf = global_conf(bootstrap);
  std::unique_ptr<RdKafka::Conf> tconf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_TOPIC));
  CHECK_EQ(conf->set("dr_cb", &dr, errstr), RdKafka::Conf::CONF_OK);
  CHECK_EQ(conf->set("linger.ms", "5", errstr), RdKafka::Conf::CONF_OK);
  CHECK_EQ(tconf->set("partitioner_cb", &partitioner, errstr),
           RdKafka::Conf::CONF_OK);
  std::unique_ptr<RdKafka::Producer> p(
      RdKafka::Producer::create(conf.get(), errstr));
  CHECK(p.get() != NULL);
  if (!p) {
    std::cerr << "producer: " << errstr << std::endl;
    return;
  }
  std::unique_ptr<RdKafka::Topic> topic(
      RdKafka::Topic::create(p.get(), topic_name, tconf.get(), errstr));
  CHECK(topic.get() != NULL);
  if (!topic)
    return;
  tconf.reset();

  const int per_kind = 25;
  std::vector<int> opaques(per_kind * 4);
  for (int i = 0; i < per_kind; i++) {
    std::string v = "string-key-" + std::to_string(i);
    std::string k = "p" + std::to_string(i);
    CHECK_EQ(p->produce(topic.get(), RdKafka::Topic::PARTITION_UA,
                        RdKafka::Producer::RK_MSG_COPY, &v[0], v.size(), &k,
                        &opaques[i]),
             RdKafka::ERR_NO_ERROR);
    v = "pointer-key-" + std::to_string(i);
    CHECK_EQ(p->produce(topic.get(), 0, RdKafka::Producer::RK_MSG_COPY, &v[0],
                        v.size(), k.data(), k.size(), &opaques[per_kind + i]),
             RdKafka::ERR_NO_ERROR);
    v = "by-name-" + std::to_string(i);
    RdKafka::Headers *h = RdKafka::Headers::create();
    h->add("idx", std::to_string(i));
    CHECK_EQ(p->produce(topic_name, 0, RdKafka::Producer::RK_MSG_COPY, &v[0],
                        v.size(), k.data(), k.size(), 1700000000000LL + i, h,
                        &opaques[2 * per_kind + i]),
             RdKafka::ERR_NO_ERROR);
    std::vector<char> payload(v.begin(), v.end());
    CHECK_EQ(p->produce(topic.get(), 0, &payload, NULL,
                        &opaques[3 * per_kind + i]),
             RdKafka::ERR_NO_ERROR);
  }
  CHECK_EQ(p->flush(60000), RdKafka::ERR_NO_ERROR);
  CHECK_EQ(p->outq_len(), 0);
  CHECK_EQ(dr.reports.size(), opaques.size());
  std::set<void *> seen;
  for (size_t i = 0; i < dr.reports.size(); i++) {
    const Report &r = dr.reports[i];
    CHECK_EQ(r.err, RdKafka::ERR_NO_ERROR);
    CHECK(r.offset >= 0);
    CHECK_EQ(r.topic, topic_name);
    CHECK(seen.insert(r.opaque).second);
    size_t idx = static_cast<int *>(r.opaque) - &opaques[0];
    CHECK(idx < opaques.size());
    if (idx < static_cast<size_t>(per_kind)) {
      /* The partitioner put key pN on partition N mod count. */
      CHECK(r.has_key);
      CHECK_EQ(r.partition, static_cast<int32_t>(idx) % partition_cnt);
      CHECK_EQ(r.payload, "string-key-" + std::to_string(idx));
      CHECK(r.topic_obj == topic.get());
    } else if (idx < static_cast<size_t>(2 * per_kind)) {
      CHECK_EQ(r.partition, 0);
    } else if (idx < static_cast<size_t>(3 * per_kind)) {
      CHECK_EQ(r.header_count, 1u);
      CHECK_EQ(r.first_header, "idx");
    } else {
      CHECK(!r.has_key);
    }
  }
  {
    std::lock_guard<std::mutex> lock(partitioner.mutex);
    CHECK(partitioner.calls >= per_kind);
    CHECK_EQ(partitioner.topic_seen, topic_name);
  }

  RdKafka::Metadata *md = NULL;
  RdKafka::ErrorCode err = p->metadata(false, topic.get(), &md, 10000);
  if (err != RdKafka::ERR__NOT_IMPLEMENTED) {
    CHECK_EQ(err, RdKafka::ERR_NO_ERROR);
    CHECK(md != NULL);
    if (md != NULL) {
      CHECK(!md->brokers()->empty());
      CHECK_EQ(md->topics()->size(), 1u);
      if (md->topics()->size() == 1) {
        const RdKafka::TopicMetadata *t = (*md->topics())[0];
        CHECK_EQ(t->topic(), topic_name);
        CHECK(!t->partitions()->empty());
      }
    }
    delete md;
  } else {
    std::cout << "metadata: not implemented by the C library" << std::endl;
  }
}

}  // namespace

int main(int argc, char **argv) {
  print_c_library();
  /* --no-stats: the C library does not emit statistics (yet). */
  bool want_stats = true;
  if (argc >= 2 && std::string(argv[1]) == "--no-stats") {
    want_stats = false;
    argc--;
    argv++;
  }
  test_values();
  test_conf();
  test_headers();
  test_producer_defaults();
  test_producer_offline(want_stats);
  if (argc >= 4)
    test_producer_online(argv[1], argv[2], std::atoi(argv[3]));
  if (failures() != 0) {
    std::cerr << failures() << " check(s) failed" << std::endl;
    return 1;
  }
  std::cout << "ok" << std::endl;
  return 0;
}
