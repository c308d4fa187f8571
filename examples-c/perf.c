/*
 * perf: a throughput and latency tool in the spirit of librdkafka's
 * rdkafka_performance, written only against the librdkafka C API so the
 * same source builds against ferrokafka and against librdkafka.
 *
 * usage:
 *   perf -P -t TOPIC -b BROKERS [-c COUNT] [-s SIZE] [-X prop=val]...
 *       produce COUNT messages of SIZE bytes as fast as the client takes
 *       them, then flush
 *   perf -C -t TOPIC -b BROKERS [-c COUNT] [-X prop=val]...
 *       assign every partition from the beginning, consume COUNT messages
 *       or until every partition reports its end, whichever comes first
 *   perf -L [-B] -t TOPIC -b BROKERS [-c COUNT] [-s SIZE] [-r RATE] [-X prop=val]...
 *       produce COUNT messages at RATE msgs/s with linger.ms=0 while a
 *       consumer in the same process reads them back; prints end-to-end
 *       and delivery-report latency percentiles (p50, p99, p999), after
 *       a warm-up message has made the round trip. Between sends the
 *       thread sleeps until the next send is due or either client has
 *       something to serve (rd_kafka_queue_io_event_enable), as an event
 *       loop would; -B polls without sleeping instead (on a machine with
 *       few cores that spinning thread competes with the clients' own
 *       threads, and the tails measure the scheduler)
 *
 * -X applies to every client the mode creates. Results go to stdout as one
 * "result ..." line of key=value fields (easy to parse) and a readable
 * summary; client CPU time and peak RSS come from getrusage(RUSAGE_SELF).
 */
#define _POSIX_C_SOURCE 200809L

#include <librdkafka/rdkafka.h>

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROPS 64
#define IDLE_LIMIT_MS 10000

struct opts {
        char mode;
        const char *topic;
        const char *brokers;
        long count;
        size_t size;
        long rate;
        int busy;
        const char *props[MAX_PROPS];
        int prop_cnt;
};

static long delivered, failed;
static rd_kafka_resp_err_t last_dr_error;

static double now_s(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t wall_us(void) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void usage(const char *argv0) {
        fprintf(stderr,
                "usage: %s -P|-C|-L [-B] -t TOPIC -b BROKERS [-c COUNT] [-s SIZE] [-r RATE] "
                "[-X prop=val]...\n",
                argv0);
        exit(2);
}

/* Latency mode: each message's opaque is its send time (µs, monotonic);
 * delivery-report latencies are collected here, up to dr_lat_cap. */
static int64_t *dr_lat_us;
static long dr_lat_cnt, dr_lat_cap;

static int64_t mono_us(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)opaque;
        if (m->err) {
                failed++;
                last_dr_error = m->err;
        } else {
                delivered++;
                if (dr_lat_us && dr_lat_cnt < dr_lat_cap)
                        dr_lat_us[dr_lat_cnt++] = mono_us() - (int64_t)(intptr_t)m->_private;
        }
}

static rd_kafka_conf_t *make_conf(const struct opts *o) {
        char errstr[512];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        int i;
        if (rd_kafka_conf_set(conf, "bootstrap.servers", o->brokers, errstr, sizeof(errstr))) {
                fprintf(stderr, "%s\n", errstr);
                exit(2);
        }
        /* A topic may hold fewer than COUNT messages (librdkafka's mock
         * cluster keeps a bounded log): every partition at its end stops a
         * consume run too, so no idle wait is measured (-X may say no). */
        if (o->mode == 'C')
                rd_kafka_conf_set(conf, "enable.partition.eof", "true", errstr, sizeof(errstr));
        for (i = 0; i < o->prop_cnt; i++) {
                char key[256];
                const char *eq = strchr(o->props[i], '=');
                size_t len     = eq ? (size_t)(eq - o->props[i]) : 0;
                if (!eq || len >= sizeof(key)) {
                        fprintf(stderr, "bad -X %s\n", o->props[i]);
                        exit(2);
                }
                memcpy(key, o->props[i], len);
                key[len] = '\0';
                if (rd_kafka_conf_set(conf, key, eq + 1, errstr, sizeof(errstr))) {
                        fprintf(stderr, "-X %s: %s\n", o->props[i], errstr);
                        exit(2);
                }
        }
        return conf;
}

