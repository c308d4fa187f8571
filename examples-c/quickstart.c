/*
 * quickstart: the main job, end to end. Produces COUNT messages as fast as
 * the client takes them, consumes them back in a consumer group, measures
 * end-to-end latency with the consumer running while a steady stream is
 * produced, commits, and prints what each step took.
 *
 * usage: quickstart BROKERS [COUNT] [SIZE]
 *
 * BROKERS "mock" runs everything on the embedded mock cluster
 * (test.mock.num.brokers=3): no Kafka installation needed. Defaults:
 * COUNT 1000000, SIZE 100. Exits 0 when every message was delivered,
 * consumed exactly once and the final commit succeeded.
 *
 * Each figure covers one thing only: the consumer group's join (a new
 * group's first rebalance waits group.initial.rebalance.delay.ms, 3 s on
 * Kafka and on the mock clusters) is reported apart from consuming, and
 * latency is measured on messages consumed as they arrive, not on a
 * backlog.
 */
#define _POSIX_C_SOURCE 200809L

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOPIC "quickstart"
/* The latency step: a steady stream, the way an application sends. */
#define LATENCY_RATE 10000
#define LATENCY_SECONDS 2
#define LATENCY_COUNT (LATENCY_RATE * LATENCY_SECONDS)
/* Give up on a step when nothing arrives for this long. */
#define IDLE_LIMIT_US (30 * 1000000LL)

static int64_t now_us(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static long delivered, failed;
static int64_t assigned_at_us;

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)opaque;
        if (m->err)
                failed++;
        else
                delivered++;
}

/* What the default rebalance handling does, plus noting when the group
 * first handed us partitions: that ends the join and starts consuming. */
static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                         rd_kafka_topic_partition_list_t *partitions, void *opaque) {
        (void)opaque;
        if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
                if (!assigned_at_us)
                        assigned_at_us = now_us();
                rd_kafka_assign(rk, partitions);
        } else {
                rd_kafka_assign(rk, NULL);
        }
}

static int cmp_i64(const void *a, const void *b) {
        int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
        return (x > y) - (x < y);
}

static rd_kafka_conf_t *base_conf(const char *brokers) {
        char errstr[256];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_res_t res =
            !strcmp(brokers, "mock")
                ? rd_kafka_conf_set(conf, "test.mock.num.brokers", "3", errstr, sizeof(errstr))
                : rd_kafka_conf_set(conf, "bootstrap.servers", brokers, errstr, sizeof(errstr));
        if (res != RD_KAFKA_CONF_OK) {
                fprintf(stderr, "%s\n", errstr);
                exit(2);
        }
        return conf;
}

/* Every message carries its send time (for latency) and its index (to
 * check each is consumed exactly once). */
struct stamp {
        int64_t sent_us;
        int32_t index;
};

static rd_kafka_resp_err_t produce_one(rd_kafka_t *producer, char *payload, size_t size,
                                       int32_t index) {
        struct stamp s = {now_us(), index};
        rd_kafka_resp_err_t err;
        memcpy(payload, &s.sent_us, sizeof(s.sent_us));
        memcpy(payload + sizeof(s.sent_us), &s.index, sizeof(s.index));
        while ((err = rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(TOPIC),
                                        RD_KAFKA_V_VALUE(payload, size),
                                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                        RD_KAFKA_V_END)) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                rd_kafka_poll(producer, 10);
        return err;
}

/* The consumer side's bookkeeping: which indexes arrived, how late. */
struct tally {
        char *seen;
        long total, consumed, dups;
        int64_t *latencies_us;
        long latency_cnt;
};

/* Polls one message; returns 1 if it was one of ours. Latency is kept only
 * when `keep_latency` (the steady-stream step). */
static int consume_one(rd_kafka_t *consumer, struct tally *t, size_t size, int timeout_ms,
                       int keep_latency) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(consumer, timeout_ms);
        struct stamp s;
        int ours = 0;
        if (!m)
                return 0;
        if (m->err) {
                fprintf(stderr, "consume: %s\n", rd_kafka_message_errstr(m));
        } else if (m->len == size) {
                memcpy(&s.sent_us, m->payload, sizeof(s.sent_us));
                memcpy(&s.index, (const char *)m->payload + sizeof(s.sent_us), sizeof(s.index));
                if (s.index >= 0 && s.index < t->total && t->seen[s.index]++)
                        t->dups++;
                if (keep_latency)
                        t->latencies_us[t->latency_cnt++] = now_us() - s.sent_us;
                t->consumed++;
                ours = 1;
        }
        rd_kafka_message_destroy(m);
        return ours;
}

