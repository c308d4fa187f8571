/* Test data for the C++ wrapper tests: numbered messages, value "mI" and
 * no key, produced through the wrapper's Producer. */
#ifndef FERROKAFKA_TESTS_CPP_PRODUCE_H
#define FERROKAFKA_TESTS_CPP_PRODUCE_H

#include <librdkafka/rdkafkacpp.h>

#include <memory>
#include <string>

#include "check.h"

/* Produces messages 0..count-1, message I to partition_of(I), and waits
 * for every delivery. */
inline void produce_numbered(const std::string &bootstrap,
                             const std::string &topic, int count,
                             int (*partition_of)(int)) {
  std::string errstr;
  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  conf->set("bootstrap.servers", bootstrap, errstr);
  std::unique_ptr<RdKafka::Producer> p(
      RdKafka::Producer::create(conf.get(), errstr));
  CHECK(p.get() != NULL);
  if (!p)
    return;
  for (int i = 0; i < count; i++) {
    std::string v = "m" + std::to_string(i);
    CHECK_EQ(p->produce(topic, partition_of(i), RdKafka::Producer::RK_MSG_COPY,
                        &v[0], v.size(), NULL, 0, 0, NULL),
             RdKafka::ERR_NO_ERROR);
  }
  CHECK_EQ(p->flush(30000), RdKafka::ERR_NO_ERROR);
}

#endif