static rd_kafka_t *make_client(const struct opts *o, rd_kafka_type_t type,
                               rd_kafka_conf_t *conf) {
        char errstr[512];
        rd_kafka_t *rk;
        if (type == RD_KAFKA_PRODUCER)
                rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
        else {
                /* assign() needs no group, but librdkafka wants an id. */
                rd_kafka_conf_set(conf, "group.id", "ferrokafka-perf", errstr, sizeof(errstr));
                rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof(errstr));
        }
        (void)o;
        rk = rd_kafka_new(type, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                exit(1);
        }
        return rk;
}

/* Client CPU seconds and peak RSS (KiB) of this process so far. */
static void usage_now(double *cpu_s, long *maxrss_kb) {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        *cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
        *maxrss_kb = ru.ru_maxrss;
}

static void report(const char *mode, long msgs, size_t bytes, double elapsed) {
        double cpu;
        long rss;
        usage_now(&cpu, &rss);
        if (elapsed <= 0)
                elapsed = 1e-9;
        printf("result mode=%s msgs=%ld bytes=%zu elapsed_s=%.3f msgs_per_s=%.0f mb_per_s=%.2f "
               "cpu_s=%.3f msgs_per_cpu_s=%.0f peak_rss_kb=%ld delivered=%ld failed=%ld "
               "last_error=%s\n",
               mode, msgs, bytes, elapsed, (double)msgs / elapsed,
               (double)bytes / elapsed / (1024.0 * 1024.0), cpu,
               cpu > 0 ? (double)msgs / cpu : 0.0, rss, delivered, failed,
               rd_kafka_err2name(last_dr_error));
        printf("%s: %ld messages, %zu bytes in %.3f s: %.0f msgs/s, %.2f MB/s; "
               "CPU %.3f s (%.0f msgs/CPU-s), peak RSS %ld KiB\n",
               mode, msgs, bytes, elapsed, (double)msgs / elapsed,
               (double)bytes / elapsed / (1024.0 * 1024.0), cpu,
               cpu > 0 ? (double)msgs / cpu : 0.0, rss);
}

static int run_produce(const struct opts *o) {
        rd_kafka_t *rk = make_client(o, RD_KAFKA_PRODUCER, make_conf(o));
        char *payload  = malloc(o->size + 1);
        long i;
        double start, elapsed;
        rd_kafka_resp_err_t err;
        memset(payload, 'p', o->size);
        start = now_s();
        for (i = 0; i < o->count; i++) {
                while ((err = rd_kafka_producev(
                            rk, RD_KAFKA_V_TOPIC(o->topic), RD_KAFKA_V_VALUE(payload, o->size),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END)) ==
                       RD_KAFKA_RESP_ERR__QUEUE_FULL)
                        rd_kafka_poll(rk, 1);
                if (err) {
                        fprintf(stderr, "producev: %s\n", rd_kafka_err2str(err));
                        failed++;
                        break;
                }
                if ((i & 1023) == 0)
                        rd_kafka_poll(rk, 0);
        }
        err = rd_kafka_flush(rk, 120000);
        elapsed = now_s() - start;
        if (err)
                fprintf(stderr, "flush: %s, %d left\n", rd_kafka_err2str(err),
                        rd_kafka_outq_len(rk));
        report("produce", delivered, (size_t)delivered * o->size, elapsed);
        rd_kafka_destroy(rk);
        free(payload);
        return failed || delivered != o->count;
}

/* Assigns every partition of the topic from the beginning; returns how
 * many, or -1. */
