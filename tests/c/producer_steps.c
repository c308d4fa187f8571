/*
 * producer_steps: runs a script of producer actions given on the command
 * line, through the librdkafka C API only, so the same script can run
 * against ferrokafka and against librdkafka and the test compares what both
 * print.
 *
 * usage: producer_steps BOOTSTRAP TOPIC STEP...
 *
 * Steps that shape the client (all before the first other step):
 *   conf:K=V          a client property (K=V may contain ':')
 *   tconf:K=V         a topic property of the topic handle
 *   dr:msg|legacy|none delivery reports via dr_msg_cb (default), dr_cb, none
 *   partitioner:custom the topic uses partition_cb below
 *   partitioner:fatal  partition_cb, which also raises a fatal error
 *                     (rd_kafka_test_fatal_error) on its second call: for a
 *                     message produced before the partitions were known,
 *                     that is while the library routes the waiting ones
 * Steps that act (the handle and topic are created before the first one):
 *   size:S            value size of later messages (default 100)
 *   rate:US           pause between later messages, microseconds
 *   produce:N[:P]     producev N messages (partition P, default UA); on
 *                     __QUEUE_FULL polls and retries
 *   try:N[:P]         producev N messages, stop at the first refusal
 *   block:N           producev N messages with RD_KAFKA_MSG_F_BLOCK
 *   legacy:N[:P]      rd_kafka_produce() N messages, stop at the first refusal
 *   free:N[:P]        like legacy, with RD_KAFKA_MSG_F_FREE on a malloc'ed copy
 *                     of the value (the library frees it; we do on refusal)
 *   batch:N[:P]       one rd_kafka_produce_batch() of N messages; P=-2 gives
 *                     each message its own partition (index % 4, the last one
 *                     partition 1000) with RD_KAFKA_MSG_F_PARTITION
 *   poller:on|off     a second thread serves rd_kafka_poll() meanwhile
 *   poll:MS           serve callbacks for MS milliseconds
 *   flush:MS          rd_kafka_flush
 *   purge:FLAGS       rd_kafka_purge; FLAGS of q (queue), i (in-flight),
 *                     n (non-blocking)
 *   outq              print rd_kafka_outq_len
 *   metadata:MS       rd_kafka_metadata() for the topic, timeout MS: prints
 *                     the result and the broker and topic counts
 *   wait_error:NAME:MS poll until error_cb saw NAME, at most MS
 *   wait_dr:N:MS      poll until N delivery reports arrived, at most MS
 *   sync:NAME         print "SYNC NAME", wait for a line on stdin
 *   fatal:NAME:REASON rd_kafka_test_fatal_error(NAME, REASON); prints its result
 *   fatal_error       prints rd_kafka_fatal_error()'s code and errstr
 *   dump              print every message's delivery report at the end
 *
 * Every acting step prints one line of results. At the end the program
 * prints "summary ..." (counts, delivery errors by name, error_cb codes by
 * name), destroys the handle and prints "destroyed". Exit status 0 unless
 * the script itself is wrong or the API misbehaved in a way a line cannot
 * describe (a report for a message never produced).
 */
#define _POSIX_C_SOURCE 200809L

#include <librdkafka/rdkafka.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "code_counts.h"

#define MAX_MSGS 200000
#define PARTITIONER_OPAQUE ((void *)0x5eed)

