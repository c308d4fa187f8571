/*
 * kafka_consumer: a consumer-group member with the C++ API.
 *
 * usage: kafka_consumer BROKERS GROUP TOPIC [MAX_MESSAGES]
 *
 * Subscribes to TOPIC, prints every message value on stdout (one line each)
 * and stops after MAX_MESSAGES messages (default: until SIGINT/SIGTERM).
 * Offsets are committed with commitAsync() every 10 messages and with
 * commitSync() before close(); commit results arrive in an OffsetCommitCb.
 * Partition assignments go through a RebalanceCb, errors and logs through
 * an EventCb; all of them print to stderr.
 */
#include <librdkafka/rdkafkacpp.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace {

volatile std::sig_atomic_t run = 1;

void stop(int) { run = 0; }

void print_partitions(const char *what,
                      const std::vector<RdKafka::TopicPartition *> &parts) {
  std::cerr << "% " << what << ":";
  for (size_t i = 0; i < parts.size(); i++)
    std::cerr << " " << parts[i]->topic() << "[" << parts[i]->partition()
              << "]";
  std::cerr << std::endl;
}

class Rebalance : public RdKafka::RebalanceCb {
 public:
  void rebalance_cb(RdKafka::KafkaConsumer *consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition *> &partitions) {
    bool cooperative = consumer->rebalance_protocol() == "COOPERATIVE";
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      print_partitions("Assigned", partitions);
      if (cooperative) {
        delete consumer->incremental_assign(partitions);
      } else {
        consumer->assign(partitions);
      }
    } else {
      print_partitions("Revoked", partitions);
      if (cooperative) {
        delete consumer->incremental_unassign(partitions);
      } else {
        consumer->unassign();
      }
    }
  }
};

class Events : public RdKafka::EventCb {
 public:
  void event_cb(RdKafka::Event &event) {
    switch (event.type()) {
      case RdKafka::Event::EVENT_ERROR:
        std::cerr << "% Error" << (event.fatal() ? " (fatal)" : "") << ": "
                  << RdKafka::err2str(event.err()) << ": " << event.str()
                  << std::endl;
        if (event.fatal())
          run = 0;
        break;
      case RdKafka::Event::EVENT_LOG:
        std::cerr << "% Log " << event.severity() << " " << event.fac() << ": "
                  << event.str() << std::endl;
        break;
      default:
        break;
    }
  }
};

class Commits : public RdKafka::OffsetCommitCb {
 public:
  void offset_commit_cb(RdKafka::ErrorCode err,
                        std::vector<RdKafka::TopicPartition *> &offsets) {
    std::cerr << "% Committed " << offsets.size()
              << " partition(s): " << RdKafka::err2str(err) << std::endl;
  }
};

}  // namespace

int main(int argc, char **argv) {
  if (argc != 4 && argc != 5) {
    std::cerr << "usage: " << argv[0] << " BROKERS GROUP TOPIC [MAX_MESSAGES]"
              << std::endl;
    return 1;
  }
  long max_messages = argc == 5 ? std::atol(argv[4]) : -1;
  std::string errstr;
  Rebalance rebalance;
  Events events;
  Commits commits;

  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  if (conf->set("bootstrap.servers", argv[1], errstr) != RdKafka::Conf::CONF_OK ||
      conf->set("group.id", argv[2], errstr) != RdKafka::Conf::CONF_OK ||
      conf->set("auto.offset.reset", "earliest", errstr) !=
          RdKafka::Conf::CONF_OK ||
      conf->set("enable.auto.commit", "false", errstr) !=
          RdKafka::Conf::CONF_OK ||
      conf->set("rebalance_cb", &rebalance, errstr) != RdKafka::Conf::CONF_OK ||
      conf->set("event_cb", &events, errstr) != RdKafka::Conf::CONF_OK ||
      conf->set("offset_commit_cb", &commits, errstr) !=
          RdKafka::Conf::CONF_OK) {
    std::cerr << errstr << std::endl;
    return 1;
  }
  std::signal(SIGINT, stop);
  std::signal(SIGTERM, stop);

  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), errstr));
  if (!consumer) {
    std::cerr << "Failed to create consumer: " << errstr << std::endl;
    return 1;
  }
  std::vector<std::string> topics(1, argv[3]);
  RdKafka::ErrorCode err = consumer->subscribe(topics);
  if (err != RdKafka::ERR_NO_ERROR) {
    std::cerr << "Failed to subscribe: " << RdKafka::err2str(err) << std::endl;
    return 1;
  }

  long count = 0;
  while (run && (max_messages < 0 || count < max_messages)) {
    std::unique_ptr<RdKafka::Message> msg(consumer->consume(1000));
    switch (msg->err()) {
      case RdKafka::ERR_NO_ERROR:
        std::cout << std::string(static_cast<const char *>(msg->payload()),
                                 msg->len())
                  << std::endl;
        if (++count % 10 == 0)
          consumer->commitAsync();
        break;
      case RdKafka::ERR__TIMED_OUT:
      case RdKafka::ERR__PARTITION_EOF:
        break;
      default:
        std::cerr << "% Consume error: " << msg->errstr() << std::endl;
        break;
    }
  }

  err = consumer->commitSync();
  if (err != RdKafka::ERR_NO_ERROR && err != RdKafka::ERR__NO_OFFSET)
    std::cerr << "% Final commit failed: " << RdKafka::err2str(err)
              << std::endl;
  consumer->close();
  std::cerr << "% Consumed " << count << " message(s)" << std::endl;
  return 0;
}
