/*
 * consume_verify: reads COUNT messages produced by produce_verify (or by
 * tests/peers/produce.py --keys) through the librdkafka consumer API and
 * checks each one's key, value and headers.
 *
 * usage: consume_verify BOOTSTRAP TOPIC COUNT SIZE GROUP [key=value ...]
 *
 * With a GROUP other than "-", it subscribes as a member of that group;
 * with "-" it assigns all partitions of TOPIC from the beginning.
 * Extra key=value arguments are configuration properties; "@commit=sync",
 * "@commit=async" or "@commit=none" choose how offsets are committed at the
 * end (default: sync), "@max=N" stops after N messages, "@idle=S" stops
 * after S seconds without a message, "@dump=FILE" writes "index<TAB>partition<TAB>offset"
 * for every message read (one per line), "@stall=MS" stops polling for MS
 * milliseconds after the first message (max.poll.interval.ms tests), and
 * "@linger=MS" waits MS milliseconds (without polling) before the final
 * commit and close (used to take brokers away first), "@secs=S" stops after
 * S seconds, "@pace=US" sleeps US microseconds after each message (a slow
 * application, so that group changes happen while messages flow),
 * "@stop=FILE" stops once FILE exists and "@unpace=FILE" stops the pacing
 * once FILE exists (so a test can end a phase when what it waits for has
 * happened, rather than after a fixed time); "@after_error=MS" stops MS
 * milliseconds after the first consumer error (a test that expects an
 * error and then nothing more watches that long, not a fixed run time). The dump is flushed line by
 * line, so a test can follow the progress while the program runs.
 *
 * Prints "consumed=N unique=U duplicates=D bad=B errors=E rebalances=R
 * commits=C commit_err=NAME" and exits 0 when U == COUNT and B == 0.
 */
#define _POSIX_C_SOURCE 200809L
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int rebalances, commits, commits_lost_to_rebalance;
/* "@owners=FILE": one line per rebalance callback, "<unix ms>\t<assign|revoke>
 * \t<p,p,...>", so a test can check that no partition ever has two owners. */
static FILE *owners;

static void log_ownership(rd_kafka_resp_err_t err, const rd_kafka_topic_partition_list_t *parts) {
        struct timespec now;
        int i;
        if (!owners)
                return;
        clock_gettime(CLOCK_REALTIME, &now);
        fprintf(owners, "%lld\t%s\t", (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000,
                err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS ? "assign" : "revoke");
        for (i = 0; i < parts->cnt; i++)
                fprintf(owners, "%s%d", i ? "," : "", (int)parts->elems[i].partition);
        fprintf(owners, "\n");
        fflush(owners);
}
static rd_kafka_resp_err_t commit_err;

static long long monotonic_ms(void) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* A commit racing a rebalance fails and is retried by the next commit (the
 * messages are read again: at-least-once); any other failure is a bug. */
static void note_commit_result(rd_kafka_resp_err_t err) {
        if (err == RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS || err == RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION ||
            err == RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID)
                commits_lost_to_rebalance++;
        else if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET)
                commit_err = err;
}

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                         rd_kafka_topic_partition_list_t *parts, void *opaque) {
        (void)opaque;
        rebalances++;
        fprintf(stderr, "rebalance: %s %d partition(s) (%s)\n", rd_kafka_err2name(err), parts->cnt,
                rd_kafka_rebalance_protocol(rk));
        /* A revoke is logged before it takes effect and an assignment after,
         * so the log never understates how long a member owned a partition. */
        if (err != RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS)
                log_ownership(err, parts);
        if (!strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE")) {
                rd_kafka_error_t *e = err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS
                                          ? rd_kafka_incremental_assign(rk, parts)
                                          : rd_kafka_incremental_unassign(rk, parts);
                if (e)
                        rd_kafka_error_destroy(e);
        } else if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
                rd_kafka_assign(rk, parts);
        } else {
                rd_kafka_assign(rk, NULL);
        }
        if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS)
                log_ownership(err, parts);
}

static void offset_commit_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                             rd_kafka_topic_partition_list_t *offsets, void *opaque) {
        (void)rk;
        (void)offsets;
        (void)opaque;
        commits++;
        note_commit_result(err);
}

