/*
 * legacy_consumer: every call of librdkafka's legacy (simple) consumer on
 * a handle that never subscribes or assigns.
 *
 * usage: legacy_consumer BOOTSTRAP TOPIC GROUP
 *
 * TOPIC must exist with 2 partitions and be empty. The program produces
 * 10 messages to partition 0 (key kI, value mI at offset I) and 5 to
 * partition 1, then checks: consume_start at BEGINNING, END, an absolute
 * offset and RD_KAFKA_OFFSET_TAIL(n); rd_kafka_consume, consume_batch,
 * consume_callback; partition EOF (enable.partition.eof) and the timeout
 * after it; stop and restart; rd_kafka_seek; consume_start_queue with
 * consume_callback_queue, consume_queue and consume_batch_queue over two
 * partitions; offset_store, the commit on stop and a restart at
 * RD_KAFKA_OFFSET_STORED in GROUP; the periodic auto commit of a started
 * partition; auto.offset.reset for an offset past
 * the end, its error delivered by rd_kafka_consume; and the errors for
 * bad arguments.
 *
 * Prints "version=..." (the library it runs on) first and "ok" last,
 * exiting 0 when every check passed; prints each failed check.
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"



#define P0_COUNT 10
#define P1_COUNT 5

static const char *bootstrap, *topic_name, *group;

/* A client of BOOTSTRAP with partition EOF and manual offset storing;
 * commit_interval (or NULL) sets auto.commit.interval.ms. */
static rd_kafka_t *new_client_with(rd_kafka_type_t type, const char *group_id, const char *reset,
                                   const char *commit_interval) {
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(conf, "enable.partition.eof", "true", errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(conf, "auto.offset.reset", reset, errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(conf, "enable.auto.offset.store", "false", errstr, sizeof(errstr)) ||
            (group_id && rd_kafka_conf_set(conf, "group.id", group_id, errstr, sizeof(errstr))) ||
            (commit_interval &&
             rd_kafka_conf_set(conf, "auto.commit.interval.ms", commit_interval, errstr, sizeof(errstr)))) {
                fprintf(stderr, "conf: %s\n", errstr);
                exit(2);
        }
        rd_kafka_t *rk = rd_kafka_new(type, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                exit(2);
        }
        return rk;
}

static rd_kafka_t *new_client(rd_kafka_type_t type, const char *group_id) {
        return new_client_with(type, group_id, "earliest", NULL);
}

static void produce(rd_kafka_t *producer, rd_kafka_topic_t *rkt, int partition, int first, int count) {
        for (int i = first; i < first + count; i++) {
                char key[16], value[16];
                snprintf(key, sizeof(key), "k%d", i);
                snprintf(value, sizeof(value), "m%d", i);
                if (rd_kafka_produce(rkt, partition, RD_KAFKA_MSG_F_COPY, value, strlen(value), key,
                                     strlen(key), NULL) == -1) {
                        fprintf(stderr, "produce: %s\n", rd_kafka_err2str(rd_kafka_last_error()));
                        exit(2);
                }
        }
        CHECK(rd_kafka_flush(producer, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR);
}

/* The message's value is "m<offset>" and its key "k<offset>". */
static int well_formed(const rd_kafka_message_t *m) {
        char value[16], key[16];
        snprintf(value, sizeof(value), "m%lld", (long long)m->offset);
        snprintf(key, sizeof(key), "k%lld", (long long)m->offset);
        return m->len == strlen(value) && !memcmp(m->payload, value, m->len) && m->key_len == strlen(key) &&
               !memcmp(m->key, key, m->key_len);
}

/* Next message or error of a started partition within 10 s (NULL if none). */
static rd_kafka_message_t *next(rd_kafka_topic_t *rkt, int partition) {
        time_t until = time(NULL) + 10;
        while (time(NULL) < until) {
                rd_kafka_message_t *m = rd_kafka_consume(rkt, partition, 200);
                if (m)
                        return m;
                CHECK(rd_kafka_last_error() == RD_KAFKA_RESP_ERR__TIMED_OUT);
        }
        return NULL;
}

/* Reads messages of a started partition up to its EOF; returns the first
 * offset read (-1 if none) and stores how many were read and where the EOF
 * was reported. Each message must be well formed and follow the last. */
static int64_t read_to_eof(rd_kafka_topic_t *rkt, int partition, int *count, int64_t *eof_at) {
        int64_t first = -1, expected = -1;
        *count = 0;
        *eof_at = -1;
        rd_kafka_message_t *m;
        while ((m = next(rkt, partition))) {
                if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                        CHECK(m->partition == partition);
                        CHECK(m->rkt == rkt);
                        *eof_at = m->offset;
                        rd_kafka_message_destroy(m);
                        return first;
                }
                CHECK(m->err == RD_KAFKA_RESP_ERR_NO_ERROR);
                CHECK(m->partition == partition);
                CHECK(well_formed(m));
                if (first < 0)
                        first = m->offset;
                else
                        CHECK(m->offset == expected);
                expected = m->offset + 1;
                (*count)++;
                rd_kafka_message_destroy(m);
        }
        CHECK(!"no partition EOF within 10 s");
        return first;
}

struct seen {
        int messages, eofs[2];
        int64_t next[2];
};

static void count_cb(rd_kafka_message_t *m, void *opaque) {
        struct seen *seen = opaque;
        if (m->partition < 0 || m->partition > 1) {
                CHECK(!"message of an unexpected partition");
                return;
        }
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                seen->eofs[m->partition]++;
                return;
        }
        CHECK(m->err == RD_KAFKA_RESP_ERR_NO_ERROR);
        CHECK(well_formed(m));
        if (seen->next[m->partition] >= 0)
                CHECK(m->offset == seen->next[m->partition]);
        seen->next[m->partition] = m->offset + 1;
        seen->messages++;
}