struct record {
        int produced; /* accepted by a produce call */
        int reports;
        rd_kafka_resp_err_t err;
        int32_t partition;
        int64_t offset;
        int32_t chosen; /* by partition_cb, -1 if not called */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct record *records;
static int next_index;
static size_t value_size = 100;
static long rate_us;
static int reports_total, delivered, failed, duplicates, bad_reports, stray_reports;
static struct code_count dr_errors[MAX_CODES], cb_errors[MAX_CODES];
static int log_lines, debug_lines, throttles, partitioner_calls, partitioner_bad;
/* partitioner:fatal: the handle partition_cb raises the fatal error on. */
static rd_kafka_t *partitioner_fatal_rk;
static int dump;
static char *value_buf;

static volatile int poller_stop;
static pthread_t poller_thread;
static int poller_running;

static int seen_code(const struct code_count *table, rd_kafka_resp_err_t code) {
        int i, seen = 0;
        pthread_mutex_lock(&lock);
        for (i = 0; i < MAX_CODES && table[i].count; i++)
                if (table[i].code == (int)code)
                        seen = 1;
        pthread_mutex_unlock(&lock);
        return seen;
}

static long now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void pause_us(long us) {
        struct timespec ts;
        if (us <= 0)
                return;
        ts.tv_sec  = us / 1000000L;
        ts.tv_nsec = (us % 1000000L) * 1000L;
        nanosleep(&ts, NULL);
}

static void fill_value(int index) {
        size_t j;
        for (j = 0; j < value_size; j++)
                value_buf[j] = (char)((index * 31 + (int)j * 7) % 251);
}

/* Common bookkeeping for both delivery report callbacks. */
static void on_report(struct record *rec, rd_kafka_resp_err_t err, int32_t partition,
                      int64_t offset, int payload_ok) {
        pthread_mutex_lock(&lock);
        reports_total++;
        if (!rec || rec < records || rec >= records + MAX_MSGS || !rec->produced) {
                stray_reports++;
        } else if (++rec->reports > 1) {
                duplicates++;
        } else {
                rec->err       = err;
                rec->partition = partition;
                rec->offset    = offset;
                if (err) {
                        failed++;
                        count_code(dr_errors, err);
                } else if (!payload_ok || offset < 0 ||
                           (rec->chosen >= 0 && rec->chosen != partition)) {
                        bad_reports++;
                        if (rec->chosen >= 0 && rec->chosen != partition)
                                partitioner_bad++;
                } else {
                        delivered++;
                }
        }
        pthread_mutex_unlock(&lock);
}

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        struct record *rec = (struct record *)m->_private;
        int payload_ok;
        char key[32];
        (void)rk;
        (void)opaque;
        payload_ok = 0;
        if (rec && rec >= records && rec < records + MAX_MSGS) {
                snprintf(key, sizeof(key), "key-%d", (int)(rec - records));
                payload_ok = m->len == value_size && m->key_len == strlen(key) &&
                             memcmp(m->key, key, m->key_len) == 0 &&
                             (m->err || rd_kafka_message_status(m) == RD_KAFKA_MSG_STATUS_PERSISTED);
        }
        on_report(rec, m->err, m->partition, m->offset, payload_ok);
}

static void dr_cb(rd_kafka_t *rk, void *payload, size_t len, rd_kafka_resp_err_t err,
                  void *opaque, void *msg_opaque) {
        (void)rk;
        (void)opaque;
        /* The legacy callback has no partition or offset: 0 stands in. */
        on_report((struct record *)msg_opaque, err, 0, 0, payload && len == value_size);
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
        (void)rk;
        (void)opaque;
        pthread_mutex_lock(&lock);
        count_code(cb_errors, err);
        pthread_mutex_unlock(&lock);
        fprintf(stderr, "error_cb: %s: %s\n", rd_kafka_err2name((rd_kafka_resp_err_t)err),
                reason ? reason : "(null)");
        if (err == RD_KAFKA_RESP_ERR__FATAL)
                printf("fatal_cb reason=%s\n", reason ? reason : "(null)");
}

/* The error code named NAME (librdkafka's name, without the prefix), or -1. */
static int code_by_name(const char *name, size_t len) {
        const struct rd_kafka_err_desc *descs;
        size_t cnt, k;
        rd_kafka_get_err_descs(&descs, &cnt);
        for (k = 0; k < cnt; k++)
                if (descs[k].name && strlen(descs[k].name) == len &&
                    !strncmp(descs[k].name, name, len))
                        return descs[k].code;
        return -1;
}

