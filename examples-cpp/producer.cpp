/*
 * producer: reads lines from stdin and produces each one as a message,
 * with the C++ API.
 *
 * usage: producer BROKERS TOPIC
 *
 * Delivery reports arrive in a DeliveryReportCb during poll()/flush(); at
 * exit the program prints "delivered N failed M" on stdout and fails if any
 * message was not delivered.
 */
#include <librdkafka/rdkafkacpp.h>

#include <csignal>
#include <iostream>
#include <memory>
#include <string>

namespace {

volatile std::sig_atomic_t run = 1;

void stop(int) { run = 0; }

class ReportCb : public RdKafka::DeliveryReportCb {
 public:
  ReportCb() : delivered(0), failed(0) {}
  void dr_cb(RdKafka::Message &message) {
    if (message.err() != RdKafka::ERR_NO_ERROR) {
      failed++;
      std::cerr << "% Delivery failed: " << message.errstr() << std::endl;
      return;
    }
    delivered++;
    std::cerr << "% Delivered " << message.len() << " bytes to "
              << message.topic_name() << " [" << message.partition()
              << "] at offset " << message.offset() << std::endl;
  }
  long delivered;
  long failed;
};

}  // namespace

int main(int argc, char **argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " BROKERS TOPIC" << std::endl;
    return 1;
  }
  std::string topic = argv[2];
  std::string errstr;
  ReportCb reports;

  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  if (conf->set("bootstrap.servers", argv[1], errstr) != RdKafka::Conf::CONF_OK ||
      conf->set("dr_cb", &reports, errstr) != RdKafka::Conf::CONF_OK) {
    std::cerr << errstr << std::endl;
    return 1;
  }
  std::signal(SIGINT, stop);
  std::signal(SIGTERM, stop);

  std::unique_ptr<RdKafka::Producer> producer(
      RdKafka::Producer::create(conf.get(), errstr));
  if (!producer) {
    std::cerr << "Failed to create producer: " << errstr << std::endl;
    return 1;
  }

  std::string line;
  while (run && std::getline(std::cin, line)) {
    for (;;) {
      RdKafka::ErrorCode err = producer->produce(
          topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
          const_cast<char *>(line.data()), line.size(), NULL, 0, 0, NULL);
      if (err == RdKafka::ERR__QUEUE_FULL) {
        /* Make room: serving reports frees queue space. */
        producer->poll(1000);
        continue;
      }
      if (err != RdKafka::ERR_NO_ERROR)
        std::cerr << "% Failed to produce: " << RdKafka::err2str(err)
                  << std::endl;
      break;
    }
    producer->poll(0);
  }

  std::cerr << "% Flushing " << producer->outq_len() << " message(s)"
            << std::endl;
  producer->flush(30 * 1000);
  int left = producer->outq_len();
  if (left > 0)
    std::cerr << "% " << left << " message(s) were not delivered" << std::endl;
  std::cout << "delivered " << reports.delivered << " failed "
            << reports.failed + left << std::endl;
  return reports.failed == 0 && left == 0 ? 0 : 1;
}
