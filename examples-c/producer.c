/*
 * producer: reads lines from stdin and produces each one as a message.
 *
 * usage: producer BROKERS TOPIC
 *
 * The canonical librdkafka produce loop: producev() never blocks; when the
 * local queue is full, serve delivery reports with poll() and try again;
 * poll(0) after every message; flush() before exit.
 */
#include <librdkafka/rdkafka.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile sig_atomic_t run = 1;

static void stop(int sig) {
        (void)sig;
        run = 0;
        fclose(stdin);
}

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)opaque;
        if (m->err)
                fprintf(stderr, "%% Delivery failed: %s\n", rd_kafka_err2str(m->err));
        else
                fprintf(stderr, "%% Delivered %zu bytes to %s [%d] at offset %lld\n", m->len,
                        rd_kafka_topic_name(m->rkt), (int)m->partition, (long long)m->offset);
}

int main(int argc, char **argv) {
        char errstr[512], line[4096];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        const char *topic;

        if (argc != 3) {
                fprintf(stderr, "usage: %s BROKERS TOPIC\n", argv[0]);
                return 1;
        }
        topic = argv[2];
        conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof(errstr)) !=
            RD_KAFKA_CONF_OK) {
                fprintf(stderr, "%s\n", errstr);
                rd_kafka_conf_destroy(conf);
                return 1;
        }
        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "%% Failed to create producer: %s\n", errstr);
                return 1;
        }
        signal(SIGINT, stop);

        while (run && fgets(line, sizeof(line), stdin)) {
                size_t len = strlen(line);
                rd_kafka_resp_err_t err;
                if (len > 0 && line[len - 1] == '\n')
                        line[--len] = '\0';
                if (len == 0) {
                        rd_kafka_poll(rk, 0);
                        continue;
                }
        retry:
                err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic),
                                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                        RD_KAFKA_V_VALUE(line, len), RD_KAFKA_V_OPAQUE(NULL),
                                        RD_KAFKA_V_END);
                if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                        /* Queue full: serve delivery reports, then retry. */
                        rd_kafka_poll(rk, 1000);
                        goto retry;
                } else if (err) {
                        fprintf(stderr, "%% Failed to produce to %s: %s\n", topic,
                                rd_kafka_err2str(err));
                }
                rd_kafka_poll(rk, 0);
        }

        fprintf(stderr, "%% Flushing final messages...\n");
        if (rd_kafka_flush(rk, 10 * 1000) != RD_KAFKA_RESP_ERR_NO_ERROR)
                fprintf(stderr, "%% %d message(s) were not delivered\n", rd_kafka_outq_len(rk));
        rd_kafka_destroy(rk);
        return 0;
}