static void basic_calls(rd_kafka_t *producer, rd_kafka_topic_t *prkt, rd_kafka_topic_t *rkt) {
        int count;
        int64_t eof_at;

        /* BEGINNING: everything, then EOF at the end, then a timeout. */
        CHECK(rd_kafka_consume_start(rkt, 0, RD_KAFKA_OFFSET_BEGINNING) == 0);
        CHECK(read_to_eof(rkt, 0, &count, &eof_at) == 0);
        CHECK(count == P0_COUNT);
        CHECK(eof_at == P0_COUNT);
        CHECK(rd_kafka_consume(rkt, 0, 300) == NULL);
        CHECK(rd_kafka_last_error() == RD_KAFKA_RESP_ERR__TIMED_OUT);
        CHECK(rd_kafka_consume_stop(rkt, 0) == 0);

        /* OFFSET_TAIL(3): the last three, read as a batch. */
        CHECK(rd_kafka_consume_start(rkt, 0, RD_KAFKA_OFFSET_TAIL(3)) == 0);
        rd_kafka_message_t *batch[8];
        int got = 0, eof = 0;
        time_t until = time(NULL) + 10;
        while (!eof && time(NULL) < until) {
                ssize_t n = rd_kafka_consume_batch(rkt, 0, 500, batch, 8);
                CHECK(n >= 0);
                for (ssize_t i = 0; i < n; i++) {
                        if (batch[i]->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                                eof = 1;
                        } else {
                                CHECK(batch[i]->offset == P0_COUNT - 3 + got);
                                CHECK(well_formed(batch[i]));
                                got++;
                        }
                        rd_kafka_message_destroy(batch[i]);
                }
        }
        CHECK(eof);
        CHECK(got == 3);
        CHECK(rd_kafka_consume_stop(rkt, 0) == 0);

        /* END: only EOF, until a new message arrives. */
        CHECK(rd_kafka_consume_start(rkt, 0, RD_KAFKA_OFFSET_END) == 0);
        CHECK(read_to_eof(rkt, 0, &count, &eof_at) == -1);
        CHECK(count == 0);
        CHECK(eof_at == P0_COUNT);
        produce(producer, prkt, 0, P0_COUNT, 1);
        rd_kafka_message_t *m = next(rkt, 0);
        CHECK(m && !m->err && m->offset == P0_COUNT && well_formed(m));
        if (m)
                rd_kafka_message_destroy(m);

        /* Seek back on the started partition. */
        CHECK(rd_kafka_seek(rkt, 0, 5, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR);
        m = next(rkt, 0);
        CHECK(m && !m->err && m->offset == 5);
        if (m)
                rd_kafka_message_destroy(m);
        CHECK(rd_kafka_consume_stop(rkt, 0) == 0);

        /* An absolute offset, read through consume_callback. */
        CHECK(rd_kafka_consume_start(rkt, 0, 2) == 0);
        struct seen seen = {0, {0, 0}, {-1, -1}};
        until = time(NULL) + 10;
        while (!seen.eofs[0] && time(NULL) < until)
                CHECK(rd_kafka_consume_callback(rkt, 0, 200, count_cb, &seen) >= 0);
        CHECK(seen.messages == P0_COUNT + 1 - 2);
        CHECK(seen.next[0] == P0_COUNT + 1);
        CHECK(rd_kafka_consume_stop(rkt, 0) == 0);
}

static void queue_calls(rd_kafka_t *rk, rd_kafka_topic_t *rkt) {
        /* Both partitions into one queue, served by consume_callback_queue. */
        rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
        CHECK(rd_kafka_consume_start_queue(rkt, 0, RD_KAFKA_OFFSET_BEGINNING, q) == 0);
        CHECK(rd_kafka_consume_start_queue(rkt, 1, RD_KAFKA_OFFSET_BEGINNING, q) == 0);
        struct seen seen = {0, {0, 0}, {-1, -1}};
        time_t until = time(NULL) + 10;
        while (!(seen.eofs[0] && seen.eofs[1]) && time(NULL) < until)
                CHECK(rd_kafka_consume_callback_queue(q, 200, count_cb, &seen) >= 0);
        CHECK(seen.messages == P0_COUNT + 1 + P1_COUNT);
        CHECK(seen.next[0] == P0_COUNT + 1);
        CHECK(seen.next[1] == P1_COUNT);
        CHECK(rd_kafka_consume_stop(rkt, 0) == 0);

        /* Restart partition 1 at offset 1: consume_queue, then a batch. */
        CHECK(rd_kafka_consume_start_queue(rkt, 1, 1, q) == 0);
        rd_kafka_message_t *m = NULL;
        until = time(NULL) + 10;
        while (!m && time(NULL) < until)
                m = rd_kafka_consume_queue(q, 200);
        CHECK(m && !m->err && m->partition == 1 && m->offset == 1 && well_formed(m));
        if (m)
                rd_kafka_message_destroy(m);
        int got = 0, eof = 0;
        until = time(NULL) + 10;
        while (!eof && time(NULL) < until) {
                rd_kafka_message_t *batch[8];
                ssize_t n = rd_kafka_consume_batch_queue(q, 200, batch, 8);
                CHECK(n >= 0);
                for (ssize_t i = 0; i < n; i++) {
                        if (batch[i]->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                                eof = 1;
                        } else {
                                CHECK(batch[i]->offset == 2 + got);
                                got++;
                        }
                        rd_kafka_message_destroy(batch[i]);
                }
        }
        CHECK(eof);
        CHECK(got == P1_COUNT - 2);
        CHECK(rd_kafka_consume_stop(rkt, 1) == 0);
        /* A stopped (or never started) partition the metadata knows reads
         * as empty: the call times out. */
        CHECK(rd_kafka_consume(rkt, 1, 100) == NULL);
        CHECK(rd_kafka_last_error() == RD_KAFKA_RESP_ERR__TIMED_OUT);
        rd_kafka_queue_destroy(q);
}

/* offset_store, the commit when the partition stops, and a restart at the
 * stored offset on a second handle of the same group. */
static void stored_offsets(void) {
        rd_kafka_t *rk = new_client(RD_KAFKA_CONSUMER, group);
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic_name, NULL);
        CHECK(rd_kafka_consume_start(rkt, 1, RD_KAFKA_OFFSET_STORED) == 0);
        rd_kafka_message_t *m = next(rkt, 1);
        CHECK(m && !m->err && m->offset == 0);
        if (m)
                rd_kafka_message_destroy(m);
        CHECK(rd_kafka_offset_store(rkt, 1, 2) == RD_KAFKA_RESP_ERR_NO_ERROR);
        CHECK(rd_kafka_consume_stop(rkt, 1) == 0);
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);

        rk = new_client(RD_KAFKA_CONSUMER, group);
        rkt = rd_kafka_topic_new(rk, topic_name, NULL);
        CHECK(rd_kafka_consume_start(rkt, 1, RD_KAFKA_OFFSET_STORED) == 0);
        m = next(rkt, 1);
        CHECK(m && !m->err && m->offset == 3);
        if (m)
                rd_kafka_message_destroy(m);
        CHECK(rd_kafka_consume_stop(rkt, 1) == 0);
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
}

