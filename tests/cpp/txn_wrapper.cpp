/* The C++ wrapper's transactional producer: RdKafka::Producer's
 * init/begin/commit/abort_transaction and RdKafka::Error's flags.
 * Usage: txn_wrapper BOOTSTRAP TOPIC
 * Prints "c-library: PATH" and, on success, "ok". */
#include <librdkafka/rdkafkacpp.h>

#include <memory>
#include <string>

#include "check.h"

namespace {

/* Expects `error` to be a plain __STATE error, and frees it. */
void expect_state_error(RdKafka::Error *error) {
  CHECK(error != NULL);
  if (error == NULL)
    return;
  CHECK_EQ(error->code(), RdKafka::ERR__STATE);
  CHECK(!error->is_fatal());
  CHECK(!error->is_retriable());
  CHECK(!error->txn_requires_abort());
  delete error;
}

void produce(RdKafka::Producer *p, const std::string &topic, int n) {
  for (int i = 0; i < n; i++) {
    std::string value = "txn-" + std::to_string(i);
    CHECK_EQ(p->produce(topic, RdKafka::Topic::PARTITION_UA,
                        RdKafka::Producer::RK_MSG_COPY,
                        const_cast<char *>(value.data()), value.size(), NULL,
                        0, 0, NULL),
             RdKafka::ERR_NO_ERROR);
  }
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 3) {
    std::cerr << "usage: txn_wrapper BOOTSTRAP TOPIC" << std::endl;
    return 2;
  }
  print_c_library();
  std::string errstr;
  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  CHECK_EQ(conf->set("bootstrap.servers", argv[1], errstr),
           RdKafka::Conf::CONF_OK);
  CHECK_EQ(conf->set("transactional.id", "cpp-txn", errstr),
           RdKafka::Conf::CONF_OK);
  std::unique_ptr<RdKafka::Producer> p(
      RdKafka::Producer::create(conf.get(), errstr));
  CHECK(p != NULL);
  if (!p)
    return 1;
  const std::string topic = argv[2];

  expect_state_error(p->begin_transaction());
  RdKafka::Error *error = p->init_transactions(30000);
  CHECK(error == NULL);
  delete error;
  expect_state_error(p->commit_transaction(5000));

  CHECK(p->begin_transaction() == NULL);
  produce(p.get(), topic, 5);
  error = p->commit_transaction(30000);
  CHECK(error == NULL);
  delete error;

  CHECK(p->begin_transaction() == NULL);
  produce(p.get(), topic, 5);
  error = p->abort_transaction(30000);
  CHECK(error == NULL);
  delete error;
  CHECK_EQ(p->outq_len(), 0);

  if (failures() == 0)
    std::cout << "ok" << std::endl;
  return failures() != 0;
}
