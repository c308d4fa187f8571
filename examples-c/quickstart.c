/*
 * quickstart: the main job, end to end. Produces COUNT messages, consumes
 * them back in a consumer group, commits, and prints throughput and
 * end-to-end latency.
 *
 * usage: quickstart BROKERS [COUNT] [SIZE]
 *
 * BROKERS "mock" runs everything on the embedded mock cluster
 * (test.mock.num.brokers=3): no Kafka installation needed. Defaults:
 * COUNT 1000000, SIZE 100. Exits 0 when every message was delivered,
 * consumed exactly once and the final commit succeeded.
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define TOPIC "quickstart"

static int64_t now_us(void) {
        struct timeval tv;
        gettimeofday(&tv, NULL);
        return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

static long delivered, failed;

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)opaque;
        if (m->err)
                failed++;
        else
                delivered++;
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

int main(int argc, char **argv) {
        const char *brokers;
        long count, i, consumed = 0, dups = 0;
        size_t size;
        char errstr[512], *payload, *seen;
        rd_kafka_conf_t *conf;
        rd_kafka_t *producer, *consumer;
        const char *bootstraps;
        rd_kafka_topic_partition_list_t *topics;
        int64_t t0, t1, t2, *latencies;
        rd_kafka_resp_err_t err;

        if (argc < 2) {
                fprintf(stderr, "usage: %s BROKERS|mock [COUNT] [SIZE]\n", argv[0]);
                return 2;
        }
        brokers = argv[1];
        count = argc > 2 ? atol(argv[2]) : 1000000;
        size = argc > 3 ? (size_t)atol(argv[3]) : 100;
        if (count <= 0 || size < 12) {
                fprintf(stderr, "COUNT must be > 0 and SIZE >= 12\n");
                return 2;
        }

        /* Producer. With "mock", it owns the embedded cluster; the consumer
         * below connects to that cluster's bootstrap list. */
        conf = base_conf(brokers);
        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!producer) {
                fprintf(stderr, "producer: %s\n", errstr);
                return 2;
        }
        payload = calloc(1, size);
        t0 = now_us();
        for (i = 0; i < count; i++) {
                int64_t ts = now_us();
                int32_t idx = (int32_t)i;
                /* Send time (latency) and index (exactly-once check). */
                memcpy(payload, &ts, sizeof(ts));
                memcpy(payload + sizeof(ts), &idx, sizeof(idx));
                while ((err = rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(TOPIC),
                                                RD_KAFKA_V_VALUE(payload, size),
                                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                                RD_KAFKA_V_END)) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                        rd_kafka_poll(producer, 10);
                if (err) {
                        fprintf(stderr, "produce: %s\n", rd_kafka_err2str(err));
                        return 1;
                }
                rd_kafka_poll(producer, 0);
        }
        rd_kafka_flush(producer, 60000);
        t1 = now_us();
        printf("produced %ld messages of %zu bytes in %.2f s: %.0f msgs/s, %.1f MB/s (%ld failed)\n",
               delivered, size, (t1 - t0) / 1e6, delivered / ((t1 - t0) / 1e6),
               delivered * (double)size / ((t1 - t0) / 1e6) / 1e6, failed);

        /* Consumer group member on the same cluster. */
        if (!strcmp(brokers, "mock")) {
                bootstraps = rd_kafka_mock_cluster_bootstraps(rd_kafka_handle_mock_cluster(producer));
                conf = rd_kafka_conf_new();
                rd_kafka_conf_set(conf, "bootstrap.servers", bootstraps, NULL, 0);
        } else {
                conf = base_conf(brokers);
        }
        rd_kafka_conf_set(conf, "group.id", "quickstart", NULL, 0);
        rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", NULL, 0);
        rd_kafka_conf_set(conf, "enable.auto.commit", "false", NULL, 0);
        consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        if (!consumer) {
                fprintf(stderr, "consumer: %s\n", errstr);
                return 2;
        }
        rd_kafka_poll_set_consumer(consumer);
        topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, TOPIC, RD_KAFKA_PARTITION_UA);
        rd_kafka_subscribe(consumer, topics);
        rd_kafka_topic_partition_list_destroy(topics);

        seen = calloc((size_t)count, 1);
        latencies = calloc((size_t)count, sizeof(*latencies));
        t1 = now_us();
        while (consumed < delivered && now_us() - t1 < 120 * 1000000LL) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(consumer, 100);
                int32_t idx;
                int64_t sent;
                if (!m)
                        continue;
                if (!m->err && m->len == size) {
                        memcpy(&sent, m->payload, sizeof(sent));
                        memcpy(&idx, (char *)m->payload + sizeof(sent), sizeof(idx));
                        if (idx >= 0 && idx < count && seen[idx]++)
                                dups++;
                        latencies[consumed++] = now_us() - sent;
                }
                rd_kafka_message_destroy(m);
        }
        t2 = now_us();
        err = rd_kafka_commit(consumer, NULL, 0);
        qsort(latencies, (size_t)consumed, sizeof(*latencies), cmp_i64);
        printf("consumed %ld messages in %.2f s: %.0f msgs/s (%ld duplicates)\n", consumed,
               (t2 - t1) / 1e6, consumed / ((t2 - t1) / 1e6), dups);
        if (consumed > 0)
                printf("end-to-end latency: p50 %.1f ms, p99 %.1f ms\n",
                       latencies[consumed / 2] / 1000.0, latencies[(consumed * 99) / 100] / 1000.0);
        printf("commit: %s\n", rd_kafka_err2str(err));

        rd_kafka_consumer_close(consumer);
        rd_kafka_destroy(consumer);
        rd_kafka_destroy(producer);
        free(payload);
        free(seen);
        free(latencies);
        return delivered == count && consumed == count && !dups && !err ? 0 : 1;
}
