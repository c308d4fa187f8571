/*
 * idempotent_producer: the idempotent producer as librdkafka documents it.
 *
 * With enable.idempotence=true the library numbers every batch, retries
 * on its own after transient errors (leader changes, timeouts, lost
 * connections) and the broker drops the duplicates those retries could
 * create, so each message is written once and in order within its
 * partition. What is left to the application:
 *
 *  - an error callback: errors it sees are informational (the library
 *    keeps retrying), except RD_KAFKA_RESP_ERR__FATAL, after which the
 *    producer cannot go on: rd_kafka_fatal_error() says what happened,
 *    and the application stops producing and destroys the handle;
 *  - a delivery report callback: every message gets exactly one report,
 *    success or failure.
 *
 * usage: idempotent_producer BOOTSTRAP TOPIC COUNT [FATAL_AFTER]
 *   BOOTSTRAP  "host:port,..." or "mock" for the embedded mock cluster
 *   COUNT      messages to produce, keyed "key-<i>", valued "message <i>"
 *   FATAL_AFTER  if given, rd_kafka_test_fatal_error() is called after
 *              that many messages, to show (and test) the fatal path
 *
 * Prints "version <rd_kafka_version_str()>", one "FATAL <code name>:
 * <reason>" line if a fatal error was raised, and at the end
 * "produced=P delivered=D failed=F". Exit status: 0 when every message
 * was delivered, 1 when some failed, 2 after a fatal error.
 */
#include <librdkafka/rdkafka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t fatal_raised;
static long delivered, failed;

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        char fatal_reason[512];
        rd_kafka_resp_err_t cause;
        (void)opaque;
        if (err != RD_KAFKA_RESP_ERR__FATAL) {
                /* Informational: the producer recovers by itself. */
                fprintf(stderr, "error (not fatal): %s: %s\n",
                        rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
                return;
        }
        cause = rd_kafka_fatal_error(rk, fatal_reason, sizeof(fatal_reason));
        printf("FATAL %s: %s\n", rd_kafka_err2name(cause), fatal_reason);
        fatal_raised = 1;
}

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *msg, void *opaque) {
        (void)rk;
        (void)opaque;
        if (msg->err)
                failed++;
        else
                delivered++;
}

static int set(rd_kafka_conf_t *conf, const char *name, const char *value) {
        char errstr[512];
        if (rd_kafka_conf_set(conf, name, value, errstr, sizeof(errstr)) == RD_KAFKA_CONF_OK)
                return 0;
        fprintf(stderr, "%s=%s: %s\n", name, value, errstr);
        return -1;
}

/* Produces one message, serving delivery reports while the queue is full. */
static rd_kafka_resp_err_t produce_one(rd_kafka_t *rk, const char *topic, long i) {
        char key[32], value[64];
        int key_len   = snprintf(key, sizeof(key), "key-%ld", i);
        int value_len = snprintf(value, sizeof(value), "message %ld", i);
        for (;;) {
                rd_kafka_resp_err_t err = rd_kafka_producev(
                    rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key, (size_t)key_len),
                    RD_KAFKA_V_VALUE(value, (size_t)value_len),
                    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
                if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || fatal_raised)
                        return err;
                rd_kafka_poll(rk, 100);
        }
}

int main(int argc, char **argv) {
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        long count, fatal_after = -1, produced = 0;

        if (argc < 4 || argc > 5) {
                fprintf(stderr, "usage: %s BOOTSTRAP TOPIC COUNT [FATAL_AFTER]\n", argv[0]);
                return 64;
        }
        count = strtol(argv[3], NULL, 10);
        if (argc == 5)
                fatal_after = strtol(argv[4], NULL, 10);
        printf("version %s\n", rd_kafka_version_str());

        conf = rd_kafka_conf_new();
        if ((strcmp(argv[1], "mock") == 0 ? set(conf, "test.mock.num.brokers", "3")
                                          : set(conf, "bootstrap.servers", argv[1])) ||
            set(conf, "enable.idempotence", "true")) {
                rd_kafka_conf_destroy(conf);
                return 64;
        }
        rd_kafka_conf_set_error_cb(conf, error_cb);
        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                return 64;
        }

        while (produced < count && !fatal_raised) {
                rd_kafka_resp_err_t err;
                if (produced == fatal_after)
                        rd_kafka_test_fatal_error(rk, RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
                                                  "raised by the example to show the fatal path");
                err = produce_one(rk, argv[2], produced);
                if (err == RD_KAFKA_RESP_ERR__FATAL || fatal_raised)
                        break; /* refused: the producer is done */
                if (err) {
                        fprintf(stderr, "produce: %s\n", rd_kafka_err2str(err));
                        break;
                }
                produced++;
                rd_kafka_poll(rk, 0);
        }

        /* After a fatal error librdkafka fails what is still queued; flush
         * then only serves those reports. */
        rd_kafka_flush(rk, 30 * 1000);
        rd_kafka_poll(rk, 0);
        printf("produced=%ld delivered=%ld failed=%ld\n", produced, delivered, failed);
        rd_kafka_destroy(rk);
        if (fatal_raised)
                return 2;
        return failed || delivered != produced ? 1 : 0;
}