/* The group's committed offset of partition 1 (-1 when there is none). */
static int64_t committed_offset(rd_kafka_t *rk) {
        rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(parts, topic_name, 1);
        int64_t offset = -1;
        if (rd_kafka_committed(rk, parts, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR)
                offset = parts->elems[0].offset;
        rd_kafka_topic_partition_list_destroy(parts);
        return offset;
}

/* The periodic auto commit commits a started partition's stored offset
 * while it keeps running (librdkafka times it by the topic's
 * auto.commit.interval.ms, ferrokafka by the global one: both are set). */
static void auto_commit(void) {
        char errstr[512];
        rd_kafka_t *rk = new_client_with(RD_KAFKA_CONSUMER, group, "earliest", "100");
        rd_kafka_topic_conf_t *tconf = rd_kafka_topic_conf_new();
        CHECK(rd_kafka_topic_conf_set(tconf, "auto.commit.interval.ms", "100", errstr, sizeof(errstr)) ==
              RD_KAFKA_CONF_OK);
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic_name, tconf);
        CHECK(rd_kafka_consume_start(rkt, 1, RD_KAFKA_OFFSET_STORED) == 0);
        rd_kafka_message_t *m = next(rkt, 1);
        CHECK(m && !m->err && m->offset == 3);
        if (m)
                rd_kafka_message_destroy(m);
        CHECK(rd_kafka_offset_store(rkt, 1, 3) == RD_KAFKA_RESP_ERR_NO_ERROR);
        int64_t committed = -1;
        time_t until = time(NULL) + 15;
        while (committed != 4 && time(NULL) < until) {
                rd_kafka_message_t *extra = rd_kafka_consume(rkt, 1, 100);
                if (extra)
                        rd_kafka_message_destroy(extra);
                committed = committed_offset(rk);
        }
        CHECK(committed == 4);
        CHECK(rd_kafka_consume_stop(rkt, 1) == 0);
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
}