static void log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
        (void)rk;
        pthread_mutex_lock(&lock);
        log_lines++;
        if (level == 7)
                debug_lines++;
        pthread_mutex_unlock(&lock);
        fprintf(stderr, "log %d %s: %s\n", level, fac ? fac : "(null)", buf ? buf : "(null)");
}

static void throttle_cb(rd_kafka_t *rk, const char *broker, int32_t id, int ms, void *opaque) {
        (void)rk;
        (void)opaque;
        pthread_mutex_lock(&lock);
        throttles++;
        pthread_mutex_unlock(&lock);
        fprintf(stderr, "throttle_cb: %s (%d) %d ms\n", broker ? broker : "(null)", (int)id, ms);
}

/* Sends message i to partition i % partition_cnt, or to the first
 * available partition when that one has no leader. */
static int32_t partition_cb(const rd_kafka_topic_t *rkt, const void *key, size_t keylen,
                            int32_t partition_cnt, void *rkt_opaque, void *msg_opaque) {
        struct record *rec = (struct record *)msg_opaque;
        int32_t p, i;
        (void)key;
        (void)keylen;
        int call;
        pthread_mutex_lock(&lock);
        call = ++partitioner_calls;
        if (rkt_opaque != PARTITIONER_OPAQUE || !rec || partition_cnt <= 0)
                partitioner_bad++;
        pthread_mutex_unlock(&lock);
        if (call == 2 && partitioner_fatal_rk)
                rd_kafka_test_fatal_error(partitioner_fatal_rk,
                                          RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
                                          "raised by the partitioner");
        if (!rec || partition_cnt <= 0)
                return RD_KAFKA_PARTITION_UA;
        p = (int32_t)((rec - records) % partition_cnt);
        for (i = 0; i < partition_cnt && !rd_kafka_topic_partition_available(rkt, p); i++)
                p = (p + 1) % partition_cnt;
        rec->chosen = p;
        return p;
}

static void *poller_main(void *arg) {
        rd_kafka_t *rk = (rd_kafka_t *)arg;
        while (!poller_stop)
                rd_kafka_poll(rk, 50);
        return NULL;
}

static const char *errno_name(int e) {
        switch (e) {
        case ENOBUFS: return "ENOBUFS";
        case EMSGSIZE: return "EMSGSIZE";
        case ESRCH: return "ESRCH";
        case ENOENT: return "ENOENT";
        case EINVAL: return "EINVAL";
        case ECANCELED: return "ECANCELED";
        case 0: return "0";
        default: return "other";
        }
}

/* Takes the next message index; its record is marked produced only once a
 * produce call accepted it. */
static int take_index(void) {
        int i = next_index;
        if (i >= MAX_MSGS) {
                fprintf(stderr, "too many messages (max %d)\n", MAX_MSGS);
                exit(2);
        }
        records[i].chosen = -1;
        fill_value(i);
        return i;
}

static rd_kafka_resp_err_t producev_one(rd_kafka_t *rk, rd_kafka_topic_t *rkt, int32_t partition,
                                        int flags) {
        char key[32];
        int i = take_index();
        rd_kafka_resp_err_t err;
        snprintf(key, sizeof(key), "key-%d", i);
        /* Marked before the call: the report may come from another thread
         * before producev returns. */
        records[i].produced = 1;
        err = rd_kafka_producev(rk, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_PARTITION(partition),
                                RD_KAFKA_V_KEY(key, strlen(key)),
                                RD_KAFKA_V_VALUE(value_buf, value_size),
                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY | flags),
                                RD_KAFKA_V_OPAQUE(&records[i]), RD_KAFKA_V_END);
        if (err)
                records[i].produced = 0;
        else
                next_index++;
        pause_us(rate_us);
        return err;
}

static void parse_count_part(const char *arg, int *n, int32_t *partition) {
        char *end;
        *n         = (int)strtol(arg, &end, 10);
        *partition = RD_KAFKA_PARTITION_UA;
        if (*end == ':')
                *partition = (int32_t)strtol(end + 1, &end, 10);
        if (*end || *n < 0) {
                fprintf(stderr, "bad count/partition: %s\n", arg);
                exit(2);
        }
}