static int assign_all(rd_kafka_t *rk, const char *topic) {
        const struct rd_kafka_metadata *md = NULL;
        rd_kafka_topic_partition_list_t *parts;
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
        rd_kafka_resp_err_t err;
        int i, tries, cnt;
        for (tries = 0; tries < 20; tries++) {
                err = rd_kafka_metadata(rk, 0, rkt, &md, 5000);
                if (!err && md->topic_cnt == 1 && !md->topics[0].err &&
                    md->topics[0].partition_cnt > 0)
                        break;
                if (!err)
                        rd_kafka_metadata_destroy(md);
                md = NULL;
                {
                        struct timespec pause = {0, 200000000L};
                        nanosleep(&pause, NULL);
                }
        }
        rd_kafka_topic_destroy(rkt);
        if (!md) {
                fprintf(stderr, "no metadata for %s\n", topic);
                return -1;
        }
        cnt   = md->topics[0].partition_cnt;
        parts = rd_kafka_topic_partition_list_new(cnt);
        for (i = 0; i < md->topics[0].partition_cnt; i++)
                rd_kafka_topic_partition_list_add(parts, topic, md->topics[0].partitions[i].id)
                    ->offset = RD_KAFKA_OFFSET_BEGINNING;
        rd_kafka_metadata_destroy(md);
        err = rd_kafka_assign(rk, parts);
        rd_kafka_topic_partition_list_destroy(parts);
        if (err) {
                fprintf(stderr, "assign: %s\n", rd_kafka_err2str(err));
                return -1;
        }
        return cnt;
}

#define MAX_PARTITIONS 1024

static int run_consume(const struct opts *o) {
        rd_kafka_conf_t *conf = make_conf(o);
        rd_kafka_t *rk;
        long got = 0;
        size_t bytes = 0;
        double start = 0, last = now_s();
        static char at_end[MAX_PARTITIONS];
        int partitions, ended = 0;
        rk         = make_client(o, RD_KAFKA_CONSUMER, conf);
        partitions = assign_all(rk, o->topic);
        if (partitions < 0 || partitions > MAX_PARTITIONS)
                return 1;
        while (got < o->count && ended < partitions &&
               (now_s() - last) * 1000 < IDLE_LIMIT_MS) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
                if (!m)
                        continue;
                if (!m->err) {
                        if (!got)
                                start = now_s();
                        got++;
                        bytes += m->len;
                        last = now_s();
                        if (m->partition >= 0 && m->partition < MAX_PARTITIONS &&
                            at_end[m->partition]) {
                                at_end[m->partition] = 0;
                                ended--;
                        }
                } else if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                        if (m->partition >= 0 && m->partition < MAX_PARTITIONS &&
                            !at_end[m->partition]) {
                                at_end[m->partition] = 1;
                                ended++;
                        }
                } else {
                        fprintf(stderr, "consume: %s\n", rd_kafka_message_errstr(m));
                }
                rd_kafka_message_destroy(m);
        }
        delivered = got;
        report("consume", got, bytes, got ? last - start : 0);
        rd_kafka_consumer_close(rk);
        rd_kafka_destroy(rk);
        return got == 0;
}

static int cmp_i64(const void *a, const void *b) {
        int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
        return (x > y) - (x < y);
}

static int64_t percentile(const int64_t *sorted, long n, double p) {
        long i = (long)(p * (double)(n - 1) + 0.5);
        return n ? sorted[i] : -1;
}

/* Sends "warmup <run id>" messages until one comes back, so the measured
 * run starts with both clients connected and the consumer fetching (not
 * timing connection setup and offset lookups). -1 after 30 s without one. */
static int warm_up(rd_kafka_t *producer, rd_kafka_t *consumer, const char *topic,
                   unsigned run_id) {
        char payload[64];
        int len = snprintf(payload, sizeof(payload), "warmup %u", run_id);
        double until = now_s() + 30, next_send = 0;
        while (now_s() < until) {
                rd_kafka_message_t *m;
                if (now_s() >= next_send) {
                        rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic),
                                          RD_KAFKA_V_VALUE(payload, (size_t)len),
                                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
                        next_send = now_s() + 0.2;
                }
                rd_kafka_poll(producer, 0);
                m = rd_kafka_consumer_poll(consumer, 50);
                if (!m)
                        continue;
                if (!m->err && m->len == (size_t)len && !memcmp(m->payload, payload, m->len)) {
                        rd_kafka_message_destroy(m);
                        rd_kafka_flush(producer, 10000);
                        return 0;
                }
                rd_kafka_message_destroy(m);
        }
        fprintf(stderr, "warm-up message did not come back\n");
        return -1;
}