/* An offset past the end: auto.offset.reset moves it, or, set to "error",
 * makes the partition report _AUTO_OFFSET_RESET through rd_kafka_consume. */
static void offset_reset(rd_kafka_topic_t *rkt) {
        CHECK(rd_kafka_consume_start(rkt, 1, 1000) == 0);
        rd_kafka_message_t *m = next(rkt, 1);
        CHECK(m && !m->err && m->offset == 0);
        if (m)
                rd_kafka_message_destroy(m);
        CHECK(rd_kafka_consume_stop(rkt, 1) == 0);

        rd_kafka_t *rk = new_client_with(RD_KAFKA_CONSUMER, NULL, "error", NULL);
        rd_kafka_topic_t *strict = rd_kafka_topic_new(rk, topic_name, NULL);
        CHECK(rd_kafka_consume_start(strict, 1, 1000) == 0);
        m = next(strict, 1);
        CHECK(m && m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET && m->partition == 1);
        if (m)
                rd_kafka_message_destroy(m);
        CHECK(rd_kafka_consume_stop(strict, 1) == 0);
        rd_kafka_topic_destroy(strict);
        rd_kafka_destroy(rk);
}

static void bad_arguments(rd_kafka_topic_t *rkt) {
        CHECK(rd_kafka_consume_start(rkt, -1, 0) == -1);
        CHECK(rd_kafka_last_error() == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION);
        CHECK(rd_kafka_consume_start(rkt, 0, -7) == -1);
        CHECK(rd_kafka_last_error() == RD_KAFKA_RESP_ERR__INVALID_ARG);
        CHECK(rd_kafka_consume_start(rkt, 0, RD_KAFKA_OFFSET_INVALID) == -1);
        CHECK(rd_kafka_last_error() == RD_KAFKA_RESP_ERR__INVALID_ARG);
        /* Stored offsets live with a group: this handle has none. */
        CHECK(rd_kafka_consume_start(rkt, 0, RD_KAFKA_OFFSET_STORED) == -1);
        CHECK(rd_kafka_last_error() == RD_KAFKA_RESP_ERR__INVALID_ARG);
        CHECK(rd_kafka_consume(rkt, 99, 0) == NULL);
        CHECK(rd_kafka_last_error() == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION);
        CHECK(rd_kafka_consume_stop(rkt, 99) == -1);
        CHECK(rd_kafka_last_error() == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION);
        CHECK(rd_kafka_consume_callback(rkt, 99, 0, count_cb, NULL) == -1);
        CHECK(rd_kafka_last_error() == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION);
}

int main(int argc, char **argv) {
        if (argc != 4) {
                fprintf(stderr, "usage: %s BOOTSTRAP TOPIC GROUP\n", argv[0]);
                return 2;
        }
        bootstrap = argv[1];
        topic_name = argv[2];
        group = argv[3];
        printf("version=%s\n", rd_kafka_version_str());

        rd_kafka_t *producer = new_client(RD_KAFKA_PRODUCER, NULL);
        rd_kafka_topic_t *prkt = rd_kafka_topic_new(producer, topic_name, NULL);
        produce(producer, prkt, 0, 0, P0_COUNT);
        produce(producer, prkt, 1, 0, P1_COUNT);

        rd_kafka_t *rk = new_client(RD_KAFKA_CONSUMER, NULL);
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic_name, NULL);
        bad_arguments(rkt);
        basic_calls(producer, prkt, rkt);
        queue_calls(rk, rkt);
        offset_reset(rkt);
        /* Destroying the handle with a partition still started, messages
         * prefetched, stops it. */
        CHECK(rd_kafka_consume_start(rkt, 0, RD_KAFKA_OFFSET_BEGINNING) == 0);
        rd_kafka_message_t *m = next(rkt, 0);
        CHECK(m && !m->err && m->offset == 0);
        if (m)
                rd_kafka_message_destroy(m);
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
        stored_offsets();
        auto_commit();

        rd_kafka_topic_destroy(prkt);
        rd_kafka_destroy(producer);
        return report();
}
