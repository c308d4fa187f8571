/* Uses the C and C++ APIs of an installed ferrokafka: a producer whose only
 * message times out (nothing listens on 127.0.0.1:1) and whose delivery
 * report says so. Prints the shared object that provides the C API and
 * "outside ok". */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>

#include <dlfcn.h>

#include <iostream>
#include <memory>

namespace {
struct Dr : RdKafka::DeliveryReportCb {
  RdKafka::ErrorCode err = RdKafka::ERR_NO_ERROR;
  int reports = 0;
  void dr_cb(RdKafka::Message &m) {
    err = m.err();
    reports++;
  }
};
}  // namespace

int main() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void *>(&rd_kafka_new), &info) != 0 &&
      info.dli_fname != NULL)
    std::cout << "c-library: " << info.dli_fname << std::endl;
  if (RdKafka::version() != rd_kafka_version())
    return 1;
  std::string errstr;
  Dr dr;
  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  if (conf->set("bootstrap.servers", "127.0.0.1:1", errstr) !=
          RdKafka::Conf::CONF_OK ||
      conf->set("message.timeout.ms", "100", errstr) != RdKafka::Conf::CONF_OK ||
      conf->set("dr_cb", &dr, errstr) != RdKafka::Conf::CONF_OK) {
    std::cerr << errstr << std::endl;
    return 1;
  }
  std::unique_ptr<RdKafka::Producer> p(
      RdKafka::Producer::create(conf.get(), errstr));
  if (!p) {
    std::cerr << errstr << std::endl;
    return 1;
  }
  char value[] = "v";
  if (p->produce("outside", 0, RdKafka::Producer::RK_MSG_COPY, value, 1, NULL,
                 0, 0, NULL) != RdKafka::ERR_NO_ERROR)
    return 1;
  p->flush(10000);
  if (dr.reports != 1 || dr.err != RdKafka::ERR__MSG_TIMED_OUT) {
    std::cerr << "unexpected delivery report: " << dr.reports << " "
              << RdKafka::err2str(dr.err) << std::endl;
    return 1;
  }
  std::cout << "outside ok " << RdKafka::version_str() << std::endl;
  return 0;
}
