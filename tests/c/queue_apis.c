/*
 * queue_apis: the queue-based calls a drop-in must serve as librdkafka
 * 2.0.2 does, printed as lines the test compares between Debian's
 * librdkafka and ours.
 *
 * usage: queue_apis logq BOOTSTRAP
 *        queue_apis close BOOTSTRAP TOPIC GROUP
 *        queue_apis eof BOOTSTRAP TOPIC
 *
 * logq: rd_kafka_set_log_queue refused without log.queue; with it, log
 * lines arrive as LOG events on the application's queue (facility, level,
 * rd_kafka_event_debug_contexts) and never through log_cb on another
 * thread; with a NULL queue they are served by rd_kafka_poll on the
 * calling thread.
 *
 * close: the errors of rd_kafka_consumer_close_queue; then, without and
 * with a rebalance callback, a subscribed member consumes and closes
 * asynchronously, serving its queue (the revoke arrives there as a
 * REBALANCE event when the application handles rebalances) until
 * rd_kafka_consumer_closed(); a second member of the group reads the
 * offsets the close committed. TOPIC has 2 partitions and is empty.
 *
 * eof: a partition's EOF read through rd_kafka_queue_poll, with
 * rd_kafka_event_topic_partition on each event kind seen.

 *
 * Prints "version=..." first and "ok" last (exit 0) when every check
 * passed.
 */
#define _POSIX_C_SOURCE 200809L
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

static const char *bootstrap;

static rd_kafka_conf_t *base_conf(void) {
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr))) {
                fprintf(stderr, "conf: %s\n", errstr);
                exit(2);
        }
        return conf;
}

static void set(rd_kafka_conf_t *conf, const char *name, const char *value) {
        char errstr[512];
        if (rd_kafka_conf_set(conf, name, value, errstr, sizeof(errstr))) {
                fprintf(stderr, "conf %s: %s\n", name, errstr);
                exit(2);
        }
}

static rd_kafka_t *new_client(rd_kafka_type_t type, rd_kafka_conf_t *conf) {
        char errstr[512];
        rd_kafka_t *rk = rd_kafka_new(type, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                exit(2);
        }
        return rk;
}

static double now(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- logq ---- */

static pthread_t main_thread;
static int log_cb_calls, log_cb_foreign;

static void count_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
        (void)rk, (void)level, (void)fac, (void)buf;
        log_cb_calls++;
        if (!pthread_equal(pthread_self(), main_thread))
                log_cb_foreign++;
}

static void log_queue(void) {
        main_thread = pthread_self();

        /* Without log.queue there is no log queue to forward. */
        rd_kafka_t *plain = new_client(RD_KAFKA_PRODUCER, base_conf());
        rd_kafka_queue_t *q = rd_kafka_queue_new(plain);
        printf("without log.queue: %s\n", rd_kafka_err2name(rd_kafka_set_log_queue(plain, q)));
        rd_kafka_queue_destroy(q);
        rd_kafka_destroy(plain);

        rd_kafka_conf_t *conf = base_conf();
        set(conf, "log.queue", "true");
        set(conf, "debug", "broker,metadata");
        rd_kafka_conf_set_log_cb(conf, count_log_cb);
        rd_kafka_t *rk = new_client(RD_KAFKA_PRODUCER, conf);
        q = rd_kafka_queue_new(rk);
        printf("set_log_queue: %s\n", rd_kafka_err2name(rd_kafka_set_log_queue(rk, q)));
        int events = 0, broker_ctx = 0, no_ctx = 0;
        double until = now() + 3;
        while (now() < until) {
                rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 100);
                if (!ev)
                        continue;
                if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_LOG) {
                        const char *fac, *str;
                        int level;
                        char ctx[256];
                        CHECK(rd_kafka_event_log(ev, &fac, &str, &level) == 0);
                        CHECK(rd_kafka_event_debug_contexts(ev, ctx, sizeof(ctx)) == 0);
                        events++;
                        if (events <= 3)
                                fprintf(stderr, "LOG %d %s [%s] %s\n", level, fac, ctx, str);
                        /* A debug line names the contexts it was logged for. */
                        if (!strcmp(ctx, "broker"))
                                broker_ctx++;
                        else if (level == 7 && !*ctx)
                                no_ctx++, fprintf(stderr, "no context: %s %s\n", fac, str);
                        /* A tiny buffer gets a truncated, terminated copy. */
                        char tiny[3] = {'x', 'x', 'x'};
                        CHECK(rd_kafka_event_debug_contexts(ev, tiny, sizeof(tiny)) == 0);
                        CHECK(tiny[2] == '\0' || tiny[strlen(tiny)] == '\0');
                } else {
                        char ctx[8];
                        CHECK(rd_kafka_event_debug_contexts(ev, ctx, sizeof(ctx)) == -1);
                }
                rd_kafka_event_destroy(ev);
        }
        printf("log events on the queue: %s\n", events > 0 ? "yes" : "no");
        printf("broker context lines: %s\n", broker_ctx > 0 ? "yes" : "no");
        printf("debug lines without a context: %d\n", no_ctx);
        printf("log_cb calls while queued: %d\n", log_cb_calls);

        /* NULL: the main queue, served by rd_kafka_poll on this thread. */
        printf("set_log_queue NULL: %s\n", rd_kafka_err2name(rd_kafka_set_log_queue(rk, NULL)));
        rd_kafka_queue_destroy(q);
        /* A broker that refuses connections: lines for both libraries to log. */
        CHECK(rd_kafka_brokers_add(rk, "127.0.0.1:1") == 1);
        until = now() + 2;
        while (now() < until)
                rd_kafka_poll(rk, 100);
        printf("log_cb called from rd_kafka_poll: %s\n", log_cb_calls > 0 ? "yes" : "no");
        printf("log_cb calls on other threads: %d\n", log_cb_foreign);
        rd_kafka_destroy(rk);
}

