/*
 * logging: librdkafka's stock loggers and changing a live handle's logger
 * and level.
 *
 * usage: logging
 *
 * Prints "version=..." and "name=NAME" (a producer's rd_kafka_name), then
 * writes one line with rd_kafka_log_print (level 6, facility TEST, on
 * stderr, which the driving test checks) and one with rd_kafka_log_syslog.
 * Then, on producers left with an undelivered message (nothing listens at
 * the bootstrap address), whose destroy logs a TERMINATE warning:
 * rd_kafka_set_logger routes it to a callback; rd_kafka_set_log_level(3)
 * drops it. Prints "ok" when those checks passed.
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static int terminate_lines;


static void count_terminate(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
        (void)rk;
        (void)buf;
        if (!strcmp(fac, "TERMINATE")) {
                CHECK(level == 4);
                terminate_lines++;
        }
}

/* A producer with one message it can never deliver. */
static rd_kafka_t *stuck_producer(void) {
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "bootstrap.servers", "127.0.0.1:1", errstr, sizeof(errstr));
        rd_kafka_conf_set_log_cb(conf, rd_kafka_log_print);
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk)
                return NULL;
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, "logging", NULL);
        CHECK(rd_kafka_produce(rkt, 0, RD_KAFKA_MSG_F_COPY, "x", 1, NULL, 0, NULL) == 0);
        rd_kafka_topic_destroy(rkt);
        return rk;
}

/* rd_kafka_set_logger is deprecated, and what this program tests. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

int main(void) {
        printf("version=%s\n", rd_kafka_version_str());
        rd_kafka_t *rk = stuck_producer();
        CHECK(rk != NULL);
        if (!rk)
                return 1;
        printf("name=%s\n", rd_kafka_name(rk));
        fflush(stdout);
        rd_kafka_log_print(rk, 6, "TEST", "hello from log_print");
        rd_kafka_log_print(NULL, 7, "NOHANDLE", "no handle");
        rd_kafka_log_syslog(rk, 7, "TEST", "hello from log_syslog (debug level)");

        rd_kafka_set_logger(rk, count_terminate);
        rd_kafka_destroy(rk);
        CHECK(terminate_lines == 1);

        rk = stuck_producer();
        CHECK(rk != NULL);
        if (rk) {
                rd_kafka_set_logger(rk, count_terminate);
                rd_kafka_set_log_level(rk, 3);
                rd_kafka_destroy(rk);
        }
        CHECK(terminate_lines == 1);

        return report();
}
