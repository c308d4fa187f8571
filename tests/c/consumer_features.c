/*
 * consumer_features: checks single-partition consumer features against a
 * topic whose partition 0 holds COUNT messages written by produce_verify
 * (message i at offset i, timestamp BASE_TS + i).
 *
 * usage: consumer_features BOOTSTRAP TOPIC COUNT GROUP
 *
 * Covers query/get watermarks, offsets_for_times, assign at an offset,
 * position, seek (backwards and forwards), pause/resume, offsets_store with
 * manual commit, committed, offset_commit_cb, and commit_message. Prints
 * "ok" and exits 0 when every check passed; prints each failed check.
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

#define BASE_TS 1700000000000LL

static int commit_cbs;
static rd_kafka_resp_err_t last_commit_err = RD_KAFKA_RESP_ERR__FAIL;


static void offset_commit_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *offsets,
                             void *opaque) {
        (void)rk;
        (void)offsets;
        (void)opaque;
        commit_cbs++;
        last_commit_err = err;
}

/* Next real message within 10 s, or NULL. */
static rd_kafka_message_t *next(rd_kafka_t *rk) {
        time_t until = time(NULL) + 10;
        while (time(NULL) < until) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 200);
                if (!m)
                        continue;
                if (!m->err)
                        return m;
                fprintf(stderr, "consumer error: %s\n", rd_kafka_message_errstr(m));
                rd_kafka_message_destroy(m);
        }
        return NULL;
}

static int64_t next_offset(rd_kafka_t *rk) {
        rd_kafka_message_t *m = next(rk);
        int64_t off = m ? m->offset : -1;
        if (m)
                rd_kafka_message_destroy(m);
        return off;
}

int main(int argc, char **argv) {
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_topic_partition_list_t *parts;
        const char *topic;
        int64_t count, low = -1, high = -1;
        int i;
        rd_kafka_message_t *m;

        if (argc != 5) {
                fprintf(stderr, "usage: %s BOOTSTRAP TOPIC COUNT GROUP\n", argv[0]);
                return 2;
        }
        topic = argv[2];
        count = atoll(argv[3]);
        conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(conf, "group.id", argv[4], errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(conf, "enable.auto.offset.store", "false", errstr, sizeof(errstr))) {
                fprintf(stderr, "%s\n", errstr);
                return 2;
        }
        rd_kafka_conf_set_offset_commit_cb(conf, offset_commit_cb);
        rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "%s\n", errstr);
                return 2;
        }

        /* Watermarks from the broker. */
        CHECK(rd_kafka_query_watermark_offsets(rk, topic, 0, &low, &high, 10000) == 0);
        CHECK(low == 0);
        CHECK(high == count);

        /* offsets_for_times: the first message at or after a timestamp. */
        parts = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(parts, topic, 0)->offset = BASE_TS + 50;
        CHECK(rd_kafka_offsets_for_times(rk, parts, 10000) == 0);
        CHECK(parts->elems[0].err == 0);
        CHECK(parts->elems[0].offset == 50);
        if (parts->elems[0].offset != 50)
                fprintf(stderr, "offsets_for_times gave %lld (%s)\n", (long long)parts->elems[0].offset,
                        rd_kafka_err2name(parts->elems[0].err));
        rd_kafka_topic_partition_list_destroy(parts);

        /* Assign at offset 10: the first message is offset 10. */
        parts = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(parts, topic, 0)->offset = 10;
        CHECK(rd_kafka_assign(rk, parts) == 0);
        rd_kafka_topic_partition_list_destroy(parts);
        CHECK(next_offset(rk) == 10);
        CHECK(next_offset(rk) == 11);

        /* Position is the next offset to consume. */
        parts = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(parts, topic, 0);
        CHECK(rd_kafka_position(rk, parts) == 0);
        CHECK(parts->elems[0].offset == 12);
        rd_kafka_topic_partition_list_destroy(parts);

        /* Cached watermarks are known once fetching started. */
        CHECK(rd_kafka_get_watermark_offsets(rk, topic, 0, &low, &high) == 0);
        CHECK(high == count);

        /* Seek back and forward. */
        parts = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(parts, topic, 0)->offset = 3;
        rd_kafka_error_t *serr = rd_kafka_seek_partitions(rk, parts, 5000);
        CHECK(serr == NULL);
        CHECK(parts->elems[0].err == 0);
        rd_kafka_topic_partition_list_destroy(parts);
        CHECK(next_offset(rk) == 3);
        parts = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(parts, topic, 0)->offset = count - 5;
        serr = rd_kafka_seek_partitions(rk, parts, 5000);
        CHECK(serr == NULL);
        rd_kafka_topic_partition_list_destroy(parts);
        CHECK(next_offset(rk) == count - 5);

        /* Pause: nothing arrives; resume: the next offset follows. */
        parts = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(parts, topic, 0)->offset = 20;
        rd_kafka_seek_partitions(rk, parts, 5000);
        CHECK(rd_kafka_pause_partitions(rk, parts) == 0);
        for (i = 0; i < 5; i++) {
                m = rd_kafka_consumer_poll(rk, 200);
                CHECK(m == NULL || m->err);
                if (m)
                        rd_kafka_message_destroy(m);
        }
        CHECK(rd_kafka_resume_partitions(rk, parts) == 0);
        rd_kafka_topic_partition_list_destroy(parts);
        m = next(rk);
        CHECK(m != NULL && m->offset == 20);

        /* Manual offset store + commit + committed + commit callback. */
        if (m) {
                parts = rd_kafka_topic_partition_list_new(1);
                rd_kafka_topic_partition_list_add(parts, topic, 0)->offset = m->offset + 1;
                CHECK(rd_kafka_offsets_store(rk, parts) == 0);
                rd_kafka_topic_partition_list_destroy(parts);
                CHECK(rd_kafka_commit(rk, NULL, 0) == 0);
                parts = rd_kafka_topic_partition_list_new(1);
                rd_kafka_topic_partition_list_add(parts, topic, 0);
                CHECK(rd_kafka_committed(rk, parts, 10000) == 0);
                CHECK(parts->elems[0].offset == 21);
                rd_kafka_topic_partition_list_destroy(parts);
                /* commit_message commits the message's offset + 1. */
                CHECK(rd_kafka_commit_message(rk, m, 0) == 0);
                rd_kafka_message_destroy(m);
        }
        /* Callbacks are served from poll. */
        for (i = 0; i < 50 && commit_cbs < 2; i++) {
                m = rd_kafka_consumer_poll(rk, 100);
                if (m)
                        rd_kafka_message_destroy(m);
        }
        CHECK(commit_cbs == 2);
        if (commit_cbs != 2)
                fprintf(stderr, "commit callbacks: %d, last error %s\n", commit_cbs, rd_kafka_err2name(last_commit_err));
        CHECK(last_commit_err == 0);

        /* Seeking a partition that is not assigned fails. */
        parts = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(parts, topic, 7)->offset = 0;
        rd_kafka_seek_partitions(rk, parts, 1000);
        CHECK(parts->elems[0].err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION);
        rd_kafka_topic_partition_list_destroy(parts);

        rd_kafka_assign(rk, NULL);
        rd_kafka_consumer_close(rk);
        rd_kafka_destroy(rk);
        return report();
}