/* ---- close ---- */

static void produce(const char *topic, int partition, int count) {
        rd_kafka_t *p = new_client(RD_KAFKA_PRODUCER, base_conf());
        for (int i = 0; i < count; i++) {
                char value[16];
                snprintf(value, sizeof(value), "m%d", i);
                CHECK(rd_kafka_producev(p, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
                                        RD_KAFKA_V_VALUE(value, strlen(value)),
                                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                        RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR_NO_ERROR);
        }
        CHECK(rd_kafka_flush(p, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_destroy(p);
}

static int rebalance_cb_calls;

/* The application's rebalance handling: with it, the close's revoke is the
 * application's, delivered on the close queue. */
static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts,
                         void *opaque) {
        (void)opaque;
        rebalance_cb_calls++;
        rd_kafka_assign(rk, err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS ? parts : NULL);
}

static rd_kafka_t *member(const char *group, int with_rebalance_cb) {
        rd_kafka_conf_t *conf = base_conf();
        if (with_rebalance_cb)
                rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
        set(conf, "group.id", group);
        set(conf, "auto.offset.reset", "earliest");
        set(conf, "session.timeout.ms", "30000");
        set(conf, "heartbeat.interval.ms", "500");
        set(conf, "auto.commit.interval.ms", "60000");
        rd_kafka_t *rk = new_client(RD_KAFKA_CONSUMER, conf);
        rd_kafka_poll_set_consumer(rk);
        return rk;
}

static void subscribe(rd_kafka_t *rk, const char *topic) {
        rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA);
        CHECK(rd_kafka_subscribe(rk, topics) == RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_topic_partition_list_destroy(topics);
}

static int assigned_count(rd_kafka_t *rk) {
        rd_kafka_topic_partition_list_t *a = NULL;
        int n = -1;
        if (rd_kafka_assignment(rk, &a) == RD_KAFKA_RESP_ERR_NO_ERROR) {
                n = a->cnt;
                rd_kafka_topic_partition_list_destroy(a);
        }
        return n;
}

/* One member of GROUP reads TOPIC's 5 messages, closes asynchronously (its
 * revoke on the close queue if it has a rebalance callback), and a second
 * member sees the close's commit and gets both partitions. */
static void close_one(const char *topic, const char *group, int with_rebalance_cb) {
        const char *how = with_rebalance_cb ? "with rebalance_cb" : "without rebalance_cb";
        rd_kafka_t *first = member(group, with_rebalance_cb);
        subscribe(first, topic);
        int read = 0;
        double until = now() + 30;
        while (read < 5 && now() < until) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(first, 100);
                if (!m)
                        continue;
                if (!m->err)
                        read++;
                rd_kafka_message_destroy(m);
        }
        printf("%s: first member read %d, assigned %d, closed %d\n", how, read, assigned_count(first),
               rd_kafka_consumer_closed(first));

        rd_kafka_queue_t *q = rd_kafka_queue_new(first);
        rd_kafka_error_t *error = rd_kafka_consumer_close_queue(first, q);
        printf("%s: close_queue %s\n", how, error ? rd_kafka_err2name(rd_kafka_error_code(error)) : "no error");
        if (error)
                rd_kafka_error_destroy(error);
        int revokes = 0, revoked = 0, cb_calls_before = rebalance_cb_calls;
        until = now() + 30;
        while (!rd_kafka_consumer_closed(first) && now() < until) {
                rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 100);
                if (!ev)
                        continue;
                if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_REBALANCE) {
                        CHECK(rd_kafka_event_error(ev) == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS);
                        revokes++;
                        revoked += rd_kafka_event_topic_partition_list(ev)->cnt;
                        CHECK(rd_kafka_assign(first, NULL) == RD_KAFKA_RESP_ERR_NO_ERROR);
                } else {
                        fprintf(stderr, "close queue event %s\n", rd_kafka_event_name(ev));
                }
                rd_kafka_event_destroy(ev);
        }
        printf("%s: revoke events on the close queue %d (%d partitions), rebalance_cb calls %d\n", how,
               revokes, revoked, rebalance_cb_calls - cb_calls_before);
        printf("%s: closed after serving %d\n", how, rd_kafka_consumer_closed(first));
        rd_kafka_queue_destroy(q);

        rd_kafka_t *second = member(group, 0);
        rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(2);
        rd_kafka_topic_partition_list_add(parts, topic, 0);
        rd_kafka_topic_partition_list_add(parts, topic, 1);
        CHECK(rd_kafka_committed(second, parts, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR);
        printf("%s: committed by the close %lld %lld\n", how, (long long)parts->elems[0].offset,
               (long long)parts->elems[1].offset);
        rd_kafka_topic_partition_list_destroy(parts);
        rd_kafka_destroy(second);
        rd_kafka_destroy(first);
}

