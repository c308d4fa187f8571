/*
 * Per-partition produce order across the moment a topic's partitions
 * become known (tests/idempotence.rs, routing_order_* tests).
 *
 *   routing_order BOOTSTRAP TOPIC held
 *     Messages 0 and 1 are produced before metadata (the cluster's RTT is
 *     raised by the test), so they wait to be routed. The partitioner
 *     callback, run by the library's own thread while it routes them,
 *     waits until the application has produced messages 2 and 3 straight
 *     to partition 0 (or 3 s: librdkafka holds its topic lock while it
 *     partitions, so there the application's produce waits instead).
 *     Partition 0 must store 0, 1, 2, 3 in that order.
 *   routing_order BOOTSTRAP TOPIC speed N
 *     N messages produced at once from creation on, every third one to
 *     the partitioner (RD_KAFKA_PARTITION_UA), the others to an explicit
 *     partition i % 3.
 *
 * Prints `DR index partition offset error 1` per report, `held-by-library
 * N` (partitioner calls that waited), and `destroyed` at the end.
 */
#define _POSIX_C_SOURCE 200809L

#include <librdkafka/rdkafka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

static pthread_t app_thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int routing_entered, app_produced, held;

static struct timespec deadline_in(int ms) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += ms / 1000;
        ts.tv_nsec += (long)(ms % 1000) * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
        }
        return ts;
}

/* Everything to partition 0; the first call made by a library thread
 * (routing the waiting messages) holds until the application produced. */
static int32_t holding_partitioner(const rd_kafka_topic_t *rkt, const void *key, size_t keylen,
                                   int32_t partition_cnt, void *rkt_opaque, void *msg_opaque) {
        struct timespec until;
        (void)rkt;
        (void)key;
        (void)keylen;
        (void)partition_cnt;
        (void)rkt_opaque;
        (void)msg_opaque;
        if (pthread_equal(pthread_self(), app_thread))
                return 0;
        pthread_mutex_lock(&lock);
        if (!routing_entered) {
                routing_entered = 1;
                pthread_cond_broadcast(&changed);
                until = deadline_in(3000);
                while (!app_produced && pthread_cond_timedwait(&changed, &lock, &until) == 0)
                        ;
                held += app_produced;
        }
        pthread_mutex_unlock(&lock);
        return 0;
}

static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
        (void)rk;
        (void)opaque;
        printf("DR %ld %d %lld %s 1\n", (long)(intptr_t)m->_private, (int)m->partition,
               (long long)m->offset, rd_kafka_err2name(m->err));
}

static void produce(rd_kafka_t *rk, const char *topic, long index, int32_t partition) {
        char key[32];
        rd_kafka_resp_err_t err;
        snprintf(key, sizeof key, "key-%ld", index);
        do {
                err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
                                        RD_KAFKA_V_KEY(key, strlen(key)),
                                        RD_KAFKA_V_VALUE(key, strlen(key)),
                                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                        RD_KAFKA_V_OPAQUE((void *)(intptr_t)index), RD_KAFKA_V_END);
                if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                        rd_kafka_poll(rk, 10);
        } while (err == RD_KAFKA_RESP_ERR__QUEUE_FULL);
        CHECK(err == RD_KAFKA_RESP_ERR_NO_ERROR);
}

int main(int argc, char **argv) {
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_topic_conf_t *tconf;
        rd_kafka_t *rk;
        int speed;
        long i, n;

        if (argc < 4 || (strcmp(argv[3], "held") && strcmp(argv[3], "speed")) ||
            (!strcmp(argv[3], "speed") && argc != 5)) {
                fprintf(stderr, "usage: %s BOOTSTRAP TOPIC held|speed N\n", argv[0]);
                return 2;
        }
        speed = !strcmp(argv[3], "speed");
        n = speed ? atol(argv[4]) : 4;
        app_thread = pthread_self();
        printf("version %s\n", rd_kafka_version_str());

        conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof errstr) ||
            rd_kafka_conf_set(conf, "enable.idempotence", "true", errstr, sizeof errstr) ||
            rd_kafka_conf_set(conf, "linger.ms", "5", errstr, sizeof errstr)) {
                fprintf(stderr, "conf: %s\n", errstr);
                return 2;
        }
        rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
        tconf = rd_kafka_topic_conf_new();
        if (!speed)
                rd_kafka_topic_conf_set_partitioner_cb(tconf, holding_partitioner);
        rd_kafka_conf_set_default_topic_conf(conf, tconf);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
        if (!rk) {
                fprintf(stderr, "rd_kafka_new: %s\n", errstr);
                return 2;
        }

        if (speed) {
                for (i = 0; i < n; i++)
                        produce(rk, argv[2], i, i % 3 == 0 ? RD_KAFKA_PARTITION_UA : (int32_t)(i % 3));
        } else {
                struct timespec until;
                produce(rk, argv[2], 0, RD_KAFKA_PARTITION_UA);
                produce(rk, argv[2], 1, RD_KAFKA_PARTITION_UA);
                pthread_mutex_lock(&lock);
                until = deadline_in(30000);
                while (!routing_entered && pthread_cond_timedwait(&changed, &lock, &until) == 0)
                        ;
                CHECK(routing_entered);
                pthread_mutex_unlock(&lock);
                produce(rk, argv[2], 2, 0);
                produce(rk, argv[2], 3, 0);
                pthread_mutex_lock(&lock);
                app_produced = 1;
                pthread_cond_broadcast(&changed);
                pthread_mutex_unlock(&lock);
        }
        CHECK(rd_kafka_flush(rk, 60000) == RD_KAFKA_RESP_ERR_NO_ERROR);
        printf("held-by-library %d\n", held);
        rd_kafka_destroy(rk);
        printf("destroyed\n");
        fflush(stdout);
        return report();
}