static void step_batch(rd_kafka_topic_t *rkt, int n, int32_t partition) {
        rd_kafka_message_t *msgs = calloc((size_t)n, sizeof(*msgs));
        char(*keys)[32]          = calloc((size_t)n, sizeof(*keys));
        int flags = RD_KAFKA_MSG_F_COPY, queued, j, errs = 0, first = -1;
        rd_kafka_resp_err_t first_err = RD_KAFKA_RESP_ERR_NO_ERROR;
        int base = next_index;
        if (partition == -2)
                flags |= RD_KAFKA_MSG_F_PARTITION;
        for (j = 0; j < n; j++) {
                int i = take_index();
                next_index++;
                records[i].produced = 1;
                snprintf(keys[j], sizeof(keys[j]), "key-%d", i);
                /* Each message needs its own payload: COPY copies at once,
                 * but the values differ per index. */
                msgs[j].payload   = malloc(value_size + 1);
                msgs[j].len       = value_size;
                memcpy(msgs[j].payload, value_buf, value_size);
                msgs[j].key       = keys[j];
                msgs[j].key_len   = strlen(keys[j]);
                msgs[j]._private  = &records[i];
                msgs[j].partition = j == n - 1 ? 1000 : j % 4;
        }
        queued = rd_kafka_produce_batch(rkt, partition == -2 ? RD_KAFKA_PARTITION_UA : partition,
                                        flags, msgs, n);
        for (j = 0; j < n; j++) {
                if (msgs[j].err) {
                        records[base + j].produced = 0;
                        if (!errs++) {
                                first     = j;
                                first_err = msgs[j].err;
                        }
                }
                free(msgs[j].payload);
        }
        printf("batch queued=%d errors=%d first_error_at=%d first_error=%s\n", queued, errs, first,
               rd_kafka_err2name(first_err));
        free(msgs);
        free(keys);
}

static void step_legacy(rd_kafka_topic_t *rkt, int n, int32_t partition) {
        int j;
        for (j = 0; j < n; j++) {
                char key[32];
                int i = take_index();
                snprintf(key, sizeof(key), "key-%d", i);
                records[i].produced = 1;
                errno               = 0;
                if (rd_kafka_produce(rkt, partition, RD_KAFKA_MSG_F_COPY, value_buf, value_size,
                                     key, strlen(key), &records[i]) == -1) {
                        int e                                = errno;
                        records[i].produced                  = 0;
                        printf("legacy accepted=%d ret=-1 errno=%s last_error=%s\n", j,
                               errno_name(e), rd_kafka_err2name(rd_kafka_last_error()));
                        return;
                }
                next_index++;
                pause_us(rate_us);
        }
        printf("legacy accepted=%d ret=0 errno=0 last_error=%s\n", n,
               rd_kafka_err2name(rd_kafka_last_error()));
}

static void step_free(rd_kafka_topic_t *rkt, int n, int32_t partition) {
        int j;
        for (j = 0; j < n; j++) {
                char key[32];
                int i          = take_index();
                void *payload = malloc(value_size + 1);
                memcpy(payload, value_buf, value_size);
                snprintf(key, sizeof(key), "key-%d", i);
                records[i].produced = 1;
                if (rd_kafka_produce(rkt, partition, RD_KAFKA_MSG_F_FREE, payload, value_size, key,
                                     strlen(key), &records[i]) == -1) {
                        records[i].produced = 0;
                        free(payload);
                        printf("free accepted=%d ret=-1 last_error=%s\n", j,
                               rd_kafka_err2name(rd_kafka_last_error()));
                        return;
                }
                next_index++;
                pause_us(rate_us);
        }
        printf("free accepted=%d ret=0\n", n);
}

