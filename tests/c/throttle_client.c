/*
 * throttle_client: the client side of tests/throttle.rs. A producer, then a
 * consumer, run while the test throttles a broker of the mock cluster; every
 * throttle_cb call and statistics document is printed.
 *
 * usage: throttle_client BOOTSTRAP TOPIC MESSAGES
 *
 * Sync points ("SYNC <name>" on stdout, then a line on stdin): "throttled"
 * before producing MESSAGES messages (the test throttles a broker),
 * "unthrottled" before 10 more (the test ends the throttling), then
 * "consumer-throttled" before reading everything back from the topic's
 * partition 0 and "consumer-unthrottled" before polling on until a throttle
 * report of 0 ms arrives (at most 5 s).
 *
 * stdout: "version <rd_kafka_version_str()>", then per throttle_cb call
 * "throttle <role> <broker name> <broker id> <ms> <on polling thread 0|1>",
 * per statistics document "stats <role> <json on one line>", and
 * "producer delivered=N failed=N", "consumer read=N" and "destroyed".
 */
#define _POSIX_C_SOURCE 200809L

#include <librdkafka/rdkafka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AFTER_THROTTLE 10

static const char *role = "producer";
static pthread_t polling_thread;
static int delivered, failed, unthrottled_seen;

static void throttle_cb(rd_kafka_t *rk, const char *broker_name, int32_t broker_id,
                        int throttle_time_ms, void *opaque) {
        (void)rk;
        (void)opaque;
        if (throttle_time_ms == 0)
                unthrottled_seen = 1;
        printf("throttle %s %s %d %d %d\n", role, broker_name, (int)broker_id,
               throttle_time_ms, pthread_equal(pthread_self(), polling_thread) ? 1 : 0);
}

static int stats_cb(rd_kafka_t *rk, char *json, size_t len, void *opaque) {
        size_t i;
        (void)rk;
        (void)opaque;
        /* Newlines can only be JSON whitespace: strings escape them. */
        for (i = 0; i < len; i++)
                if (json[i] == '\n' || json[i] == '\r')
                        json[i] = ' ';
        printf("stats %s %.*s\n", role, (int)len, json);
        return 0;
}

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)opaque;
        if (m->err)
                failed++;
        else
                delivered++;
}

static void sync_point(const char *name) {
        char line[64];
        printf("SYNC %s\n", name);
        fflush(stdout);
        if (!fgets(line, sizeof(line), stdin)) {
                fprintf(stderr, "stdin closed at sync %s\n", name);
                exit(2);
        }
}

static rd_kafka_conf_t *common_conf(const char *bootstrap) {
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(conf, "statistics.interval.ms", "100", errstr, sizeof(errstr))) {
                fprintf(stderr, "%s\n", errstr);
                exit(2);
        }
        rd_kafka_conf_set_throttle_cb(conf, throttle_cb);
        rd_kafka_conf_set_stats_cb(conf, stats_cb);
        return conf;
}

static void set(rd_kafka_conf_t *conf, const char *name, const char *value) {
        char errstr[512];
        if (rd_kafka_conf_set(conf, name, value, errstr, sizeof(errstr))) {
                fprintf(stderr, "%s\n", errstr);
                exit(2);
        }
}

static void produce_some(rd_kafka_t *rk, const char *topic, int from, int count) {
        int i;
        for (i = from; i < from + count; i++) {
                char value[32];
                rd_kafka_resp_err_t err;
                snprintf(value, sizeof(value), "message-%d", i);
                do {
                        err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(0),
                                                RD_KAFKA_V_VALUE(value, strlen(value)),
                                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                                RD_KAFKA_V_END);
                        if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                                rd_kafka_poll(rk, 10);
                } while (err == RD_KAFKA_RESP_ERR__QUEUE_FULL);
                if (err) {
                        fprintf(stderr, "produce: %s\n", rd_kafka_err2name(err));
                        exit(1);
                }
                rd_kafka_poll(rk, 0);
        }
        rd_kafka_flush(rk, 60000);
}

static double now_s(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_topic_partition_list_t *parts;
        const char *bootstrap, *topic;
        int messages, consumed = 0;
        double deadline;

        if (argc != 4 || (messages = atoi(argv[3])) <= 0) {
                fprintf(stderr, "usage: %s BOOTSTRAP TOPIC MESSAGES\n", argv[0]);
                return 2;
        }
        bootstrap      = argv[1];
        topic          = argv[2];
        polling_thread = pthread_self();
        printf("version %s\n", rd_kafka_version_str());

        conf = common_conf(bootstrap);
        /* Small batches: many Produce requests, so many throttled ones. */
        set(conf, "linger.ms", "5");
        set(conf, "batch.num.messages", "20");
        rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                return 1;
        }
        sync_point("throttled");
        produce_some(rk, topic, 0, messages);
        sync_point("unthrottled");
        produce_some(rk, topic, messages, AFTER_THROTTLE);
        /* One more statistics interval, so the last window is printed. */
        deadline = now_s() + 0.5;
        while (now_s() < deadline)
                rd_kafka_poll(rk, 50);
        printf("producer delivered=%d failed=%d\n", delivered, failed);
        rd_kafka_destroy(rk);

        role             = "consumer";
        unthrottled_seen = 0;
        conf             = common_conf(bootstrap);
        set(conf, "group.id", "throttle-client");
        set(conf, "enable.auto.commit", "false");
        set(conf, "fetch.wait.max.ms", "100");
        rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                return 1;
        }
        rd_kafka_poll_set_consumer(rk);
        parts = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(parts, topic, 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
        sync_point("consumer-throttled");
        rd_kafka_assign(rk, parts);
        rd_kafka_topic_partition_list_destroy(parts);
        deadline = now_s() + 60;
        while (consumed < messages + AFTER_THROTTLE && now_s() < deadline) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
                if (!m)
                        continue;
                if (!m->err)
                        consumed++;
                rd_kafka_message_destroy(m);
        }
        sync_point("consumer-unthrottled");
        deadline = now_s() + 5;
        while (!unthrottled_seen && now_s() < deadline) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
                if (m)
                        rd_kafka_message_destroy(m);
        }
        printf("consumer read=%d\n", consumed);
        rd_kafka_consumer_close(rk);
        rd_kafka_destroy(rk);
        printf("destroyed\n");
        return 0;
}