static void async_close(const char *topic, const char *group) {
        produce(topic, 0, 3);
        produce(topic, 1, 2);

        /* Bad input first: no queue, a consumer without a group, a producer. */
        rd_kafka_t *first = member(group, 0);
        rd_kafka_error_t *error = rd_kafka_consumer_close_queue(first, NULL);
        printf("close_queue NULL queue: %s\n",
               error ? rd_kafka_err2name(rd_kafka_error_code(error)) : "no error");
        if (error)
                rd_kafka_error_destroy(error);
        rd_kafka_t *groupless = new_client(RD_KAFKA_CONSUMER, base_conf());
        rd_kafka_queue_t *gq = rd_kafka_queue_new(groupless);
        error = rd_kafka_consumer_close_queue(groupless, gq);
        printf("close_queue without group.id: %s\n",
               error ? rd_kafka_err2name(rd_kafka_error_code(error)) : "no error");
        if (error)
                rd_kafka_error_destroy(error);
        rd_kafka_queue_destroy(gq);
        rd_kafka_destroy(groupless);
        rd_kafka_t *producer = new_client(RD_KAFKA_PRODUCER, base_conf());
        printf("producer consumer_closed: %d\n", rd_kafka_consumer_closed(producer));
        rd_kafka_destroy(producer);

        rd_kafka_destroy(first);

        char group2[256];
        snprintf(group2, sizeof(group2), "%s-cb", group);
        close_one(topic, group, 0);
        close_one(topic, group2, 1);
}

/* ---- eof ---- */

static void print_event_partition(rd_kafka_event_t *ev) {
        rd_kafka_topic_partition_t *tp = rd_kafka_event_topic_partition(ev);
        if (!tp) {
                printf("%s event (%s): no partition\n", rd_kafka_event_name(ev),
                       rd_kafka_err2name(rd_kafka_event_error(ev)));
                return;
        }
        printf("%s event (%s): partition %d offset %lld err %s\n", rd_kafka_event_name(ev),
               rd_kafka_err2name(rd_kafka_event_error(ev)), tp->partition, (long long)tp->offset,
               rd_kafka_err2name(tp->err));
        rd_kafka_topic_partition_destroy(tp);
}

static void partition_eof(const char *topic) {
        produce(topic, 1, 2);
        rd_kafka_conf_t *conf = base_conf();
        set(conf, "group.id", "queue-apis-eof");
        set(conf, "enable.partition.eof", "true");
        rd_kafka_t *rk = new_client(RD_KAFKA_CONSUMER, conf);
        rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
        /* From offset 1: a FETCH event's partition shows whether it carries
         * the message's offset. */
        rd_kafka_topic_partition_list_add(parts, topic, 1)->offset = 1;
        CHECK(rd_kafka_assign(rk, parts) == RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_topic_partition_list_destroy(parts);
        rd_kafka_queue_t *q = rd_kafka_queue_get_consumer(rk);
        int seen_eof = 0, fetched = 0;
        double until = now() + 20;
        while (!seen_eof && now() < until) {
                rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 100);
                if (!ev)
                        continue;
                if (rd_kafka_event_error(ev) == RD_KAFKA_RESP_ERR__PARTITION_EOF)
                        seen_eof = 1;
                if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_FETCH) {
                        /* One line for the first message only: a FETCH event may
                         * carry one message or several. */
                        if (!fetched++)
                                print_event_partition(ev);
                } else {
                        print_event_partition(ev);
                }
                rd_kafka_event_destroy(ev);
        }
        rd_kafka_queue_destroy(q);
        CHECK(seen_eof);
        rd_kafka_consumer_close(rk);
        rd_kafka_destroy(rk);
}

int main(int argc, char **argv) {
        if (argc < 3) {
                fprintf(stderr, "usage: %s logq|close|eof BOOTSTRAP [TOPIC [GROUP]]\n",
                        argv[0]);
                return 2;
        }
        bootstrap = argv[2];
        printf("version=%s\n", rd_kafka_version_str());
        if (!strcmp(argv[1], "logq"))
                log_queue();
        else if (!strcmp(argv[1], "close") && argc == 5)
                async_close(argv[3], argv[4]);
        else if (!strcmp(argv[1], "eof") && argc == 4)
                partition_eof(argv[3]);
        else {
                fprintf(stderr, "bad arguments\n");
                return 2;
        }
        return report();
}
