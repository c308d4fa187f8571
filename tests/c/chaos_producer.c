/*
 * chaos_producer: the producer side of tests/chaos.rs. Produces keyed
 * messages through the librdkafka C API and stops at fixed points so the
 * test can hit the cluster with its next scripted fault while messages are
 * in flight; records every delivery report.
 *
 * usage: chaos_producer BOOTSTRAP TOPIC MESSAGES EVERY TAIL REPORTS [K=V...]
 *
 *   MESSAGES  messages produced under faults, keys "key-<index>"
 *   EVERY     after every EVERY messages: print "SYNC fault-<n>" and wait
 *             for a line on stdin (the test injects fault n meanwhile)
 *   TAIL      then: flush, "SYNC last" (the test injects its last fault),
 *             TAIL more messages, flush
 *   REPORTS   file written at the end: one line per produced message,
 *             "<index> <partition> <offset> <error name> <report count>"
 *   K=V       client properties (topic properties go through the default
 *             topic configuration, as librdkafka allows)
 *
 * stdout: "version <rd_kafka_version_str()>" first (the test checks which
 * library it runs), "SYNC ..." lines, then one "summary" line of
 * key=value fields and "destroyed".
 */
#define _POSIX_C_SOURCE 200809L

#include <librdkafka/rdkafka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code_counts.h"

#define VALUE_SIZE 32

struct report {
        int count;
        rd_kafka_resp_err_t err;
        int32_t partition;
        int64_t offset;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct report *reports;
static int total; /* messages the program will produce at most */
static int delivered, failed, extra_reports, stray_reports, throttles, throttle_max_ms;
static struct code_count dr_errors[MAX_CODES], cb_errors[MAX_CODES];

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        struct report *r = (struct report *)m->_private;
        (void)rk;
        (void)opaque;
        pthread_mutex_lock(&lock);
        if (!r || r < reports || r >= reports + total) {
                stray_reports++;
        } else if (r->count++ > 0) {
                extra_reports++;
        } else {
                r->err       = m->err;
                r->partition = m->partition;
                r->offset    = m->offset;
                if (m->err) {
                        failed++;
                        count_code(dr_errors, m->err);
                } else {
                        delivered++;
                }
        }
        pthread_mutex_unlock(&lock);
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        (void)rk;
        (void)opaque;
        pthread_mutex_lock(&lock);
        count_code(cb_errors, err);
        pthread_mutex_unlock(&lock);
        fprintf(stderr, "error_cb: %s: %s\n", rd_kafka_err2name((rd_kafka_resp_err_t)err),
                reason ? reason : "(null)");
}

static void throttle_cb(rd_kafka_t *rk, const char *broker, int32_t id, int ms, void *opaque) {
        (void)rk;
        (void)broker;
        (void)id;
        (void)opaque;
        pthread_mutex_lock(&lock);
        throttles++;
        if (ms > throttle_max_ms)
                throttle_max_ms = ms;
        pthread_mutex_unlock(&lock);
}

static void sync_point(const char *name, int n) {
        char line[64];
        printf("SYNC %s%d\n", name, n);
        fflush(stdout);
        if (!fgets(line, sizeof(line), stdin)) {
                fprintf(stderr, "stdin closed at sync %s%d\n", name, n);
                exit(2);
        }
}

/* Produces message `index`; waits for queue room on __QUEUE_FULL. Returns
 * 0 once accepted, the error when the library refuses it for good. */
static rd_kafka_resp_err_t produce_one(rd_kafka_t *rk, rd_kafka_topic_t *rkt, int index) {
        char key[32], value[VALUE_SIZE];
        rd_kafka_resp_err_t err;
        int j;
        snprintf(key, sizeof(key), "key-%d", index);
        for (j = 0; j < VALUE_SIZE; j++)
                value[j] = (char)((index * 31 + j * 7) % 251);
        for (;;) {
                err = rd_kafka_producev(rk, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_KEY(key, strlen(key)),
                                        RD_KAFKA_V_VALUE(value, sizeof(value)),
                                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                        RD_KAFKA_V_OPAQUE(&reports[index]), RD_KAFKA_V_END);
                if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
                        return err;
                rd_kafka_poll(rk, 10);
        }
}