/* Both clients' queues write a byte to this pipe when they go from empty
 * to non-empty, so the latency loop can sleep without missing an event. */
static int wake_pipe[2] = {-1, -1};

static int enable_wake_ups(rd_kafka_t *producer, rd_kafka_t *consumer) {
        rd_kafka_queue_t *main_q, *consumer_q;
        if (pipe(wake_pipe) < 0 || fcntl(wake_pipe[0], F_SETFL, O_NONBLOCK) < 0 ||
            fcntl(wake_pipe[1], F_SETFL, O_NONBLOCK) < 0) {
                perror("wake-up pipe");
                return -1;
        }
        main_q     = rd_kafka_queue_get_main(producer);
        consumer_q = rd_kafka_queue_get_consumer(consumer);
        if (!main_q || !consumer_q) {
                fprintf(stderr, "no main or consumer queue\n");
                return -1;
        }
        rd_kafka_queue_io_event_enable(main_q, wake_pipe[1], "1", 1);
        rd_kafka_queue_io_event_enable(consumer_q, wake_pipe[1], "1", 1);
        rd_kafka_queue_destroy(main_q);
        rd_kafka_queue_destroy(consumer_q);
        return 0;
}

/* Sleeps until `until` (monotonic seconds, at most 100 ms from now) or a
 * queue's wake-up byte, whichever comes first. The caller has polled both
 * queues empty just before: an event since then has written its byte. */
static void wait_for_event(double until) {
        double wait = until - now_s();
        struct timespec ts;
        fd_set readable;
        char drain[64];
        if (wait <= 0)
                return;
        if (wait > 0.1)
                wait = 0.1;
        ts.tv_sec  = (time_t)wait;
        ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
        FD_ZERO(&readable);
        FD_SET(wake_pipe[0], &readable);
        if (pselect(wake_pipe[0] + 1, &readable, NULL, NULL, &ts, NULL) > 0)
                while (read(wake_pipe[0], drain, sizeof(drain)) > 0)
                        ;
}

/* Messages carry "<run id> <send time in µs>", so a topic with older data
 * is fine: only this run's messages count. */
