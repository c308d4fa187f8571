/*
 * partition_queues: a group consumer that reads each assigned partition on
 * its own thread, from the partition's own queue.
 *
 * usage: partition_queues BROKERS GROUP TOPIC SECONDS
 *
 * The main thread serves rebalances with rd_kafka_consumer_poll(); on
 * assignment it detaches each partition's queue from the consumer queue
 * (rd_kafka_queue_forward(q, NULL)) and starts a thread consuming it. Runs
 * for SECONDS, then prints per-partition counts ("partition P: N") and
 * closes.
 */
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PARTITIONS 64

struct reader {
        rd_kafka_queue_t *queue;
        pthread_t thread;
        int partition;
        long count;
        volatile int run;
        int started;
};

static struct reader readers[MAX_PARTITIONS];

static void *read_partition(void *arg) {
        struct reader *r = arg;
        while (r->run) {
                rd_kafka_message_t *m = rd_kafka_consume_queue(r->queue, 100);
                if (!m)
                        continue;
                if (!m->err)
                        r->count++;
                rd_kafka_message_destroy(m);
        }
        return NULL;
}

static void stop_readers(void) {
        int i;
        for (i = 0; i < MAX_PARTITIONS; i++) {
                if (!readers[i].started)
                        continue;
                readers[i].run = 0;
                pthread_join(readers[i].thread, NULL);
                rd_kafka_queue_destroy(readers[i].queue);
                readers[i].started = 0;
        }
}

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                         rd_kafka_topic_partition_list_t *parts, void *opaque) {
        int i;
        (void)opaque;
        if (err != RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
                stop_readers();
                rd_kafka_assign(rk, NULL);
                return;
        }
        rd_kafka_assign(rk, parts);
        for (i = 0; i < parts->cnt; i++) {
                int p = parts->elems[i].partition;
                struct reader *r;
                if (p < 0 || p >= MAX_PARTITIONS)
                        continue;
                r = &readers[p];
                r->queue = rd_kafka_queue_get_partition(rk, parts->elems[i].topic, p);
                if (!r->queue)
                        continue;
                /* Detach from the consumer queue: this thread reads it. */
                rd_kafka_queue_forward(r->queue, NULL);
                r->partition = p;
                r->run = 1;
                r->started = 1;
                pthread_create(&r->thread, NULL, read_partition, r);
        }
}

int main(int argc, char **argv) {
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_topic_partition_list_t *topics;
        time_t until;
        int i;
        long total = 0;

        if (argc != 5) {
                fprintf(stderr, "usage: %s BROKERS GROUP TOPIC SECONDS\n", argv[0]);
                return 2;
        }
        conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(conf, "group.id", argv[2], errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", errstr, sizeof(errstr))) {
                fprintf(stderr, "%s\n", errstr);
                return 2;
        }
        rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
        rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "%s\n", errstr);
                return 2;
        }
        topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, argv[3], RD_KAFKA_PARTITION_UA);
        rd_kafka_subscribe(rk, topics);
        rd_kafka_topic_partition_list_destroy(topics);

        until = time(NULL) + atoi(argv[4]);
        while (time(NULL) < until) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
                if (m)
                        rd_kafka_message_destroy(m);
        }
        rd_kafka_consumer_close(rk);
        stop_readers();
        for (i = 0; i < MAX_PARTITIONS; i++)
                if (readers[i].count) {
                        printf("partition %d: %ld\n", i, readers[i].count);
                        total += readers[i].count;
                }
        printf("total: %ld\n", total);
        rd_kafka_destroy(rk);
        return 0;
}
