// Built against Debian's librdkafka++ (rdkafkacpp.h, librdkafka++.so.1) and
// run on our librdkafka.so.1 by tests/debian_binaries.rs: produces five
// messages and consumes them back in a group.
//   debian_wrapper_dropin BOOTSTRAP GROUP
#include <iostream>
#include <librdkafka/rdkafkacpp.h>
int main(int argc, char **argv) {
  if (argc != 3) return 2;
  std::string err;
  RdKafka::Conf *conf = RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL);
  conf->set("bootstrap.servers", argv[1], err);
  RdKafka::Producer *p = RdKafka::Producer::create(conf, err);
  if (!p) { std::cerr << err << "\n"; return 1; }
  std::cout << "version " << RdKafka::version_str() << "\n";
  for (int i = 0; i < 5; i++)
    p->produce("cpp", 0, RdKafka::Producer::RK_MSG_COPY, (void *)"hi", 2, NULL, 0, 0, NULL);
  std::cout << "flush " << p->flush(10000) << "\n";
  delete p;
  RdKafka::Conf *cc = RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL);
  cc->set("bootstrap.servers", argv[1], err);
  cc->set("group.id", argv[2], err);
  cc->set("auto.offset.reset", "earliest", err);
  RdKafka::KafkaConsumer *c = RdKafka::KafkaConsumer::create(cc, err);
  c->subscribe({"cpp"});
  int got = 0;
  for (int i = 0; i < 200 && got < 5; i++) {
    RdKafka::Message *m = c->consume(200);
    if (m->err() == RdKafka::ERR_NO_ERROR) got++;
    delete m;
  }
  std::cout << "consumed " << got << "\n";
  c->close(); delete c; delete conf; delete cc;
  return got == 5 ? 0 : 1;
}