static int run_latency(const struct opts *o) {
        rd_kafka_conf_t *pconf = make_conf(o);
        char errstr[512], payload[128];
        rd_kafka_t *producer, *consumer;
        int64_t *lat_us = calloc((size_t)o->count, sizeof(int64_t));
        int64_t *lat_ts = calloc((size_t)o->count, sizeof(int64_t));
        dr_lat_us       = calloc((size_t)o->count, sizeof(int64_t));
        dr_lat_cap      = o->count;
        long sent = 0, got = 0;
        unsigned run_id = (unsigned)getpid() ^ (unsigned)wall_us();
        double start, interval = o->rate > 0 ? 1.0 / (double)o->rate : 0, last;
        rd_kafka_conf_set(pconf, "linger.ms", "0", errstr, sizeof(errstr));
        producer = make_client(o, RD_KAFKA_PRODUCER, pconf);
        consumer = make_client(o, RD_KAFKA_CONSUMER, make_conf(o));
        if (assign_all(consumer, o->topic) < 0)
                return 1;
        if (warm_up(producer, consumer, o->topic, run_id) < 0)
                return 1;
        if (!o->busy && enable_wake_ups(producer, consumer) < 0)
                return 1;
        dr_lat_cnt = 0;
        start      = now_s();
        last  = start;
        while (got < o->count && (now_s() - last) * 1000 < IDLE_LIMIT_MS) {
                rd_kafka_message_t *m;
                if (sent < o->count && now_s() >= start + (double)sent * interval) {
                        int len = snprintf(payload, sizeof(payload), "%u %" PRId64, run_id,
                                           wall_us());
                        if (rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(o->topic),
                                              RD_KAFKA_V_VALUE(payload, (size_t)len),
                                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                              RD_KAFKA_V_OPAQUE((void *)(intptr_t)mono_us()),
                                              RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR_NO_ERROR)
                                sent++;
                }
                rd_kafka_poll(producer, 0);
                m = rd_kafka_consumer_poll(consumer, sent < o->count || !o->busy ? 0 : 100);
                if (!m) {
                        if (!o->busy)
                                wait_for_event(sent < o->count ? start + (double)sent * interval
                                                               : now_s() + 0.1);
                        continue;
                }
                if (!m->err && m->len < sizeof(payload)) {
                        unsigned id;
                        int64_t sent_us;
                        char buf[128];
                        memcpy(buf, m->payload, m->len);
                        buf[m->len] = '\0';
                        if (sscanf(buf, "%u %" SCNd64, &id, &sent_us) == 2 && id == run_id &&
                            got < o->count) {
                                int64_t now = wall_us();
                                lat_us[got] = now - sent_us;
                                lat_ts[got] = now / 1000 - rd_kafka_message_timestamp(m, NULL);
                                got++;
                                last = now_s();
                        }
                }
                rd_kafka_message_destroy(m);
        }
        rd_kafka_flush(producer, 10000);
        qsort(lat_us, (size_t)got, sizeof(int64_t), cmp_i64);
        qsort(lat_ts, (size_t)got, sizeof(int64_t), cmp_i64);
        qsort(dr_lat_us, (size_t)dr_lat_cnt, sizeof(int64_t), cmp_i64);
        printf("result mode=latency sent=%ld received=%ld p50_us=%" PRId64 " p99_us=%" PRId64
               " p999_us=%" PRId64 " max_us=%" PRId64 " dr_p50_us=%" PRId64
               " dr_p99_us=%" PRId64 " dr_p999_us=%" PRId64 " p50_ts_ms=%" PRId64
               " p99_ts_ms=%" PRId64 "\n",
               sent, got, percentile(lat_us, got, 0.5), percentile(lat_us, got, 0.99),
               percentile(lat_us, got, 0.999), got ? lat_us[got - 1] : -1,
               percentile(dr_lat_us, dr_lat_cnt, 0.5), percentile(dr_lat_us, dr_lat_cnt, 0.99),
               percentile(dr_lat_us, dr_lat_cnt, 0.999), percentile(lat_ts, got, 0.5),
               percentile(lat_ts, got, 0.99));
        printf("latency: %ld/%ld messages back; end to end p50 %.2f ms, p99 %.2f ms "
               "(from message timestamps: p50 %" PRId64 " ms, p99 %" PRId64 " ms)\n",
               got, sent, (double)percentile(lat_us, got, 0.5) / 1000.0,
               (double)percentile(lat_us, got, 0.99) / 1000.0, percentile(lat_ts, got, 0.5),
               percentile(lat_ts, got, 0.99));
        rd_kafka_consumer_close(consumer);
        rd_kafka_destroy(consumer);
        rd_kafka_destroy(producer);
        if (wake_pipe[0] >= 0) { /* after destroy: the queues write to it until then */
                close(wake_pipe[0]);
                close(wake_pipe[1]);
        }
        free(lat_us);
        free(lat_ts);
        free(dr_lat_us);
        dr_lat_us = NULL;
        return got != o->count;
}

int main(int argc, char **argv) {
        struct opts o;
        int c;
        memset(&o, 0, sizeof(o));
        o.count = 100000;
        o.size  = 100;
        o.rate  = 1000;
        while ((c = getopt(argc, argv, "PCLBt:b:c:s:r:X:")) != -1) {
                switch (c) {
                case 'P':
                case 'C':
                case 'L': o.mode = (char)c; break;
                case 't': o.topic = optarg; break;
                case 'b': o.brokers = optarg; break;
                case 'c': o.count = atol(optarg); break;
                case 's': o.size = (size_t)atol(optarg); break;
                case 'r': o.rate = atol(optarg); break;
                case 'B': o.busy = 1; break;
                case 'X':
                        if (o.prop_cnt == MAX_PROPS)
                                usage(argv[0]);
                        o.props[o.prop_cnt++] = optarg;
                        break;
                default: usage(argv[0]);
                }
        }
        if (!o.mode || !o.topic || !o.brokers || o.count <= 0)
                usage(argv[0]);
        switch (o.mode) {
        case 'P': return run_produce(&o);
        case 'C': return run_consume(&o);
        default: return run_latency(&o);
        }
}