static int check(const rd_kafka_message_t *m, size_t size, int *index_out) {
        char buf[64];
        int index;
        size_t j;
        rd_kafka_headers_t *hdrs;
        const void *val;
        size_t vsize;
        if (!m->key || m->key_len >= sizeof(buf))
                return 0;
        memcpy(buf, m->key, m->key_len);
        buf[m->key_len] = '\0';
        if (sscanf(buf, "key-%d", &index) != 1)
                return 0;
        *index_out = index;
        if (m->len != size)
                return 0;
        for (j = 0; j < size; j++)
                if (((const unsigned char *)m->payload)[j] != (unsigned char)((index * 31 + (int)j * 7) % 251))
                        return 0;
        /* produce_verify adds headers; produce.py without --headers does not. */
        if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
                snprintf(buf, sizeof(buf), "%d", index);
                if (rd_kafka_header_get_last(hdrs, "idx", &val, &vsize) != RD_KAFKA_RESP_ERR_NO_ERROR ||
                    vsize != strlen(buf) || memcmp(val, buf, vsize) != 0)
                        return 0;
        }
        return 1;
}

int main(int argc, char **argv) {
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        int count, i, arg, consumed = 0, unique = 0, duplicates = 0, bad = 0, errors = 0;
        int max = -1, idle = -1, stall_ms = 0, linger_ms = 0, max_poll_exceeded = 0, secs = -1, pace_us = 0;
        time_t started = time(NULL);
        FILE *dump = NULL;
        time_t last_msg;
        size_t size;
        unsigned char *seen;
        const char *commit_mode = "sync";
        const char *group;
        time_t deadline;
        const char *stop_file = NULL, *unpace_file = NULL;
        long long after_error_ms = -1, stop_at_ms = -1;

        if (argc < 6) {
                fprintf(stderr, "usage: %s BOOTSTRAP TOPIC COUNT SIZE GROUP [k=v ...]\n", argv[0]);
                return 2;
        }
        count = atoi(argv[3]);
        size = (size_t)atoi(argv[4]);
        group = argv[5];
        seen = calloc((size_t)count + 1, 1);
        conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], NULL, 0);
        if (strcmp(group, "-"))
                rd_kafka_conf_set(conf, "group.id", group, NULL, 0);
        rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", NULL, 0);
        for (arg = 6; arg < argc; arg++) {
                char *eq = strchr(argv[arg], '=');
                if (!eq)
                        return 2;
                *eq = '\0';
                if (!strcmp(argv[arg], "@commit")) {
                        commit_mode = eq + 1;
                        continue;
                }
                if (!strcmp(argv[arg], "@max")) {
                        max = atoi(eq + 1);
                        continue;
                }
                if (!strcmp(argv[arg], "@secs")) {
                        secs = atoi(eq + 1);
                        continue;
                }
                if (!strcmp(argv[arg], "@pace")) {
                        pace_us = atoi(eq + 1);
                        continue;
                }
                if (!strcmp(argv[arg], "@stop")) {
                        stop_file = eq + 1;
                        continue;
                }
                if (!strcmp(argv[arg], "@after_error")) {
                        after_error_ms = atoll(eq + 1);
                        continue;
                }
                if (!strcmp(argv[arg], "@unpace")) {
                        unpace_file = eq + 1;
                        continue;
                }
                if (!strcmp(argv[arg], "@idle")) {
                        idle = atoi(eq + 1);
                        continue;
                }
                if (!strcmp(argv[arg], "@stall")) {
                        stall_ms = atoi(eq + 1);
                        continue;
                }
                if (!strcmp(argv[arg], "@linger")) {
                        linger_ms = atoi(eq + 1);
                        continue;
                }
                if (!strcmp(argv[arg], "@owners")) {
                        owners = fopen(eq + 1, "w");
                        continue;
                }
                if (!strcmp(argv[arg], "@dump")) {
                        dump = fopen(eq + 1, "w");
                        continue;
                }
                if (rd_kafka_conf_set(conf, argv[arg], eq + 1, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                        fprintf(stderr, "%s\n", errstr);
                        return 2;
                }
        }
        rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
        rd_kafka_conf_set_offset_commit_cb(conf, offset_commit_cb);
        rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                return 2;
        }
        rd_kafka_poll_set_consumer(rk);
        if (strcmp(group, "-")) {
                rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
                rd_kafka_topic_partition_list_add(topics, argv[2], RD_KAFKA_PARTITION_UA);
                if (rd_kafka_subscribe(rk, topics)) {
                        fprintf(stderr, "subscribe failed\n");
                        return 2;
                }
                rd_kafka_topic_partition_list_destroy(topics);
        } else {
                const rd_kafka_metadata_t *md;
                rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, argv[2], NULL);
                rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(8);
                rd_kafka_resp_err_t merr = rd_kafka_metadata(rk, 0, rkt, &md, 10000);
                if (merr || md->topic_cnt != 1) {
                        fprintf(stderr, "metadata failed: %s\n", rd_kafka_err2name(merr));
                        return 2;
                }
                for (i = 0; i < md->topics[0].partition_cnt; i++)
                        rd_kafka_topic_partition_list_add(parts, argv[2], md->topics[0].partitions[i].id)->offset =
                            RD_KAFKA_OFFSET_BEGINNING;
                rd_kafka_metadata_destroy(md);
                rd_kafka_topic_destroy(rkt);
                rd_kafka_assign(rk, parts);
                rd_kafka_topic_partition_list_destroy(parts);
        }

        deadline = time(NULL) + 120;
        last_msg = time(NULL);
        while (unique < count && time(NULL) < deadline && (max < 0 || consumed < max) &&
               (secs < 0 || time(NULL) - started < secs)) {
                int index = -1;
                rd_kafka_message_t *m;
                if (stop_file && access(stop_file, F_OK) == 0)
                        break;
                if (stop_at_ms >= 0 && monotonic_ms() >= stop_at_ms)
                        break;
                if (pace_us > 0 && unpace_file && access(unpace_file, F_OK) == 0)
                        pace_us = 0;
                m = rd_kafka_consumer_poll(rk, 500);
                if (!m) {
                        if (idle >= 0 && unique > 0 && time(NULL) - last_msg >= idle)
                                break;
                        continue;
                }
                if (m->err == RD_KAFKA_RESP_ERR__MAX_POLL_EXCEEDED)
                        max_poll_exceeded++;
                if (m->err) {
                        if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                                errors++;
                                if (after_error_ms >= 0 && stop_at_ms < 0)
                                        stop_at_ms = monotonic_ms() + after_error_ms;
                                fprintf(stderr, "consumer error: %s: %s\n", rd_kafka_err2name(m->err),
                                        rd_kafka_message_errstr(m));
                        }
                        rd_kafka_message_destroy(m);
                        continue;
                }
                consumed++;
                last_msg = time(NULL);
                if (pace_us > 0) {
                        struct timespec ts = {pace_us / 1000000, (pace_us % 1000000) * 1000L};
                        nanosleep(&ts, NULL);
                }
                if (consumed == 1 && stall_ms > 0) {
                        struct timespec ts = {stall_ms / 1000, (stall_ms % 1000) * 1000000L};
                        nanosleep(&ts, NULL);
                }
                if (!check(m, size, &index) || index < 0 || index >= count) {
                        if (bad++ < 3)
                                fprintf(stderr, "bad message at %s [%d] offset %lld\n", rd_kafka_topic_name(m->rkt),
                                        (int)m->partition, (long long)m->offset);
                } else if (seen[index]++) {
                        duplicates++;
                } else {
                        unique++;
                        if (dump) {
                                fprintf(dump, "%d\t%d\t%lld\n", index, (int)m->partition, (long long)m->offset);
                                fflush(dump);
                        }
                }
                rd_kafka_message_destroy(m);
        }
        if (dump)
                fclose(dump);
        if (linger_ms > 0) {
                struct timespec ts = {linger_ms / 1000, (linger_ms % 1000) * 1000000L};
                nanosleep(&ts, NULL);
        }
        if (!strcmp(commit_mode, "sync")) {
                note_commit_result(rd_kafka_commit(rk, NULL, 0));
        } else if (!strcmp(commit_mode, "async")) {
                rd_kafka_commit(rk, NULL, 1);
        }
        {
                time_t close_start = time(NULL);
                rd_kafka_consumer_close(rk);
                printf("consumed=%d unique=%d duplicates=%d bad=%d errors=%d rebalances=%d commits=%d "
                       "commit_err=%s commits_lost_to_rebalance=%d max_poll_exceeded=%d close_secs=%ld\n",
                       consumed, unique, duplicates, bad, errors, rebalances, commits,
                       rd_kafka_err2name(commit_err), commits_lost_to_rebalance, max_poll_exceeded,
                       (long)(time(NULL) - close_start));
        }
        rd_kafka_destroy(rk);
        free(seen);
        return (unique == count || (max >= 0 && consumed >= max) || idle >= 0 || secs >= 0 || stop_file) && !bad && !commit_err ? 0 : 1;
}