static void poll_for(rd_kafka_t *rk, long ms) {
        long end = now_ms() + ms;
        do
                rd_kafka_poll(rk, 50);
        while (now_ms() < end);
}

static int reports_now(void) {
        int n;
        pthread_mutex_lock(&lock);
        n = reports_total;
        pthread_mutex_unlock(&lock);
        return n;
}

static int purge_flags(const char *s) {
        int flags = 0;
        for (; *s; s++) {
                if (*s == 'q')
                        flags |= RD_KAFKA_PURGE_F_QUEUE;
                else if (*s == 'i')
                        flags |= RD_KAFKA_PURGE_F_INFLIGHT;
                else if (*s == 'n')
                        flags |= RD_KAFKA_PURGE_F_NON_BLOCKING;
        }
        return flags;
}

static void run_step(rd_kafka_t *rk, rd_kafka_topic_t *rkt, const char *step) {
        const char *arg = strchr(step, ':');
        int n, j;
        int32_t partition;
        rd_kafka_resp_err_t err;
        arg = arg ? arg + 1 : "";

        if (!strncmp(step, "size:", 5)) {
                value_size = (size_t)atol(arg);
                free(value_buf);
                value_buf = malloc(value_size + 1);
        } else if (!strncmp(step, "rate:", 5)) {
                rate_us = atol(arg);
        } else if (!strncmp(step, "produce:", 8)) {
                int queue_full = 0, failures = 0;
                parse_count_part(arg, &n, &partition);
                for (j = 0; j < n; j++) {
                        while ((err = producev_one(rk, rkt, partition, 0)) ==
                               RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                                queue_full++;
                                rd_kafka_poll(rk, 10);
                        }
                        if (err && !failures++)
                                fprintf(stderr, "producev: %s\n", rd_kafka_err2name(err));
                        if (!poller_running)
                                rd_kafka_poll(rk, 0);
                }
                printf("produce accepted=%d refused=%d queue_full_retries=%d\n", n - failures,
                       failures, queue_full);
        } else if (!strncmp(step, "try:", 4)) {
                parse_count_part(arg, &n, &partition);
                err = RD_KAFKA_RESP_ERR_NO_ERROR;
                for (j = 0; j < n && !err; j++)
                        err = producev_one(rk, rkt, partition, 0);
                printf("try accepted=%d error=%s\n", err ? j - 1 : j, rd_kafka_err2name(err));
        } else if (!strncmp(step, "block:", 6)) {
                int failures = 0;
                parse_count_part(arg, &n, &partition);
                for (j = 0; j < n; j++)
                        if (producev_one(rk, rkt, partition, RD_KAFKA_MSG_F_BLOCK))
                                failures++;
                printf("block accepted=%d refused=%d\n", n - failures, failures);
        } else if (!strncmp(step, "free:", 5)) {
                parse_count_part(arg, &n, &partition);
                step_free(rkt, n, partition);
        } else if (!strncmp(step, "legacy:", 7)) {
                parse_count_part(arg, &n, &partition);
                step_legacy(rkt, n, partition);
        } else if (!strncmp(step, "batch:", 6)) {
                parse_count_part(arg, &n, &partition);
                step_batch(rkt, n, partition);
        } else if (!strcmp(step, "poller:on")) {
                poller_stop    = 0;
                poller_running = 1;
                pthread_create(&poller_thread, NULL, poller_main, rk);
                printf("poller on\n");
        } else if (!strcmp(step, "poller:off")) {
                poller_stop = 1;
                if (poller_running)
                        pthread_join(poller_thread, NULL);
                poller_running = 0;
                printf("poller off\n");
        } else if (!strncmp(step, "poll:", 5)) {
                poll_for(rk, atol(arg));
                printf("poll reports=%d\n", reports_now());
        } else if (!strncmp(step, "flush:", 6)) {
                err = rd_kafka_flush(rk, atoi(arg));
                printf("flush=%s outq=%d\n", rd_kafka_err2name(err), rd_kafka_outq_len(rk));
        } else if (!strncmp(step, "purge:", 6)) {
                err = rd_kafka_purge(rk, purge_flags(arg));
                printf("purge=%s\n", rd_kafka_err2name(err));
        } else if (!strcmp(step, "outq")) {
                printf("outq=%d\n", rd_kafka_outq_len(rk));
        } else if (!strncmp(step, "metadata:", 9)) {
                const struct rd_kafka_metadata *md = NULL;
                err = rd_kafka_metadata(rk, 0, rkt, &md, atoi(arg));
                printf("metadata=%s brokers=%d topics=%d\n", rd_kafka_err2name(err),
                       md ? md->broker_cnt : -1, md ? md->topic_cnt : -1);
                if (md)
                        rd_kafka_metadata_destroy(md);
        } else if (!strncmp(step, "wait_error:", 11)) {
                char name[128];
                const char *colon = strchr(arg, ':');
                long end;
                int seen = 0;
                size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
                if (len >= sizeof(name))
                        len = sizeof(name) - 1;
                memcpy(name, arg, len);
                name[len] = '\0';
                end       = now_ms() + (colon ? atol(colon + 1) : 10000);
                while (now_ms() < end) {
                        const struct rd_kafka_err_desc *descs;
                        size_t cnt, k;
                        rd_kafka_poll(rk, 100);
                        rd_kafka_get_err_descs(&descs, &cnt);
                        for (k = 0; k < cnt; k++)
                                if (descs[k].name && !strcmp(descs[k].name, name) &&
                                    seen_code(cb_errors, descs[k].code))
                                        seen = 1;
                        if (seen)
                                break;
                }
                printf("wait_error %s seen=%d\n", name, seen);
        } else if (!strncmp(step, "wait_dr:", 8)) {
                long end;
                n   = atoi(arg);
                end = now_ms() + (strchr(arg, ':') ? atol(strchr(arg, ':') + 1) : 10000);
                while (reports_now() < n && now_ms() < end)
                        rd_kafka_poll(rk, 100);
                printf("wait_dr reports=%d\n", reports_now());
        } else if (!strncmp(step, "sync:", 5)) {
                char line[256];
                printf("SYNC %s\n", arg);
                fflush(stdout);
                if (!fgets(line, sizeof(line), stdin)) {
                        fprintf(stderr, "stdin closed at sync %s\n", arg);
                        exit(2);
                }
                printf("resumed %s\n", arg);
        } else if (!strncmp(step, "fatal:", 6)) {
                const char *colon = strchr(arg, ':');
                int code = code_by_name(arg, colon ? (size_t)(colon - arg) : strlen(arg));
                if (code == -1) {
                        fprintf(stderr, "unknown error name in %s\n", step);
                        exit(2);
                }
                err = rd_kafka_test_fatal_error(rk, (rd_kafka_resp_err_t)code,
                                                colon ? colon + 1 : "");
                printf("test_fatal_error=%s\n", rd_kafka_err2name(err));
        } else if (!strcmp(step, "fatal_error")) {
                char reason[512] = "";
                err = rd_kafka_fatal_error(rk, reason, sizeof(reason));
                printf("fatal_error=%s reason=%s\n", rd_kafka_err2name(err), reason);
        } else if (!strcmp(step, "dump")) {
                dump = 1;
        } else {
                fprintf(stderr, "unknown step: %s\n", step);
                exit(2);
        }
        fflush(stdout);
}

