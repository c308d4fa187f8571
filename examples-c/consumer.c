/*
 * consumer: joins a consumer group, subscribes to the topics given on the
 * command line (names or ^regex patterns) and prints every message until
 * interrupted (Ctrl-C), then commits and closes.
 *
 * usage: consumer BROKERS GROUP TOPIC [TOPIC ...]
 *
 * BROKERS may be "mock" to run against the embedded mock cluster.
 */
#include <librdkafka/rdkafka.h>
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile sig_atomic_t run = 1;

static void stop(int sig) {
        (void)sig;
        run = 0;
}

static void print_bytes(const char *label, const void *data, size_t len) {
        size_t i;
        const unsigned char *p = data;
        printf("%s", label);
        for (i = 0; i < len && i < 64; i++)
                putchar(isprint(p[i]) ? p[i] : '.');
        if (len > 64)
                printf("...(%zu bytes)", len);
        printf("\n");
}

int main(int argc, char **argv) {
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_topic_partition_list_t *topics;
        rd_kafka_resp_err_t err;
        int i;

        if (argc < 4) {
                fprintf(stderr, "usage: %s BROKERS GROUP TOPIC [TOPIC ...]\n", argv[0]);
                return 1;
        }
        conf = rd_kafka_conf_new();
        if ((!strcmp(argv[1], "mock")
                 ? rd_kafka_conf_set(conf, "test.mock.num.brokers", "3", errstr, sizeof(errstr))
                 : rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof(errstr))) !=
                RD_KAFKA_CONF_OK ||
            rd_kafka_conf_set(conf, "group.id", argv[2], errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK ||
            rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", errstr, sizeof(errstr)) !=
                RD_KAFKA_CONF_OK) {
                fprintf(stderr, "%s\n", errstr);
                rd_kafka_conf_destroy(conf);
                return 1;
        }
        rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "%% Failed to create consumer: %s\n", errstr);
                return 1;
        }
        /* Serve errors, logs and rebalances from rd_kafka_consumer_poll(). */
        rd_kafka_poll_set_consumer(rk);

        topics = rd_kafka_topic_partition_list_new(argc - 3);
        for (i = 3; i < argc; i++)
                rd_kafka_topic_partition_list_add(topics, argv[i], RD_KAFKA_PARTITION_UA);
        err = rd_kafka_subscribe(rk, topics);
        rd_kafka_topic_partition_list_destroy(topics);
        if (err) {
                fprintf(stderr, "%% Subscribe failed: %s\n", rd_kafka_err2str(err));
                rd_kafka_destroy(rk);
                return 1;
        }
        signal(SIGINT, stop);
        signal(SIGTERM, stop);

        while (run) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
                if (!m)
                        continue;
                if (m->err) {
                        fprintf(stderr, "%% Consumer error: %s\n", rd_kafka_message_errstr(m));
                } else {
                        printf("Message on %s [%d] at offset %lld:\n", rd_kafka_topic_name(m->rkt),
                               (int)m->partition, (long long)m->offset);
                        if (m->key)
                                print_bytes(" Key: ", m->key, m->key_len);
                        if (m->payload)
                                print_bytes(" Value: ", m->payload, m->len);
                        fflush(stdout);
                }
                rd_kafka_message_destroy(m);
        }

        fprintf(stderr, "%% Closing consumer\n");
        rd_kafka_consumer_close(rk);
        rd_kafka_destroy(rk);
        return 0;
}
