/*
 * wakeups: how often the broker threads come back from poll(2) while the
 * client has little or nothing to do, from the per-broker "wakeups"
 * statistics (librdkafka's name). A thread that spins shows thousands per
 * second; one that sleeps until its next deadline shows a handful.
 *
 * usage: wakeups BOOTSTRAP TOPIC MODE SECONDS [prop=value]...
 *   MODE assign:   consumer, every partition of TOPIC assigned from the
 *                  beginning
 *   MODE group:    consumer in group "wakeups-<pid>" subscribed to TOPIC
 *   MODE producer: produces one message, flushes, then stays idle
 * Runs SECONDS, then prints
 *   "summary msgs=N docs=D max_wakeups_per_s=R total_wakeups=W
 *    max_main_wakeups_per_s=M"
 * where R is the broker threads' highest rate between two consecutive
 * statistics documents (emitted every 500 ms), M the same for the main
 * thread, and N the messages consumed (or delivered).
 */
#define _POSIX_C_SOURCE 200809L

#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int docs;
static double last_at = -1, max_rate, max_main_rate;
static long long last_wakeups, last_main_wakeups;

static double now_s(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The sum of every "wakeups" field: one per broker. */
static long long sum_wakeups(const char *json) {
        long long sum = 0;
        const char *at = json;
        while ((at = strstr(at, "\"wakeups\":")) != NULL) {
                at += strlen("\"wakeups\":");
                sum += strtoll(at, NULL, 10);
        }
        return sum;
}

/* The main thread's count (ferrokafka's top-level "main_wakeups"; 0 when
 * the library has none). */
static long long main_wakeups(const char *json) {
        const char *at = strstr(json, "\"main_wakeups\":");
        return at ? strtoll(at + strlen("\"main_wakeups\":"), NULL, 10) : 0;
}

static void raise_to(double *max, long long now, long long before, double seconds) {
        double rate = (double)(now - before) / seconds;
        if (rate > *max)
                *max = rate;
}

static int stats_cb(rd_kafka_t *rk, char *json, size_t json_len, void *opaque) {
        double at            = now_s();
        long long total      = sum_wakeups(json);
        long long main_total = main_wakeups(json);
        (void)rk;
        (void)json_len;
        (void)opaque;
        if (last_at >= 0 && at > last_at) {
                raise_to(&max_rate, total, last_wakeups, at - last_at);
                raise_to(&max_main_rate, main_total, last_main_wakeups, at - last_at);
        }
        if (getenv("WAKEUPS_TRACE"))
                fprintf(stderr, "doc %.3f wakeups %lld main %lld\n", at, total, main_total);
        last_at           = at;
        last_wakeups      = total;
        last_main_wakeups = main_total;
        docs++;
        return 0;
}

/* TOPIC's partition count from the cluster's metadata, or -1. */
static int partition_count(rd_kafka_t *rk, const char *topic) {
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
        const rd_kafka_metadata_t *md;
        int cnt = -1;
        if (rd_kafka_metadata(rk, 0, rkt, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
                if (md->topic_cnt == 1 && !md->topics[0].err)
                        cnt = md->topics[0].partition_cnt;
                rd_kafka_metadata_destroy(md);
        }
        rd_kafka_topic_destroy(rkt);
        return cnt;
}

static void set(rd_kafka_conf_t *conf, const char *name, const char *value) {
        char errstr[256];
        if (rd_kafka_conf_set(conf, name, value, errstr, sizeof(errstr))) {
                fprintf(stderr, "%s=%s: %s\n", name, value, errstr);
                exit(2);
        }
}

int main(int argc, char **argv) {
        char errstr[256], group[64];
        const char *topic, *mode;
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        double until;
        long msgs = 0;
        int i, producer;

        if (argc < 5) {
                fprintf(stderr, "usage: %s BOOTSTRAP TOPIC assign|group|producer SECONDS "
                                "[prop=value]...\n",
                        argv[0]);
                return 2;
        }
        topic    = argv[2];
        mode     = argv[3];
        producer = !strcmp(mode, "producer");
        conf     = rd_kafka_conf_new();
        set(conf, "bootstrap.servers", argv[1]);
        set(conf, "statistics.interval.ms", "500");
        if (!strcmp(mode, "group")) {
                snprintf(group, sizeof(group), "wakeups-%d", (int)getpid());
                set(conf, "group.id", group);
                set(conf, "auto.offset.reset", "earliest");
        }
        for (i = 5; i < argc; i++) {
                char *eq = strchr(argv[i], '=');
                if (!eq) {
                        fprintf(stderr, "not prop=value: %s\n", argv[i]);
                        return 2;
                }
                *eq = '\0';
                set(conf, argv[i], eq + 1);
        }
        rd_kafka_conf_set_stats_cb(conf, stats_cb);
        rk = rd_kafka_new(producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER, conf, errstr,
                          sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "%s\n", errstr);
                return 2;
        }
        if (producer) {
                if (rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_VALUE("x", 1),
                                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END))
                        return 2;
                rd_kafka_flush(rk, 10000);
                msgs = rd_kafka_outq_len(rk) == 0;
        } else {
                rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
                rd_kafka_resp_err_t err;
                rd_kafka_poll_set_consumer(rk);
                if (!strcmp(mode, "group")) {
                        rd_kafka_topic_partition_list_add(parts, topic, RD_KAFKA_PARTITION_UA);
                        err = rd_kafka_subscribe(rk, parts);
                } else {
                        int cnt = partition_count(rk, topic);
                        if (cnt < 1) {
                                fprintf(stderr, "no partitions for %s\n", topic);
                                return 2;
                        }
                        for (i = 0; i < cnt; i++)
                                rd_kafka_topic_partition_list_add(parts, topic, i)->offset =
                                    RD_KAFKA_OFFSET_BEGINNING;
                        err = rd_kafka_assign(rk, parts);
                }
                rd_kafka_topic_partition_list_destroy(parts);
                if (err) {
                        fprintf(stderr, "%s: %s\n", mode, rd_kafka_err2str(err));
                        return 2;
                }
        }
        until = now_s() + atof(argv[4]);
        while (now_s() < until) {
                if (producer) {
                        rd_kafka_poll(rk, 100);
                } else {
                        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
                        if (!m)
                                continue;
                        if (!m->err)
                                msgs++;
                        else
                                fprintf(stderr, "consumer: %s\n", rd_kafka_message_errstr(m));
                        rd_kafka_message_destroy(m);
                }
        }
        printf("summary msgs=%ld docs=%d max_wakeups_per_s=%.0f total_wakeups=%lld "
               "max_main_wakeups_per_s=%.0f\n",
               msgs, docs, max_rate, last_wakeups, max_main_rate);
        if (!producer)
                rd_kafka_consumer_close(rk);
        rd_kafka_destroy(rk);
        return 0;
}