static void set_prop(rd_kafka_conf_t *conf, rd_kafka_topic_conf_t *tconf, const char *kv) {
        char errstr[512], key[256];
        const char *eq = strchr(kv, '=');
        size_t len     = eq ? (size_t)(eq - kv) : 0;
        rd_kafka_conf_res_t res;
        if (!eq || len >= sizeof(key)) {
                fprintf(stderr, "bad property %s\n", kv);
                exit(2);
        }
        memcpy(key, kv, len);
        key[len] = '\0';
        res = conf ? rd_kafka_conf_set(conf, key, eq + 1, errstr, sizeof(errstr))
                   : rd_kafka_topic_conf_set(tconf, key, eq + 1, errstr, sizeof(errstr));
        if (res != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "%s: %s\n", key, errstr);
                exit(2);
        }
}

int main(int argc, char **argv) {
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_topic_conf_t *tconf;
        rd_kafka_t *rk;
        rd_kafka_topic_t *rkt;
        int arg, i, produced;
        const char *dr = "msg";
        int partitioner_fatal = 0;

        if (argc < 3) {
                fprintf(stderr, "usage: %s BOOTSTRAP TOPIC STEP...\n", argv[0]);
                return 2;
        }
        records   = calloc(MAX_MSGS, sizeof(*records));
        value_buf = malloc(value_size + 1);
        conf      = rd_kafka_conf_new();
        tconf     = rd_kafka_topic_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof(errstr))) {
                fprintf(stderr, "%s\n", errstr);
                return 2;
        }
        for (arg = 3; arg < argc; arg++) {
                if (!strncmp(argv[arg], "conf:", 5))
                        set_prop(conf, NULL, argv[arg] + 5);
                else if (!strncmp(argv[arg], "tconf:", 6))
                        set_prop(NULL, tconf, argv[arg] + 6);
                else if (!strncmp(argv[arg], "dr:", 3))
                        dr = argv[arg] + 3;
                else if (!strcmp(argv[arg], "partitioner:custom") ||
                         !strcmp(argv[arg], "partitioner:fatal")) {
                        rd_kafka_topic_conf_set_partitioner_cb(tconf, partition_cb);
                        rd_kafka_topic_conf_set_opaque(tconf, PARTITIONER_OPAQUE);
                        partitioner_fatal = !strcmp(argv[arg], "partitioner:fatal");
                } else
                        break;
        }
        if (!strcmp(dr, "msg"))
                rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        else if (!strcmp(dr, "legacy"))
                rd_kafka_conf_set_dr_cb(conf, dr_cb);
        rd_kafka_conf_set_error_cb(conf, error_cb);
        rd_kafka_conf_set_log_cb(conf, log_cb);
        rd_kafka_conf_set_throttle_cb(conf, throttle_cb);

        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new failed: %s\n", errstr);
                return 2;
        }
        if (partitioner_fatal)
                partitioner_fatal_rk = rk;
        rkt = rd_kafka_topic_new(rk, argv[2], tconf);
        if (!rkt) {
                fprintf(stderr, "rd_kafka_topic_new failed: %s\n",
                        rd_kafka_err2name(rd_kafka_last_error()));
                return 2;
        }
        for (; arg < argc; arg++)
                run_step(rk, rkt, argv[arg]);
        if (poller_running)
                run_step(rk, rkt, "poller:off");

        pthread_mutex_lock(&lock);
        produced = 0;
        for (i = 0; i < next_index; i++)
                produced += records[i].produced;
        printf("summary produced=%d reports=%d delivered=%d failed=%d duplicates=%d bad=%d "
               "stray=%d log_lines=%d debug_lines=%d throttles=%d partitioner_calls=%d "
               "partitioner_bad=%d",
               produced, reports_total, delivered, failed, duplicates, bad_reports,
               stray_reports, log_lines, debug_lines, throttles, partitioner_calls,
               partitioner_bad);
        print_codes("dr_errors", dr_errors);
        print_codes("cb_errors", cb_errors);
        printf("\n");
        if (dump)
                for (i = 0; i < next_index; i++)
                        if (records[i].produced)
                                printf("DR %d %d %lld %s %d\n", i, (int)records[i].partition,
                                       (long long)records[i].offset,
                                       rd_kafka_err2name(records[i].err), records[i].reports);
        pthread_mutex_unlock(&lock);
        fflush(stdout);

        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
        printf("destroyed\n");
        free(records);
        free(value_buf);
        return stray_reports ? 1 : 0;
}