int main(int argc, char **argv) {
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_topic_t *rkt;
        int messages, every, tail, produced = 0, refused = 0, i, k, fault = 0;
        rd_kafka_resp_err_t refusal = RD_KAFKA_RESP_ERR_NO_ERROR, fatal;
        FILE *out;

        if (argc < 7) {
                fprintf(stderr, "usage: %s BOOTSTRAP TOPIC MESSAGES EVERY TAIL REPORTS [K=V...]\n",
                        argv[0]);
                return 2;
        }
        messages = atoi(argv[3]);
        every    = atoi(argv[4]);
        tail     = atoi(argv[5]);
        if (messages <= 0 || every <= 0 || tail < 0) {
                fprintf(stderr, "bad counts\n");
                return 2;
        }
        total   = messages + tail;
        reports = calloc((size_t)total, sizeof(*reports));
        printf("version %s\n", rd_kafka_version_str());

        conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof(errstr)))
                goto bad_conf;
        for (k = 7; k < argc; k++) {
                char *eq = strchr(argv[k], '=');
                if (!eq) {
                        fprintf(stderr, "bad property %s\n", argv[k]);
                        return 2;
                }
                *eq = '\0';
                if (rd_kafka_conf_set(conf, argv[k], eq + 1, errstr, sizeof(errstr)))
                        goto bad_conf;
        }
        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        rd_kafka_conf_set_error_cb(conf, error_cb);
        rd_kafka_conf_set_throttle_cb(conf, throttle_cb);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new failed: %s\n", errstr);
                return 1;
        }
        rkt = rd_kafka_topic_new(rk, argv[2], NULL);

        for (i = 0; i < total; i++) {
                rd_kafka_resp_err_t err;
                if (i < messages && i > 0 && i % every == 0)
                        sync_point("fault-", fault++);
                if (i == messages) {
                        rd_kafka_flush(rk, 120000);
                        sync_point("last", 0);
                }
                err = produce_one(rk, rkt, i);
                if (err) {
                        /* After a fatal error every produce call is refused:
                         * nothing later can be sent. */
                        refused   = total - i;
                        refusal   = err;
                        break;
                }
                produced++;
                if (i % 100 == 0)
                        rd_kafka_poll(rk, 0);
        }
        rd_kafka_flush(rk, 120000);
        fatal = rd_kafka_fatal_error(rk, errstr, sizeof(errstr));

        out = fopen(argv[6], "w");
        if (!out) {
                perror(argv[6]);
                return 1;
        }
        pthread_mutex_lock(&lock);
        for (i = 0; i < produced; i++)
                fprintf(out, "%d %d %lld %s %d\n", i, (int)reports[i].partition,
                        (long long)reports[i].offset, rd_kafka_err2name(reports[i].err),
                        reports[i].count);
        fclose(out);
        printf("summary produced=%d refused=%d refusal=%s outq=%d delivered=%d failed=%d "
               "extra_reports=%d stray_reports=%d throttles=%d throttle_max_ms=%d faults=%d "
               "fatal=%s",
               produced, refused, rd_kafka_err2name(refusal), rd_kafka_outq_len(rk), delivered,
               failed, extra_reports, stray_reports, throttles, throttle_max_ms, fault,
               rd_kafka_err2name(fatal));
        print_codes("dr_errors", dr_errors);
        print_codes("cb_errors", cb_errors);
        printf("\n");
        pthread_mutex_unlock(&lock);
        fflush(stdout);

        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
        free(reports);
        printf("destroyed\n");
        return 0;

bad_conf:
        fprintf(stderr, "%s\n", errstr);
        return 2;
}
