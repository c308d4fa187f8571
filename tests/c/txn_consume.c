/*
 * txn_consume: reads a topic as a consumer group member until it has been
 * idle for IDLE_MS, then commits its positions and reports, per assigned
 * partition, where it stands. Used on logs with transactions
 * (tests/transactions.rs), built against ours and against Debian's
 * librdkafka so both read the same log.
 *
 * usage: txn_consume BOOTSTRAP TOPIC GROUP IDLE_MS [key=value ...]
 *
 * Prints "version <rd_kafka_version_str()>", then one line per message,
 * "MSG <partition> <offset> <key>", then per assigned partition
 * "POS <partition> <position> <low> <high> <committed>" (the position and
 * the committed offset after the final commit, the cached watermarks) and
 * finally "consumed=N errors=E". Exits 0 unless a call failed.
 */
#define _POSIX_C_SOURCE 200809L
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv) {
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_t *rk;
        rd_kafka_topic_partition_list_t *topics, *assigned = NULL;
        long long idle_ms, last, deadline;
        int consumed = 0, errors = 0, i, arg;
        rd_kafka_resp_err_t err;

        if (argc < 5) {
                fprintf(stderr, "usage: %s BOOTSTRAP TOPIC GROUP IDLE_MS [k=v ...]\n", argv[0]);
                return 2;
        }
        idle_ms = atoll(argv[4]);
        rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], NULL, 0);
        rd_kafka_conf_set(conf, "group.id", argv[3], NULL, 0);
        rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", NULL, 0);
        rd_kafka_conf_set(conf, "enable.auto.commit", "false", NULL, 0);
        for (arg = 5; arg < argc; arg++) {
                char *eq = strchr(argv[arg], '=');
                if (!eq) {
                        fprintf(stderr, "not key=value: %s\n", argv[arg]);
                        return 2;
                }
                *eq = '\0';
                if (rd_kafka_conf_set(conf, argv[arg], eq + 1, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
                        fprintf(stderr, "%s\n", errstr);
                        return 2;
                }
        }
        rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                return 1;
        }
        printf("version %s\n", rd_kafka_version_str());
        rd_kafka_poll_set_consumer(rk);
        topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, argv[2], RD_KAFKA_PARTITION_UA);
        if (rd_kafka_subscribe(rk, topics)) {
                fprintf(stderr, "subscribe failed\n");
                return 1;
        }
        rd_kafka_topic_partition_list_destroy(topics);

        /* Idle time counts only once the group assigned something. */
        last     = now_ms();
        deadline = last + 120000;
        while (now_ms() < deadline) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
                if (!m) {
                        if (!assigned) {
                                if (!rd_kafka_assignment(rk, &assigned) && assigned->cnt == 0) {
                                        rd_kafka_topic_partition_list_destroy(assigned);
                                        assigned = NULL;
                                }
                                last = now_ms();
                        } else if (now_ms() - last >= idle_ms)
                                break;
                        continue;
                }
                if (m->err) {
                        fprintf(stderr, "consumer error: %s: %s\n", rd_kafka_err2name(m->err),
                                rd_kafka_message_errstr(m));
                        errors++;
                } else {
                        printf("MSG\t%d\t%lld\t%.*s\n", (int)m->partition, (long long)m->offset,
                               (int)m->key_len, m->key ? (const char *)m->key : "");
                        consumed++;
                }
                last = now_ms();
                rd_kafka_message_destroy(m);
        }
        if (!assigned) {
                fprintf(stderr, "no assignment\n");
                return 1;
        }
        rd_kafka_topic_partition_list_destroy(assigned);
        if (rd_kafka_assignment(rk, &assigned)) {
                fprintf(stderr, "assignment failed\n");
                return 1;
        }
        err = rd_kafka_commit(rk, NULL, 0);
        if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
                fprintf(stderr, "commit: %s\n", rd_kafka_err2name(err));
                errors++;
        }
        if (rd_kafka_position(rk, assigned)) {
                fprintf(stderr, "position failed\n");
                return 1;
        }
        {
                rd_kafka_topic_partition_list_t *committed = rd_kafka_topic_partition_list_copy(assigned);
                if (rd_kafka_committed(rk, committed, 10000)) {
                        fprintf(stderr, "committed failed\n");
                        return 1;
                }
                for (i = 0; i < assigned->cnt; i++) {
                        int64_t lo = -1, hi = -1;
                        rd_kafka_get_watermark_offsets(rk, assigned->elems[i].topic, assigned->elems[i].partition,
                                                       &lo, &hi);
                        printf("POS\t%d\t%lld\t%lld\t%lld\t%lld\n", (int)assigned->elems[i].partition,
                               (long long)assigned->elems[i].offset, (long long)lo, (long long)hi,
                               (long long)committed->elems[i].offset);
                }
                rd_kafka_topic_partition_list_destroy(committed);
        }
        rd_kafka_topic_partition_list_destroy(assigned);
        printf("consumed=%d errors=%d\n", consumed, errors);
        rd_kafka_consumer_close(rk);
        rd_kafka_destroy(rk);
        return 0;
}