int main(int argc, char **argv) {
        const char *brokers;
        long count, i, sent;
        size_t size;
        char errstr[512], *payload;
        rd_kafka_conf_t *conf;
        rd_kafka_t *producer, *consumer;
        rd_kafka_topic_partition_list_t *topics;
        int64_t t0, t1, subscribed_at, last_at, interval_us;
        rd_kafka_resp_err_t err;
        struct tally t = {0};

        if (argc < 2) {
                fprintf(stderr, "usage: %s BROKERS|mock [COUNT] [SIZE]\n", argv[0]);
                return 2;
        }
        brokers = argv[1];
        count = argc > 2 ? atol(argv[2]) : 1000000;
        size = argc > 3 ? (size_t)atol(argv[3]) : 100;
        if (count <= 0 || count > INT32_MAX - LATENCY_COUNT || size < sizeof(struct stamp)) {
                fprintf(stderr, "COUNT must be 1..%d and SIZE >= %zu\n",
                        INT32_MAX - LATENCY_COUNT, sizeof(struct stamp));
                return 2;
        }
        t.total = count + LATENCY_COUNT;
        t.seen = calloc((size_t)t.total, 1);
        t.latencies_us = calloc(LATENCY_COUNT, sizeof(*t.latencies_us));
        payload = calloc(1, size);

        /* 1. Throughput of producing: as fast as the client takes messages,
         * until every delivery is confirmed. With "mock", the producer owns
         * the embedded cluster; the consumer connects to its bootstraps. */
        conf = base_conf(brokers);
        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!producer) {
                fprintf(stderr, "producer: %s\n", errstr);
                return 2;
        }
        t0 = now_us();
        for (i = 0; i < count; i++) {
                if ((err = produce_one(producer, payload, size, (int32_t)i))) {
                        fprintf(stderr, "produce: %s\n", rd_kafka_err2str(err));
                        return 1;
                }
                rd_kafka_poll(producer, 0);
        }
        rd_kafka_flush(producer, 60000);
        t1 = now_us();
        printf("produced %ld messages of %zu bytes in %.2f s: %.2f M msgs/s, %.0f MB/s "
               "(%ld failed)\n",
               delivered, size, (t1 - t0) / 1e6, delivered / ((t1 - t0) / 1e6) / 1e6,
               delivered * (double)size / ((t1 - t0) / 1e6) / 1e6, failed);

        /* 2. A consumer group member on the same cluster joins, then reads
         * everything back from the beginning. */
        if (!strcmp(brokers, "mock")) {
                conf = rd_kafka_conf_new();
                rd_kafka_conf_set(conf, "bootstrap.servers",
                                  rd_kafka_mock_cluster_bootstraps(
                                      rd_kafka_handle_mock_cluster(producer)),
                                  NULL, 0);
        } else {
                conf = base_conf(brokers);
        }
        rd_kafka_conf_set(conf, "group.id", "quickstart", NULL, 0);
        rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", NULL, 0);
        rd_kafka_conf_set(conf, "enable.auto.commit", "false", NULL, 0);
        rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
        consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        if (!consumer) {
                fprintf(stderr, "consumer: %s\n", errstr);
                return 2;
        }
        rd_kafka_poll_set_consumer(consumer);
        topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, TOPIC, RD_KAFKA_PARTITION_UA);
        subscribed_at = now_us();
        rd_kafka_subscribe(consumer, topics);
        rd_kafka_topic_partition_list_destroy(topics);

        last_at = now_us();
        while (t.consumed < delivered && now_us() - last_at < IDLE_LIMIT_US) {
                if (consume_one(consumer, &t, size, 100, 0))
                        last_at = now_us();
        }
        if (assigned_at_us) {
                printf("joined consumer group in %.2f s (a new group's first join waits "
                       "group.initial.rebalance.delay.ms: 3 s on Kafka and the mock)\n",
                       (assigned_at_us - subscribed_at) / 1e6);
                printf("consumed %ld messages in %.2f s: %.2f M msgs/s (%ld duplicates)\n",
                       t.consumed, (last_at - assigned_at_us) / 1e6,
                       t.consumed / ((last_at - assigned_at_us) / 1e6) / 1e6, t.dups);
        } else {
                printf("no partitions assigned within %.0f s\n",
                       (now_us() - subscribed_at) / 1e6);
        }

        /* 3. Latency: with the consumer caught up and polling, a steady
         * LATENCY_RATE msgs/s stream; each message's time from produce call
         * to consumer_poll returning it. */
        interval_us = 1000000 / LATENCY_RATE;
        t0 = now_us();
        last_at = t0;
        sent = 0;
        while (assigned_at_us && t.latency_cnt < LATENCY_COUNT &&
               now_us() - last_at < IDLE_LIMIT_US) {
                if (sent < LATENCY_COUNT && now_us() >= t0 + sent * interval_us) {
                        if ((err = produce_one(producer, payload, size, (int32_t)(count + sent)))) {
                                fprintf(stderr, "produce: %s\n", rd_kafka_err2str(err));
                                break;
                        }
                        sent++;
                }
                rd_kafka_poll(producer, 0);
                if (consume_one(consumer, &t, size, sent < LATENCY_COUNT ? 0 : 100, 1))
                        last_at = now_us();
        }
        rd_kafka_flush(producer, 60000);
        qsort(t.latencies_us, (size_t)t.latency_cnt, sizeof(*t.latencies_us), cmp_i64);
        if (t.latency_cnt > 0)
                printf("end-to-end latency, %ld messages at %d msgs/s with the consumer "
                       "running: p50 %.2f ms, p99 %.2f ms\n",
                       t.latency_cnt, LATENCY_RATE, t.latencies_us[t.latency_cnt / 2] / 1000.0,
                       t.latencies_us[(t.latency_cnt * 99) / 100] / 1000.0);

        err = rd_kafka_commit(consumer, NULL, 0);
        printf("commit: %s\n", rd_kafka_err2str(err));

        rd_kafka_consumer_close(consumer);
        rd_kafka_destroy(consumer);
        rd_kafka_destroy(producer);
        free(payload);
        free(t.seen);
        free(t.latencies_us);
        return delivered == t.total && failed == 0 && t.consumed == t.total && !t.dups && !err
                   ? 0
                   : 1;
}
